/**
 * Scale-out: three team-server processes behind a round-robin proxy on loopback, one sandbox (its Entra
 * tenant, ARM and ACR) behind them all. Two users with different roles sign in; the operator's plan made on
 * one replica is applied on another (stateless confirmations under a shared --confirmation-key, bound to the
 * operator), the reader is refused, each replica exchanges each user's token on their behalf, and no request
 * of one user carries the other's identity. A 2025-era session lives on one replica: through the proxy it works
 * only with session affinity. The proxy is the one bench/scale-out.bench.mjs measures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { textOf } from '../helpers/mcp.js';
import { startRoundRobinProxy } from '../../bench/lib/round-robin-proxy.mjs';
import { sandboxEndpoints } from '../helpers/team-replica.js';
import { waitFor } from '../helpers/wait-for.js';
import { teamWorld } from './team-world.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPLICA = fileURLToPath(new URL('../helpers/team-replica.ts', import.meta.url));
const KEY = 'scale-out-confirmation-key-shared-by-all-replicas';
const TOOL = 'acr_set_repository_streaming';
const ARGS = { registry: 'changeacr', repository: 'ml/trainer', enabled: true };

let sb: Sandbox;
let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>>;
let ports: number[] = [];
const replicas: { child: ChildProcess; stderr: () => string }[] = [];

beforeAll(async () => {
    sb = await startSandbox({ world: teamWorld(), behaviour: { conversionSeconds: 0.3 } });
    const env = { ...process.env, TEAM_SANDBOX: JSON.stringify(sandboxEndpoints(sb)), TEAM_CONFIRMATION_KEY: KEY, AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential' };
    ports = await Promise.all(
        [0, 1, 2].map(async () => {
            const child = spawn(process.execPath, ['--import', 'tsx', REPLICA], { cwd: ROOT, env });
            let out = '';
            let err = '';
            child.stdout.on('data', d => (out += d));
            child.stderr.on('data', d => (err += d));
            replicas.push({ child, stderr: () => err });
            const port = await waitFor(() => /listening (\d+)/.exec(out)?.[1] ?? (child.exitCode !== null ? 'exited' : undefined), 120_000, 'a replica to listen');
            if (port === 'exited') throw new Error(`a replica exited: ${err}`);
            return Number(port);
        })
    );
    proxy = await startRoundRobinProxy(ports);
}, 180_000);

afterAll(async () => {
    await proxy?.close();
    for (const r of replicas) if (r.child.exitCode === null) r.child.kill('SIGTERM');
    await Promise.all(replicas.map(r => (r.child.exitCode === null ? new Promise(resolve => r.child.once('close', resolve)) : undefined)));
    await sb?.close();
});

async function signIn(user: string): Promise<Client> {
    // The 2026-07-28 era is stateless, so it needs no session affinity (2025-era sessions do: docs/team-server.md).
    const client = new Client({ name: `scale-${user}`, version: '1' }, { versionNegotiation: { mode: 'auto' } });
    closeAfterTest(client);
    const token = await sb.entra.userToken(user);
    await client.connect(new StreamableHTTPClientTransport(proxy.url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
    expect(client.getProtocolEra()).toBe('modern');
    return client;
}

describe('three replicas behind a round-robin proxy', () => {
    it('applies on one replica the plan another made, refuses the reader, and keeps every user on their own identity', async () => {
        const operator = await signIn('operator');
        const reader = await signIn('reader');

        expect((await reader.listTools()).tools.map(t => t.name)).not.toContain(TOOL);
        const refused = await reader.callTool({ name: TOOL, arguments: ARGS });
        expect(textOf(refused)).toMatch(/needs the Streaming\.Operate app role/);

        const planAt = proxy.routed.length;
        const plan = (await operator.callTool({ name: TOOL, arguments: ARGS })).structuredContent as { status: string; confirmationToken?: string };
        expect(plan.status).toBe('plan');
        const applied = await operator.callTool({ name: TOOL, arguments: { ...ARGS, confirmationToken: plan.confirmationToken } });
        expect(applied.isError, textOf(applied)).toBeFalsy();
        expect(applied.structuredContent).toMatchObject({ status: 'applied' });
        const calls = proxy.routed.slice(planAt).filter(r => r.method === 'tools/call' && r.name === TOOL);
        expect(calls).toHaveLength(2);
        expect(calls[0]?.backend).not.toBe(calls[1]?.backend);

        // Both users call a read tool on every replica (round robin): each replica exchanges each user's token once.
        for (const user of ['reader', 'operator']) {
            const client = user === 'reader' ? reader : operator;
            for (let i = 0; i < 3; i++) expect((await client.callTool({ name: 'acr_list_registries', arguments: {} })).isError).toBeFalsy();
        }

        const obo = sb.entra.issued.filter(i => i.grant === 'on_behalf_of');
        expect(new Set(obo.map(i => i.upn))).toEqual(new Set(['operator@contoso.example', 'reader@contoso.example']));
        // At most one exchange per user and replica: the replicas cache each user's token, for that user only.
        for (const upn of ['operator@contoso.example', 'reader@contoso.example']) {
            const n = obo.filter(i => i.upn === upn).length;
            expect(n).toBeGreaterThanOrEqual(1);
            expect(n).toBeLessThanOrEqual(3);
        }
        const entraLog = sb.requestLog.entries(e => e.listener === 'entra' && e.path.endsWith('/oauth2/v2.0/token'));
        expect(new Set(entraLog.map(e => e.caller))).toEqual(new Set(['operator@contoso.example', 'reader@contoso.example']));
        const azure = sb.requestLog.entries(e => e.listener === 'arm' || e.listener.startsWith('registry:'));
        expect(azure.length).toBeGreaterThan(0);
        // Every ARM/ACR request carried one of the two users (the registry's unauthenticated GET /v2/ challenge probes carry none).
        expect(azure.filter(e => !(e.path === '/v2/' && e.status === 401)).every(e => e.caller === 'operator@contoso.example' || e.caller === 'reader@contoso.example')).toBe(true);
        const writes = azure.filter(e => e.method === 'POST' && e.path === '/acr/v1/ml/trainer/_streaming');
        expect(writes.map(e => e.caller)).toEqual(['operator@contoso.example']);
        expect(replicas.some(r => r.stderr().includes('"oid":"22222222-2222-4222-8222-222222222222"'))).toBe(true);
    });

    it('keeps a 2025-era session on the replica that opened it only with session affinity (deploy/README.md)', async () => {
        const token = await sb.entra.userToken('reader');
        const legacySession = async (url: URL) => {
            const client = new Client({ name: 'scale-legacy', version: '1' }, { versionNegotiation: { mode: 'legacy' } });
            closeAfterTest(client);
            await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
            expect(client.getProtocolEra()).toBe('legacy');
            return (await client.callTool({ name: 'acr_list_registries', arguments: {} })).isError;
        };
        const pinned = await startRoundRobinProxy(ports, { affinity: 'session' });
        const spread = await startRoundRobinProxy(ports);
        try {
            expect(await legacySession(pinned.url)).toBeFalsy();
            // initialize, initialized, the call (and the listening GET, if any): all on the replica holding the session.
            expect(pinned.routed.length).toBeGreaterThanOrEqual(3);
            expect(new Set(pinned.routed.map(r => r.backend)).size).toBe(1);
            // Without affinity the session's second request reaches another replica, which does not know it.
            await expect(legacySession(spread.url)).rejects.toThrow(/404|[Ss]ession not found/);
            expect(new Set(spread.routed.map(r => r.backend)).size).toBeGreaterThan(1);
        } finally {
            await pinned.close();
            await spread.close();
        }
    });
});
