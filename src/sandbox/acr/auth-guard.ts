/**
 * The bearer check in front of every data-plane route. Without a valid access token the answer is
 * ACR's 401 `UNAUTHORIZED` with a `WWW-Authenticate: Bearer realm,service,scope` challenge naming
 * the scope the route needs, so a client learns what to ask `/oauth2/token` for. ACR answers a token
 * that lacks the scope the same way (401, not 403): the sandbox does too.
 */
import type { SandboxRequest, SandboxResponse } from '../http/types.js';
import { acrError } from './acr-errors.js';
import { allows, type ScopeNeed } from './scopes.js';
import type { TokenService } from './tokens.js';

export interface GuardContext {
    origin: string;
    loginServer: string;
    tokens: TokenService;
}

export function challenge(ctx: GuardContext, scope?: string, error?: 'invalid_token' | 'insufficient_scope'): string {
    let value = `Bearer realm="${ctx.origin}/oauth2/token",service="${ctx.loginServer}"`;
    if (scope) value += `,scope="${scope}"`;
    if (error) value += `,error="${error}"`;
    return value;
}

const AUTH_MESSAGE = 'authentication required, visit https://aka.ms/acr/authorization for more information.';

/** undefined = allowed; otherwise the 401 to send. `need` undefined = any valid token (GET /v2/). */
export function guard(ctx: GuardContext, req: SandboxRequest, need?: ScopeNeed): SandboxResponse | undefined {
    const check = ctx.tokens.checkBearer(req);
    const detail = need
        ? need.anyOf.map(action => ({ Type: need.type, Name: need.name, Action: action }))
        : null;
    if (!check.ok) {
        const error = check.reason === 'missing' ? undefined : 'invalid_token';
        const message = check.reason === 'expired' ? 'the access token has expired; request a new one' : AUTH_MESSAGE;
        return acrError(401, 'UNAUTHORIZED', message, detail, { 'www-authenticate': challenge(ctx, need?.challenge, error) });
    }
    if (need && !allows(check.access, need)) {
        return acrError(401, 'UNAUTHORIZED', AUTH_MESSAGE, detail, { 'www-authenticate': challenge(ctx, need.challenge, 'insufficient_scope') });
    }
    return undefined;
}
