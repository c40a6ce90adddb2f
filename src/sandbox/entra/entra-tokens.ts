/**
 * What the emulated Entra puts in an access token, per the Learn page "Access token claims reference"
 * (v2.0 tokens): iss, aud, tid, oid, upn/preferred_username, name, scp (delegated) or roles, azp, ver,
 * iat/nbf/exp. Resource tokens (ARM, the on-behalf-of grant) carry the same user claims.
 */
import { randomUUID } from 'node:crypto';
import type { World, WorldEntraUser } from '../world/schema.js';
import type { EntraKeys } from './entra-keys.js';

/** The tenant's issuer as Entra writes it in v2.0 tokens, whatever host served the token. */
export function issuerOf(tenantId: string): string {
    return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

export interface MintOptions {
    /** `aud`; default the app registration's client id (a token for the team server). */
    audience?: string;
    /** `scp`; default the app's scope. */
    scope?: string;
    /** Issued this many seconds ago (tests of expiry); default 0. */
    ageSeconds?: number;
    lifetimeSeconds?: number;
    /** `tid` override (tests of a foreign tenant). */
    tenantId?: string;
    /** The client the token was issued to (`azp`); default a public client such as VS Code. */
    clientId?: string;
    /** Leave out the app roles (a user not assigned to the app). */
    roles?: string[];
}

export function findUser(world: World, name: string): WorldEntraUser | undefined {
    return world.entra.users.find(u => u.name === name);
}

export function userByOid(world: World, oid: unknown): WorldEntraUser | undefined {
    return typeof oid === 'string' ? world.entra.users.find(u => u.oid.toLowerCase() === oid.toLowerCase()) : undefined;
}

export function mintUserToken(world: World, keys: EntraKeys, user: WorldEntraUser, nowMs: number, o: MintOptions = {}): Promise<string> {
    const tid = o.tenantId ?? world.subscription.tenantId;
    const iat = Math.floor(nowMs / 1000) - (o.ageSeconds ?? 0);
    const roles = o.roles ?? user.appRoles;
    return keys.sign({
        iss: issuerOf(tid),
        aud: o.audience ?? world.entra.app.clientId,
        tid,
        oid: user.oid,
        sub: user.oid,
        upn: user.upn,
        preferred_username: user.upn,
        name: user.name,
        scp: o.scope ?? world.entra.app.scope,
        ...(roles.length ? { roles } : {}),
        azp: o.clientId ?? 'aebc6443-996d-45c2-90f0-388ff96faa56',
        ver: '2.0',
        uti: randomUUID(),
        iat,
        nbf: iat,
        exp: iat + (o.lifetimeSeconds ?? world.entra.tokenLifetimeSeconds)
    });
}
