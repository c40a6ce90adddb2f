/**
 * Wires the Azure access layer to a running sandbox: same code as for real Azure, with the sandbox's
 * ARM origin, its registry endpoint map, its CA (trusted explicitly, TLS checks stay on), its
 * subscription/tenant, and a static credential (the sandbox accepts any JWT-shaped Entra token).
 */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { AzureAccessOptions } from '../azure/azure-access.js';
import type { Sandbox } from '../sandbox/index.js';
import type { EntraOverrides } from '../app.js';

const b64url = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** An unsigned JWT-shaped token, as Entra would hand out, valid for an hour from `nowMs`. */
export function fakeEntraToken(tenantId: string, scope: string, nowMs = Date.now()): AccessToken {
    const exp = Math.floor(nowMs / 1000) + 3600;
    const aud = scope.replace(/\/\.default$/, '');
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ aud, tid: tenantId, oid: 'sandbox-user', exp })}.sandbox`;
    return { token, expiresOnTimestamp: exp * 1000 };
}

export function sandboxCredential(tenantId: string, now: () => number = Date.now): TokenCredential {
    return {
        async getToken(scopes) {
            return fakeEntraToken(tenantId, Array.isArray(scopes) ? scopes[0]! : scopes, now());
        }
    };
}

export function azureOptionsForSandbox(sb: Sandbox, overrides: Partial<AzureAccessOptions> = {}): AzureAccessOptions {
    const endpoints = new Map(Object.entries(sb.registryEndpoints).map(([host, origin]) => [host.toLowerCase(), origin]));
    return {
        cloud: 'AzureCloud',
        credential: sandboxCredential(sb.tenantId),
        armEndpoint: sb.armEndpoint,
        resolveEndpoint: loginServer => endpoints.get(loginServer.toLowerCase()),
        caPem: sb.caPem,
        subscriptionId: sb.subscriptionId,
        tenantId: sb.tenantId,
        // Sandbox pool updates take seconds (behaviour.nodePoolUpdateSeconds), not AKS's minutes.
        poolPollMs: 500,
        // Sandbox conversions take seconds, not minutes: poll a conversion every 250 ms (+50 ms per poll), not every 5 s.
        conversionPollMs: 250,
        ...overrides
    };
}

/**
 * `--sandbox --auth entra`: sign-in against the sandbox's Entra tenant and app registration, and on-behalf-of
 * with a client assertion shaped like AKS workload identity's projected token (the emulator checks its
 * audience and expiry, not a cluster's signature). Each user's Azure access is the sandbox access with that
 * user's credential, so the emulated ARM and ACR see who calls.
 */
export function entraOverridesForSandbox(sb: Sandbox): EntraOverrides {
    return {
        authorityHost: sb.entra.authorityHost,
        tenant: sb.entra.tenantId,
        clientId: sb.entra.clientId,
        caPem: sb.caPem,
        proof: {
            getAssertion: async () => {
                const now = Math.floor(Date.now() / 1000);
                const claims = { iss: 'https://oidc.sandbox.invalid/cluster', sub: 'system:serviceaccount:acr-streaming:acr-streaming-mcp', aud: 'api://AzureADTokenExchange', iat: now, exp: now + 3600 };
                return `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}.sandbox`;
            }
        },
        makeAccess: async credential => {
            const { createAzureAccess } = await import('../azure/azure-access.js');
            return createAzureAccess(azureOptionsForSandbox(sb, { credential }));
        }
    };
}
