/**
 * Per-user Azure access for the team server (--downstream-identity obo): each signed-in user gets their own
 * AzureAccess whose credential is an OnBehalfOfCredential for that user (Learn: "Microsoft identity platform
 * and OAuth 2.0 On-Behalf-Of flow"), so ARM and ACR see the user and every cache behind it (the credential's
 * tokens, ARM lookups, ACR refresh and access tokens) belongs to that user alone. The map from user to access
 * is an LRU bounded in entries and idle time, keyed by the user's object id, never by anything a client chooses.
 * The app proves itself with a client assertion (workload identity's federated token, or a certificate); the
 * manifests hold no client secret.
 */
import { readFile } from 'node:fs/promises';
import { Agent } from 'node:https';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import type { PipelineRequest, SendRequest } from '@azure/core-rest-pipeline';
import { LRUCache } from 'lru-cache';
import type { AzureAccess } from '../azure/azure-access.js';
import type { Caller } from './caller.js';

/** How the app registration authenticates to Entra in the on-behalf-of grant. */
export type ClientProof = { getAssertion: () => Promise<string> } | { certificatePath: string };

/** Users held at once by default; the least recently used goes first. */
export const MAX_USERS = 500;
/** A user idle this long is dropped by default: about an access token's life. */
export const USER_IDLE_MS = 3_600_000;

export interface PerUserAzureOptions {
    authorityHost: string;
    tenantId: string;
    clientId: string;
    proof: ClientProof;
    /** Builds one user's Azure access around that user's credential. */
    makeAccess(credential: TokenCredential): Promise<AzureAccess>;
    /** Extra CA for the authority (a private one). */
    caPem?: string;
    /** Bound on users held at once (default MAX_USERS). */
    maxUsers?: number;
    /** A user idle this long is dropped (default USER_IDLE_MS). */
    idleMs?: number;
}

const REFRESH_BEFORE_MS = 5 * 60_000;

interface UserEntry {
    access: Promise<AzureAccess>;
    /** The user's latest validated token: the assertion of the next on-behalf-of exchange. */
    assertion: string;
}

/**
 * The client assertion of AKS workload identity: the projected service-account token the webhook mounts at
 * AZURE_FEDERATED_TOKEN_FILE (Learn: "Use Microsoft Entra Workload ID with AKS"), read fresh each time since
 * the kubelet rotates it.
 */
export function clientProofFrom(env: NodeJS.ProcessEnv, certificatePath: string | undefined): ClientProof | undefined {
    if (certificatePath) return { certificatePath };
    const file = env.AZURE_FEDERATED_TOKEN_FILE;
    if (file) return { getAssertion: async () => (await readFile(file, 'utf8')).trim() };
    return undefined;
}

export function perUserAzure(o: PerUserAzureOptions): { forCaller(caller: Caller): Promise<AzureAccess>; size(): number } {
    const users = new LRUCache<string, UserEntry>({ max: o.maxUsers ?? MAX_USERS, ttl: o.idleMs ?? USER_IDLE_MS, updateAgeOnGet: true });
    const agent = o.caPem ? new Agent({ ca: o.caPem, keepAlive: true }) : undefined;

    /** One OnBehalfOfCredential per assertion: MSAL caches its tokens per assertion, and a new user token is a new assertion. */
    function oboFor(entry: UserEntry): TokenCredential {
        let built: { assertion: string; credential: Promise<TokenCredential> } | undefined;
        const current = async () => {
            if (built?.assertion !== entry.assertion) {
                const assertion = entry.assertion;
                built = {
                    assertion,
                    credential: import('@azure/identity').then(
                        ({ OnBehalfOfCredential }) =>
                            new OnBehalfOfCredential(({
                                tenantId: o.tenantId,
                                clientId: o.clientId,
                                userAssertionToken: assertion,
                                ...o.proof,
                                authorityHost: o.authorityHost,
                                // Instance discovery would ask login.microsoftonline.com about the authority; the configured one is trusted as given.
                                disableInstanceDiscovery: true,
                                ...(agent
                                    ? { additionalPolicies: [{ position: 'perCall' as const, policy: { name: 'authority-ca', sendRequest: (req: PipelineRequest, next: SendRequest) => next(Object.assign(req, { agent })) } }] }
                                    : {})
                                // disableInstanceDiscovery is read by the credential (its options go to MSAL whole) though its constructor overloads omit it.
                            }) as never)
                    )
                };
            }
            return built.credential;
        };
        // Concurrent first calls (ARM and ACR clients, parallel lookups) share one exchange per scope instead of
        // each asking Entra; a token is reused until five minutes before it expires.
        const tokens = new Map<string, { assertion: string; token: Promise<AccessToken | null> }>();
        return {
            async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
                const key = [scopes].flat().join(' ');
                const held = tokens.get(key);
                if (held && held.assertion === entry.assertion) {
                    const t = await held.token.catch(() => null);
                    if (t && t.expiresOnTimestamp - REFRESH_BEFORE_MS > Date.now()) return t;
                    if (tokens.get(key) !== held) return this.getToken(scopes, options);
                }
                const fresh = { assertion: entry.assertion, token: current().then(c => c.getToken(scopes, options)) };
                tokens.set(key, fresh);
                fresh.token.catch(() => {
                    if (tokens.get(key) === fresh) tokens.delete(key);
                });
                return fresh.token;
            }
        };
    }

    return {
        forCaller(caller) {
            const key = caller.oid.toLowerCase();
            let entry = users.get(key);
            if (!entry) {
                const fresh: UserEntry = { assertion: caller.token, access: Promise.resolve(undefined as never) };
                fresh.access = o.makeAccess(oboFor(fresh)).catch(e => {
                    users.delete(key);
                    throw e;
                });
                users.set(key, fresh);
                entry = fresh;
            }
            entry.assertion = caller.token;
            return entry.access;
        },
        size: () => users.size
    };
}
