/**
 * The ACR token exchange (ACR OAuth and the azure-cli recording, docs/sources.md): Entra token -> refresh
 * token (`POST /oauth2/exchange`),
 * refresh token -> access token (`POST /oauth2/token`, or `GET /oauth2/token` with Basic auth as
 * docker/skopeo do after `az acr login --expose-token`). Access tokens carry the granted scopes in an
 * `access` claim, and every data-plane route checks them (see auth-guard.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { json, type SandboxRequest, type SandboxResponse } from '../http/types.js';
import { acrError } from './acr-errors.js';
import { decodeJwt, encodeJwt, verifyJwt, type JwtPayload } from './jwt.js';
import { mergeAccess, parseScopes, type AccessEntry } from './scopes.js';
import type { EntraIdentity } from '../entra/entra-identity.js';

/**
 * Assumption (not documented by Azure in a contract): access tokens live 75 minutes and refresh tokens
 * 3 hours, the lifetimes commonly observed on real ACR tokens (`az acr login --expose-token` says 3 h).
 */
export const ACCESS_TOKEN_SECONDS = 75 * 60;
export const REFRESH_TOKEN_SECONDS = 3 * 60 * 60;
/** The fixed user name ACR expects with a refresh token as password (`az acr login --expose-token`). */
export const REFRESH_TOKEN_USER = '00000000-0000-0000-0000-000000000000';
const ISSUER = 'Azure Container Registry';

export interface TokenServiceOptions {
    loginServer: string;
    tenantId: string;
    /** Registry `anonymousPullEnabled`: an unauthenticated GET /oauth2/token then gets pull-only scopes. */
    anonymousPull: boolean;
    now: () => number;
    /** Repository actions a caller (the `sub` of its refresh token) may be granted (caller-roles.ts); default: all. */
    rightsFor?: (sub: string) => ReadonlySet<string>;
    /** Checks an Entra token of the emulated tenant (audience) and names its user. */
    identity?: Pick<EntraIdentity, 'acrExchange' | 'userByOid'>;
}

export type BearerCheck = { ok: true; access: AccessEntry[]; sub: string } | { ok: false; reason: 'missing' | 'invalid' | 'expired' };

/** Form body merged with the query string (clients put `service`/`scope` in either place). */
function params(req: SandboxRequest): URLSearchParams {
    const merged = new URLSearchParams(req.url.search);
    const ctype = String(req.headers['content-type'] ?? '');
    if (req.body.length > 0 && (ctype === '' || ctype.includes('x-www-form-urlencoded'))) {
        for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) merged.append(k, v);
    }
    return merged;
}

const unauthorized = (message: string): SandboxResponse => acrError(401, 'UNAUTHORIZED', message);
const badRequest = (message: string): SandboxResponse => acrError(400, 'INVALID_REQUEST', message);

export class TokenService {
    /** Per-handler key for the HMAC in the third JWT part: tokens from another sandbox run are foreign. */
    private readonly key = randomBytes(32);

    constructor(private readonly opts: TokenServiceOptions) {}

    private nowSeconds(): number {
        return Math.floor(this.opts.now() / 1000);
    }

    private serviceOk(service: string | null): boolean {
        return service !== null && service.toLowerCase() === this.opts.loginServer.toLowerCase();
    }

    issueRefreshToken(sub: string, tenant: string): string {
        const iat = this.nowSeconds();
        return encodeJwt(
            { jti: randomUUID(), sub, nbf: iat, iat, exp: iat + REFRESH_TOKEN_SECONDS, iss: ISSUER, aud: this.opts.loginServer, version: '1.0', tenant, grant_type: 'refresh_token' },
            this.key
        );
    }

    issueAccessToken(sub: string, access: AccessEntry[]): string {
        const iat = this.nowSeconds();
        return encodeJwt(
            { jti: randomUUID(), sub, nbf: iat, iat, exp: iat + ACCESS_TOKEN_SECONDS, iss: ISSUER, aud: this.opts.loginServer, version: '1.0', access, grant_type: 'access_token' },
            this.key
        );
    }

    /** A refresh token this registry issued, unexpired; else undefined. */
    private readRefreshToken(token: string | null): JwtPayload | undefined {
        if (!token) return undefined;
        const p = verifyJwt(token, this.key);
        if (!p || p.grant_type !== 'refresh_token' || p.aud !== this.opts.loginServer) return undefined;
        return typeof p.exp === 'number' && p.exp > this.nowSeconds() ? p : undefined;
    }

    /** `POST /oauth2/exchange`. */
    exchange(req: SandboxRequest): SandboxResponse {
        const p = params(req);
        const grant = p.get('grant_type');
        if (!this.serviceOk(p.get('service'))) return badRequest(`service "${p.get('service') ?? ''}" does not match this registry (${this.opts.loginServer})`);
        if (grant === 'refresh_token') {
            const prev = this.readRefreshToken(p.get('refresh_token'));
            if (!prev) return unauthorized('the refresh token is missing, expired or was not issued by this registry');
            return json(200, { refresh_token: this.issueRefreshToken(String(prev.sub), String(prev.tenant)) });
        }
        if (grant !== 'access_token' && grant !== 'access_token_refresh_token') {
            return badRequest(`unsupported grant_type "${grant ?? ''}"; expected access_token or refresh_token`);
        }
        const aad = p.get('access_token');
        if (!aad) return unauthorized('an Entra ID access token is required (access_token)');
        // Any non-empty string is accepted (tests use static fake tokens); a JWT-shaped one must not be expired.
        const claims = decodeJwt(aad);
        if (claims && typeof claims.exp === 'number' && claims.exp <= this.nowSeconds()) {
            return unauthorized('the Entra ID access token has expired');
        }
        const known = this.opts.identity?.acrExchange(aad) ?? { ok: true };
        if (!known.ok) return unauthorized(known.message);
        if (known.user) req.caller = known.user.upn;
        const sub = String(claims?.oid ?? claims?.sub ?? claims?.upn ?? 'sandbox-user');
        const tenant = p.get('tenant') || String(claims?.tid ?? this.opts.tenantId);
        return json(200, { refresh_token: this.issueRefreshToken(sub, tenant) });
    }

    /**
     * `POST /oauth2/token` (grant_type=refresh_token) and `GET /oauth2/token` (Basic auth with the
     * 00000000-… user and a refresh token as password, or anonymous when the registry allows it).
     * The requested scopes are granted as far as the world's `callerRoles` allow (caller-roles.ts); refusals
     * happen when a token is used for a scope it was not granted.
     */
    token(req: SandboxRequest): SandboxResponse {
        const p = params(req);
        if (!this.serviceOk(p.get('service'))) return badRequest(`service "${p.get('service') ?? ''}" does not match this registry (${this.opts.loginServer})`);
        const requested = mergeAccess(p.getAll('scope').flatMap(parseScopes));
        let sub: string;
        if (req.method === 'POST' && p.get('grant_type') !== null) {
            if (p.get('grant_type') !== 'refresh_token') return badRequest(`unsupported grant_type "${p.get('grant_type')}"; expected refresh_token`);
            const rt = this.readRefreshToken(p.get('refresh_token'));
            if (!rt) return unauthorized('the refresh token is missing, expired or was not issued by this registry');
            sub = String(rt.sub);
        } else {
            const basic = parseBasic(req.headers.authorization);
            if (basic) {
                const rt = basic.user === REFRESH_TOKEN_USER ? this.readRefreshToken(basic.password) : undefined;
                if (!rt) return unauthorized(`basic authentication failed: use user ${REFRESH_TOKEN_USER} with an ACR refresh token as password`);
                sub = String(rt.sub);
            } else if (this.opts.anonymousPull) {
                const pullOnly = requested.filter(e => e.type === 'repository').map(e => ({ ...e, actions: e.actions.filter(a => a === 'pull') }));
                const token = this.issueAccessToken('anonymous', pullOnly.filter(e => e.actions.length > 0));
                return json(200, { access_token: token, token });
            } else {
                return unauthorized('authentication required: send Basic credentials or POST a refresh token');
            }
        }
        req.caller = this.opts.identity?.userByOid(sub)?.upn;
        const token = this.issueAccessToken(sub, this.grantable(requested, sub));
        // Docker clients read `token`, ACR clients `access_token`: the GET form answers both.
        return json(200, req.method === 'GET' ? { access_token: token, token } : { access_token: token });
    }

    /**
     * The requested access narrowed to the caller's rights, as a Docker token server does: a scope the caller
     * may not have is left out of the token (the data-plane call then answers 401 insufficient_scope).
     */
    private grantable(requested: AccessEntry[], sub: string): AccessEntry[] {
        const rights = this.opts.rightsFor?.(sub);
        if (!rights) return requested;
        const everything = ['pull', 'push', 'delete'].every(a => rights.has(a));
        return requested
            .map(e => (e.type !== 'repository' ? e : { ...e, actions: e.actions.filter(a => (a === '*' ? everything : rights.has(a))) }))
            .filter(e => e.actions.length > 0);
    }

    /** Reads `Authorization: Bearer <access token>` and says whether it is one of ours and unexpired. */
    checkBearer(req: SandboxRequest): BearerCheck {
        const header = String(req.headers.authorization ?? '');
        const [, token] = /^Bearer\s+(\S+)$/i.exec(header) ?? [];
        if (token === undefined) return { ok: false, reason: 'missing' };
        const p = verifyJwt(token, this.key);
        if (!p || p.grant_type !== 'access_token' || p.aud !== this.opts.loginServer || !Array.isArray(p.access)) return { ok: false, reason: 'invalid' };
        if (typeof p.exp !== 'number' || p.exp <= this.nowSeconds()) return { ok: false, reason: 'expired' };
        req.caller ??= this.opts.identity?.userByOid(String(p.sub))?.upn;
        return { ok: true, access: p.access as AccessEntry[], sub: String(p.sub) };
    }
}

function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
    const [, encoded] = /^Basic\s+(\S+)$/i.exec(header ?? '') ?? [];
    if (encoded === undefined) return undefined;
    const decoded = Buffer.from(encoded, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    return i < 0 ? undefined : { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}
