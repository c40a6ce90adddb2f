/**
 * Local validation of Entra access tokens for the team server (--auth entra), as an OAuth 2.1 resource
 * server does (MCP spec, "Authorization"; Learn: "Protect an API: validate tokens"): the signature against the
 * tenant's published keys, `iss` from the tenant's OpenID configuration, `aud` (this app), `tid`, `exp`/`nbf`
 * with a small clock skew, and the required delegated scope. The OpenID configuration is read once and the
 * JWKS is cached by jose (refetched when a token names an unknown key, at most once per cooldown, so rotation
 * works and a flood of forged kids cannot make us hammer Entra); no request calls Entra.
 */
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Caller } from './caller.js';
import { httpsFetch, type FetchLike } from './https-get.js';

export interface EntraAuthSettings {
    /** `https://login.microsoftonline.com` (the cloud's authority host) or another authority. */
    authorityHost: string;
    /** Tenant id or domain of the app registration. */
    tenant: string;
    /** The server's app registration (client id). */
    clientId: string;
    /** Accepted `aud` values (default: the client id, as in v2.0 tokens, and `api://<client id>`). */
    audiences?: readonly string[];
    /** Delegated scope every token must carry in `scp` (the app's exposed scope, e.g. Streaming.Access). */
    requiredScope: string;
    /** Clock skew allowed on exp/nbf (default 60 s). */
    clockSkewSeconds?: number;
    /** Extra CA for the authority (a private one; the system CAs otherwise). */
    caPem?: string;
    /** How soon an unknown key id may trigger another JWKS fetch (default 30 s). */
    jwksCooldownMs?: number;
    now?: () => number;
}

/**
 * A refusal the HTTP layer turns into 401 (invalid_token) or 403 (insufficient_scope), RFC 6750 §3.1, or
 * 503 when the tenant's configuration or keys cannot be read (the token may be fine: a 401 would send the
 * client back to sign in for nothing).
 */
export class AuthFailure extends Error {
    constructor(
        readonly error: 'invalid_token' | 'insufficient_scope' | 'temporarily_unavailable',
        message: string
    ) {
        super(message);
    }
}

export interface EntraValidator {
    validate(token: string): Promise<Caller>;
    /** The authorization server clients sign in at (RFC 9728 `authorization_servers`). */
    readonly authorizationServer: string;
    /** Scopes clients request (RFC 9728 `scopes_supported`). */
    readonly scopes: readonly string[];
}

interface Discovery {
    issuer: string;
    tid: string;
    jwks: ReturnType<typeof createRemoteJWKSet>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createEntraValidator(s: EntraAuthSettings): EntraValidator {
    const authority = `${s.authorityHost.replace(/\/+$/, '')}/${s.tenant}`;
    const audiences = s.audiences?.length ? [...s.audiences] : [s.clientId, `api://${s.clientId}`];
    const get: FetchLike = httpsFetch(s.caPem);
    let discovery: Promise<Discovery> | undefined;

    async function discover(): Promise<Discovery> {
        const url = `${authority}/v2.0/.well-known/openid-configuration`;
        const res = await get(url, { signal: AbortSignal.timeout(10_000) });
        if (res.status !== 200) throw new Error(`the OpenID configuration at ${url} answered ${res.status}`);
        const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
        if (typeof doc.issuer !== 'string' || typeof doc.jwks_uri !== 'string' || !doc.jwks_uri.startsWith('https://')) {
            throw new Error(`the OpenID configuration at ${url} has no issuer or https jwks_uri`);
        }
        // The tenant's id is part of its v2.0 issuer (https://login.microsoftonline.com/{tid}/v2.0).
        const tid = doc.issuer.split('/').find(part => GUID.test(part));
        if (!tid) throw new Error(`the issuer ${doc.issuer} names no tenant id`);
        const jwks = createRemoteJWKSet(new URL(doc.jwks_uri), {
            cooldownDuration: s.jwksCooldownMs ?? 30_000,
            timeoutDuration: 10_000,
            [customFetch]: get as never
        });
        return { issuer: doc.issuer, tid, jwks };
    }

    /** Discovered once; a failure is not kept, so the next request tries again. */
    const discovered = () =>
        (discovery ??= discover().catch(e => {
            discovery = undefined;
            throw e;
        }));

    return {
        authorizationServer: `${authority}/v2.0`,
        scopes: [`api://${s.clientId}/${s.requiredScope}`],
        async validate(token) {
            let d: Discovery;
            try {
                d = await discovered();
            } catch (e) {
                throw new AuthFailure('temporarily_unavailable', `the token cannot be checked now: ${(e as Error).message}`);
            }
            let payload: JWTPayload;
            try {
                ({ payload } = await jwtVerify(token, d.jwks, {
                    issuer: d.issuer,
                    audience: audiences,
                    algorithms: ['RS256'],
                    clockTolerance: s.clockSkewSeconds ?? 60,
                    requiredClaims: ['exp', 'tid', 'oid'],
                    ...(s.now ? { currentDate: new Date(s.now()) } : {})
                }));
            } catch (e) {
                if (e instanceof errors.JWKSTimeout || e instanceof errors.JWKSInvalid) throw new AuthFailure('temporarily_unavailable', 'the tenant keys cannot be read now');
                throw new AuthFailure('invalid_token', describe(e));
            }
            if (String(payload.tid).toLowerCase() !== d.tid.toLowerCase()) throw new AuthFailure('invalid_token', 'the token was issued for another tenant');
            const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
            if (!scopes.includes(s.requiredScope)) throw new AuthFailure('insufficient_scope', `the token lacks the scope ${s.requiredScope}`);
            const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
            const upn = typeof payload.upn === 'string' ? payload.upn : typeof payload.preferred_username === 'string' ? payload.preferred_username : undefined;
            return { oid: String(payload.oid), ...(upn ? { upn } : {}), tid: String(payload.tid), roles, token, expiresAt: payload.exp! }; // exp: a required claim above
        }
    };
}

/** What was wrong, in words a user can act on (no token content). */
function describe(e: unknown): string {
    if (e instanceof errors.JWTExpired) return 'the token has expired';
    if (e instanceof errors.JWTClaimValidationFailed) {
        if (e.claim === 'aud') return 'the token was issued for another resource (audience)';
        if (e.claim === 'iss') return 'the token was issued by another authority';
        if (e.claim === 'nbf') return 'the token is not valid yet';
        return `the token's ${e.claim} claim is missing or wrong`;
    }
    if (e instanceof errors.JWKSNoMatchingKey) return 'the token was signed with a key the tenant does not publish';
    if (e instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
    if (e instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with RS256';
    return 'the token is malformed';
}
