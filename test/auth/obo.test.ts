/**
 * Per-user Azure identity (--downstream-identity obo, the default with --auth entra): every ARM and ACR
 * request of a user's tool call carries that user's on-behalf-of token, each user gets their own token from
 * Entra, and nothing one user's call cached (ARM lookups, ACR refresh and access tokens) serves another's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenCredential } from '@azure/core-auth';
import { perUserAzure } from '../../src/auth/per-user-azure.js';
import type { AzureAccess } from '../../src/azure/azure-access.js';
import type { RequestLogEntry } from '../../src/sandbox/index.js';
import { startTeamServer, type TeamServer } from '../helpers/team-server.js';
import { textOf } from '../helpers/mcp.js';
import { httpsRequest } from '../helpers/https.js';
import { teamWorld } from './team-world.js';

let ts: TeamServer;
beforeAll(async () => {
    ts = await startTeamServer({ sandbox: { world: teamWorld() } });
});
afterAll(() => ts.close());

const azureCalls = (from: number) => ts.sb.requestLog.entries(e => e.start >= from && (e.listener === 'arm' || e.listener.startsWith('registry:')));

async function asUser(name: string): Promise<RequestLogEntry[]> {
    const client = await ts.connectAs(name);
    const from = performance.timeOrigin + performance.now();
    for (const [tool, args] of [
        ['acr_list_registries', {}],
        ['acr_get_repository_streaming', { registry: 'changeacr', repository: 'ml/trainer' }]
    ] as const) {
        const r = await client.callTool({ name: tool, arguments: args });
        expect(r.isError, textOf(r)).toBeFalsy();
    }
    return azureCalls(from);
}

describe('on-behalf-of per user', () => {
    it("sends each user's calls with that user's own token and shares no cache between users", async () => {
        const operatorCalls = await asUser('operator');
        const readerCalls = await asUser('reader');
        for (const [calls, upn] of [
            [operatorCalls, 'operator@contoso.example'],
            [readerCalls, 'reader@contoso.example']
        ] as const) {
            expect(calls.length).toBeGreaterThan(0);
            // Every ARM and ACR request of the call that carried a token carried this user's: none ran on the other
            // user's. The only ones without are the registry's unauthenticated challenge probes (GET /v2/ → 401).
            expect(new Set(calls.filter(c => c.caller !== undefined).map(c => c.caller))).toEqual(new Set([upn]));
            expect(calls.filter(c => c.caller === undefined).every(c => c.path === '/v2/' && c.status === 401)).toBe(true);
            // The reader's first call did its own ARM lookup and its own ACR token exchange: no cache hit on the operator's.
            expect(calls.some(c => c.listener === 'arm' && /registries$/i.test(c.path))).toBe(true);
            expect(calls.some(c => c.path === '/oauth2/exchange')).toBe(true);
        }
        const obo = ts.sb.entra.issued.filter(i => i.grant === 'on_behalf_of');
        expect(new Set(obo.map(i => i.upn))).toEqual(new Set(['operator@contoso.example', 'reader@contoso.example']));
        expect(obo.every(i => i.audience === 'https://management.azure.com')).toBe(true);
    });

    it("reuses a user's on-behalf-of token across their calls instead of asking Entra each time", async () => {
        const client = await ts.connectAs('operator2');
        const count = () => ts.sb.entra.issued.filter(i => i.upn === 'operator2@contoso.example').length;
        for (let i = 0; i < 3; i++) expect((await client.callTool({ name: 'acr_list_registries', arguments: {} })).isError).toBeFalsy();
        expect(count()).toBe(1);
    });

    it('refuses, as ARM does, a user token sent to ARM as it is (audience confusion)', async () => {
        const token = await ts.sb.entra.userToken('operator');
        const res = await httpsRequest(`${ts.sb.armEndpoint}/subscriptions?api-version=2022-12-01`, 'GET', { ca: ts.sb.caPem, headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(401);
        expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'InvalidAuthenticationTokenAudience' } });
    });
});

describe('the per-user map', () => {
    it('is bounded: the least recently used user is dropped and rebuilt on their next call', async () => {
        const made: TokenCredential[] = [];
        const users = perUserAzure({
            authorityHost: 'https://127.0.0.1:1',
            tenantId: 't',
            clientId: 'c',
            proof: { getAssertion: async () => 'x' },
            maxUsers: 2,
            makeAccess: async credential => {
                made.push(credential);
                return { credential } as unknown as AzureAccess;
            }
        });
        const caller = (oid: string) => ({ oid, tid: 't', roles: [], token: `token-of-${oid}`, expiresAt: 0 });
        const a1 = await users.forCaller(caller('a'));
        await users.forCaller(caller('b'));
        expect(await users.forCaller(caller('a'))).toBe(a1);
        await users.forCaller(caller('c')); // evicts b, the least recently used
        expect(users.size()).toBe(2);
        expect(made).toHaveLength(3);
        expect(await users.forCaller(caller('A'))).toBe(a1); // object ids compare case-insensitively
        expect(made).toHaveLength(3);
        await users.forCaller(caller('b'));
        expect(made).toHaveLength(4);
    });
});
