/**
 * Who is calling the emulated ARM or ACR: a token the emulated Entra signed names its user by `oid`, and
 * that user's own Azure roles apply (world `entra.users`); any other bearer is the world's default caller
 * (the registry's or cluster's `callerRoles`), as before sign-in existed. Real ARM refuses a token issued
 * for another audience with 401 InvalidAuthenticationTokenAudience and an expired one with 401
 * ExpiredAuthenticationToken (Learn: "Troubleshoot Azure Resource Manager authentication errors").
 */
import type { World, WorldEntraUser } from '../world/schema.js';
import type { EntraKeys } from './entra-keys.js';
import { userByOid } from './entra-tokens.js';

/** Audiences ARM accepts (with and without the trailing slash Entra writes for v1 resources). */
const ARM_AUDIENCES = new Set(['https://management.azure.com', 'https://management.azure.com/', 'https://management.core.windows.net', 'https://management.core.windows.net/']);

export type Identified = { ok: true; user?: WorldEntraUser } | { ok: false; code: 'InvalidAuthenticationTokenAudience' | 'ExpiredAuthenticationToken'; message: string };

export interface EntraIdentity {
    /** For an ARM request's bearer token. */
    arm(token: string): Identified;
    /**
     * An Entra token sent to ACR's /oauth2/exchange: refused when the emulated tenant signed it for another
     * audience (ACR takes ARM or ACR tokens); else the user it names, if any.
     */
    acrExchange(token: string): { ok: true; user?: WorldEntraUser } | { ok: false; message: string };
    userByOid(oid: string): WorldEntraUser | undefined;
}

export function entraIdentity(world: World, keys: EntraKeys, now: () => number): EntraIdentity {
    return {
        arm(token) {
            const claims = keys.verify(token);
            if (!claims) return { ok: true };
            const aud = typeof claims.aud === 'string' ? claims.aud : '';
            if (!ARM_AUDIENCES.has(aud)) {
                return { ok: false, code: 'InvalidAuthenticationTokenAudience', message: `The access token has been obtained for wrong audience or resource '${aud}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.` };
            }
            if (typeof claims.exp === 'number' && claims.exp * 1000 <= now()) {
                return { ok: false, code: 'ExpiredAuthenticationToken', message: 'The access token expiry UTC time is earlier than current UTC time.' };
            }
            return { ok: true, user: userByOid(world, claims.oid) };
        },
        acrExchange: token => {
            const claims = keys.verify(token);
            if (!claims) return { ok: true };
            const aud = typeof claims.aud === 'string' ? claims.aud : '';
            if (!ARM_AUDIENCES.has(aud) && aud !== 'https://containerregistry.azure.net') return { ok: false, message: `the Entra ID access token was issued for another audience (${aud})` };
            return { ok: true, user: userByOid(world, claims.oid) };
        },
        userByOid: oid => userByOid(world, oid)
    };
}
