/**
 * The signed-in user of a team-server request (--auth entra), as the token validator read it from a
 * validated Entra access token. It travels as the MCP SDK's `authInfo.extra.caller` from the HTTP layer to
 * the tools, where it selects the user's Azure access and gates change tools by app role.
 */

/** App roles of the server's app registration (docs/team-server.md). */
export const READ_ROLE = 'Streaming.Read';
export const OPERATE_ROLE = 'Streaming.Operate';

export interface Caller {
    /** Entra object id: the user's stable identity; every per-user cache and confirmation is keyed by it. */
    oid: string;
    /** User principal name, for the audit line (absent for some guest and app tokens). */
    upn?: string;
    tid: string;
    /** App roles (`roles` claim). */
    roles: readonly string[];
    /** The validated access token itself: the on-behalf-of grant's assertion. Never logged. */
    token: string;
    /** `exp`, epoch seconds. */
    expiresAt: number;
}

export function hasRole(caller: Caller, role: string): boolean {
    return caller.roles.includes(role);
}

/** The SDK's AuthInfo for a caller: it carries them to createServer and to every tool (`ctx.http.authInfo`). */
export function authInfoOf(caller: Caller) {
    return { token: caller.token, clientId: caller.oid, scopes: [] as string[], expiresAt: caller.expiresAt, extra: { caller } };
}

/** The caller carried in the SDK's AuthInfo (`extra.caller`), or undefined (stdio, static token). */
export function callerFromAuthInfo(authInfo: { extra?: Record<string, unknown> } | undefined): Caller | undefined {
    const c = authInfo?.extra?.caller as Caller | undefined;
    return c && typeof c.oid === 'string' ? c : undefined;
}
