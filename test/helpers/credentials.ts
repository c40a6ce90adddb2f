/**
 * Test identities: JWT-shaped unsigned tokens and a TokenCredential that hands one out. The sandbox and our
 * ACR exchange read only the claims (`exp`, `oid`, `tid`), so no signature is needed; nothing here is a secret.
 */
import type { TokenCredential } from '@azure/core-auth';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** An unsigned JWT (`alg: none`) carrying exactly `claims`. */
export function fakeJwt(claims: Record<string, unknown>): string {
    return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.sig`;
}

/** An Entra access token for ARM as the ACR exchange reads it; valid for an hour unless `expSeconds` says otherwise. */
export function fakeEntraToken(expSeconds = Math.floor(Date.now() / 1000) + 3600): string {
    return fakeJwt({ aud: 'https://management.azure.com/', exp: expSeconds, oid: 'user-1', tid: 'tenant-1' });
}

/** A credential that always returns `token`, valid for an hour. */
export const staticCredential = (token = fakeEntraToken()): TokenCredential => ({
    getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600e3 })
});
