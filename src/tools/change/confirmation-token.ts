/**
 * Stateless confirmation tokens for change tools. A token is an HMAC-SHA256 over the tool name, a hash of
 * its canonical arguments, a hash of the state the plan was made from, and the expiry. Nothing is stored
 * server-side, so any replica holding the same key accepts it (several HTTP replicas behind one Service),
 * and a token stops working as soon as the state it was planned against changes, including through its
 * own use. The key never leaves this module: it is not logged and not part of any result.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ToolError } from '../../tool-error.js';

/** How long a plan may be confirmed (issue 8: 10 minutes). */
export const CONFIRMATION_TTL_MS = 10 * 60_000;
/** A shared key shorter than this is refused: it would be guessable. */
export const MIN_KEY_BYTES = 32;

const PLAN_AGAIN = 'plan again: call the tool without confirmationToken, show the new plan, and confirm with the token it returns';

/** JSON with object keys sorted at every level, so equal arguments hash equally whatever their order. */
export function canonicalJson(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
    if (value !== null && typeof value === 'object') {
        const entries = Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    return JSON.stringify(value ?? null);
}

const digest = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('base64url').slice(0, 22);

interface Payload {
    /** tool */
    t: string;
    /** hash of the canonical arguments (without the token) */
    a: string;
    /** hash of the state fingerprint */
    s: string;
    /** expiry, epoch ms */
    e: number;
    /** hash of the signed-in user's oid (--auth entra): only they can confirm it */
    u?: string;
}

export interface IssuedToken {
    token: string;
    expiresAt: string;
}

export class ConfirmationSigner {
    private readonly key: Buffer;

    constructor(
        key: Buffer,
        private readonly now: () => number = Date.now
    ) {
        if (key.length < MIN_KEY_BYTES) throw new Error(`the confirmation key must be at least ${MIN_KEY_BYTES} bytes`);
        this.key = Buffer.from(key);
    }

    /** A random key for this process only: tokens then work only against this process. */
    static random(now?: () => number): ConfirmationSigner {
        return new ConfirmationSigner(randomBytes(32), now);
    }

    private mac(body: string): string {
        return createHmac('sha256', this.key).update(body).digest('base64url');
    }

    /** `user`: the signed-in user's oid; the token then confirms only that user's call. */
    issue(tool: string, args: unknown, fingerprint: unknown, user?: string): IssuedToken {
        const e = this.now() + CONFIRMATION_TTL_MS;
        const payload: Payload = { t: tool, a: digest(args), s: digest(fingerprint), e, ...(user !== undefined ? { u: digest(user.toLowerCase()) } : {}) };
        const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
        return { token: `${body}.${this.mac(body)}`, expiresAt: new Date(e).toISOString() };
    }

    /** Throws a ToolError that says why the token does not confirm this call, and to plan again. */
    verify(token: string, tool: string, args: unknown, fingerprint: unknown, user?: string): void {
        const [body, mac, extra] = token.split('.');
        const expected = body ? Buffer.from(this.mac(body)) : Buffer.alloc(0);
        const given = Buffer.from(mac ?? '');
        if (!body || extra !== undefined || given.length !== expected.length || !timingSafeEqual(given, expected)) {
            throw new ToolError(
                'The confirmation token is not valid',
                'it was not issued by this server (or by a replica sharing its --confirmation-key), or it was altered',
                PLAN_AGAIN,
                'CONFIRMATION_INVALID'
            );
        }
        const p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
        if (p.t !== tool || p.a !== digest(args)) {
            throw new ToolError(
                'The confirmation token was issued for another change',
                p.t !== tool ? `it confirms a ${p.t} plan, not ${tool}` : 'the arguments differ from the ones the plan was made for',
                PLAN_AGAIN,
                'CONFIRMATION_MISMATCH'
            );
        }
        if (p.u !== (user !== undefined ? digest(user.toLowerCase()) : undefined)) {
            throw new ToolError(
                'The confirmation token was issued to another user',
                'a plan can be confirmed only by the signed-in user it was made for',
                'plan again yourself: call the tool without confirmationToken, review the plan, and confirm with the token it returns',
                'CONFIRMATION_MISMATCH'
            );
        }
        if (this.now() >= p.e) {
            throw new ToolError('The confirmation token has expired', `plans can be confirmed for ${CONFIRMATION_TTL_MS / 60_000} minutes; this one expired at ${new Date(p.e).toISOString()}`, PLAN_AGAIN, 'CONFIRMATION_EXPIRED');
        }
        if (p.s !== digest(fingerprint)) {
            throw new ToolError(
                'The state changed since this plan was made',
                'what the plan showed is no longer current (someone changed it, or this token was already used to apply it)',
                PLAN_AGAIN,
                'CONFIRMATION_STALE'
            );
        }
    }
}

/**
 * The key from --confirmation-key: the value itself, or `file:<path>` to read it from a file (a mounted
 * Kubernetes Secret). Trailing whitespace of a file is ignored. Undefined → a random per-process key.
 */
export function signerFromSetting(setting: string | undefined, now?: () => number): ConfirmationSigner {
    if (setting === undefined || setting === '') return ConfirmationSigner.random(now);
    let text = setting;
    if (setting.startsWith('file:')) {
        const path = setting.slice('file:'.length);
        try {
            text = readFileSync(path, 'utf8').replace(/\s+$/, '');
        } catch (e) {
            throw new Error(`cannot read the confirmation key file ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
        }
    }
    const key = Buffer.from(text, 'utf8');
    if (key.length < MIN_KEY_BYTES) throw new Error(`the confirmation key must be at least ${MIN_KEY_BYTES} characters (e.g. \`openssl rand -base64 48\`)`);
    return new ConfirmationSigner(key, now);
}
