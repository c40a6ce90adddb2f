/**
 * JWT-shaped tokens for the ACR exchange. The header says `alg: none` because clients never verify ACR
 * tokens (they only read `exp`; the Azure SDK refuses a refresh token that is not a 3-part JWT with
 * `exp`: ACR JS SDK, docs/sources.md). The third part is nevertheless an HMAC of the first two with a per-handler
 * key, so the sandbox can tell its own tokens from forged or foreign ones (an Entra token sent as bearer
 * must get the challenge, as on real ACR).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtPayload = Record<string, unknown> & { exp?: number; iat?: number; aud?: string };

const b64url = (buf: Buffer | string): string => Buffer.from(buf).toString('base64url');
const HEADER = b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }));

function sign(data: string, key: Buffer): string {
    return createHmac('sha256', key).update(data).digest('base64url');
}

export function encodeJwt(payload: JwtPayload, key: Buffer): string {
    const body = `${HEADER}.${b64url(JSON.stringify(payload))}`;
    return `${body}.${sign(body, key)}`;
}

/** Reads the payload of any 3-part JWT without checking a signature; undefined when not JWT-shaped. */
export function decodeJwt(token: string): JwtPayload | undefined {
    const [, body, signature, extra] = token.split('.');
    if (body === undefined || signature === undefined || extra !== undefined) return undefined;
    try {
        const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
        return payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? (payload as JwtPayload) : undefined;
    } catch {
        return undefined;
    }
}

/** The payload of a token this handler issued (HMAC matches), else undefined. Expiry is the caller's check. */
export function verifyJwt(token: string, key: Buffer): JwtPayload | undefined {
    const [header, body, signature, extra] = token.split('.');
    if (header === undefined || body === undefined || signature === undefined || extra !== undefined) return undefined;
    const expected = Buffer.from(sign(`${header}.${body}`, key));
    const actual = Buffer.from(signature);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
    return decodeJwt(token);
}
