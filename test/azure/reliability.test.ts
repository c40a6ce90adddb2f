/** Timeouts, retries and throttling against injected sandbox faults. */
import { afterEach, describe, expect, it } from 'vitest';
import { startSandboxApp, textOf, type SandboxApp } from '../helpers/sandbox-app.js';
import { waitFor } from '../helpers/wait-for.js';

const REGISTRIES = '/subscriptions/*/providers/Microsoft.ContainerRegistry/registries';
let t: SandboxApp | undefined;
afterEach(async () => {
    await t?.close();
    t = undefined;
});

const armHits = (t: SandboxApp, suffix: string) => t.sb.requestLog.entries(e => e.listener === 'arm' && e.path.endsWith(suffix));

describe('reliability', () => {
    it('honours Retry-After on a 429 from ARM, then succeeds', async () => {
        t = await startSandboxApp();
        t.sb.faults.add({ method: 'GET', path: REGISTRIES, status: 429, retryAfterSeconds: 1, times: 1 });
        const r = await t.call('acr_list_registries', { registry: 'contosoacr' });
        expect(r.isError).toBeFalsy();
        const hits = armHits(t, '/Microsoft.ContainerRegistry/registries');
        expect(hits.map(h => h.status)).toEqual([429, 200]);
        expect(hits[1]!.start - hits[0]!.end).toBeGreaterThanOrEqual(950);
    });

    it('does not wait for a Retry-After above the cap: a clear "throttled" error', async () => {
        t = await startSandboxApp();
        t.sb.faults.add({ method: 'GET', path: REGISTRIES, status: 429, retryAfterSeconds: 30, times: 5 });
        const started = Date.now();
        const r = await t.call('acr_list_registries', {});
        // Far less than the 5 x 30 s the server asked for.
        expect(Date.now() - started).toBeLessThan(20_000);
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/throttled[\s\S]*Retry-After 30 s[\s\S]*Fix: wait 30 seconds/);
        expect(armHits(t, '/Microsoft.ContainerRegistry/registries')).toHaveLength(1);
    });

    it('retries a 500 on the data plane and succeeds', async () => {
        t = await startSandboxApp();
        t.sb.faults.add({ method: 'GET', path: '/acr/v1/*/_streaming', registry: 'contosoacr', status: 500, times: 2 });
        const r = await t.call('acr_get_repository_streaming', { registry: 'contosoacr', repository: 'ml/trainer' });
        expect(r.structuredContent).toMatchObject({ convertPushedImages: true });
        expect(t.sb.requestLog.entries(e => e.path === '/acr/v1/ml/trainer/_streaming').map(e => e.status)).toEqual([500, 500, 200]);
    });

    it('gives up on a persistent 500 with a ToolError, not a stack trace', async () => {
        t = await startSandboxApp();
        t.sb.faults.add({ method: 'GET', path: '/acr/v1/*/_streaming', registry: 'contosoacr', status: 500 });
        const r = await t.call('acr_get_repository_streaming', { registry: 'contosoacr', repository: 'ml/trainer' });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/server error[\s\S]*Why: .*500[\s\S]*Fix:/);
        expect(textOf(r)).not.toMatch(/\bat .*\.(ts|js):\d+/);
        expect(t.sb.requestLog.entries(e => e.path === '/acr/v1/ml/trainer/_streaming')).toHaveLength(3);
    });

    it('survives a connection reset', async () => {
        t = await startSandboxApp();
        t.sb.faults.add({ method: 'GET', path: '/v2/*/manifests/*', registry: 'contosoacr', action: 'reset', times: 1 });
        t.sb.faults.add({ method: 'GET', path: REGISTRIES, action: 'reset', times: 1 });
        const r = await t.call('acr_inspect_image', { image: 'contosoacr.azurecr.io/ml/trainer:v1' });
        expect(r.isError).toBeFalsy();
        expect(t.sb.requestLog.entries(e => e.status === 0).length).toBe(2);
    });

    it('retries a Kubernetes read that met a 503, a reset or a 429 with Retry-After (found by the fault matrix)', async () => {
        t = await startSandboxApp();
        t.sb.faults.add({ method: 'GET', path: '/api/v1/pods', status: 503, times: 1 });
        t.sb.faults.add({ method: 'GET', path: '/api/v1/events', action: 'reset', times: 1 });
        t.sb.faults.add({ method: 'GET', path: '/api/v1/nodes', status: 429, retryAfterSeconds: 1, times: 1 });
        const r = await t.call('streaming_scan_cluster', { cluster: 'aks-prod' });
        expect(r.isError, textOf(r)).toBeFalsy();
        const kube = (path: string) => t!.sb.requestLog.entries(e => e.listener === 'kube:aks-prod' && e.path === path).map(e => e.status);
        expect(kube('/api/v1/pods')).toEqual([503, 200]);
        expect(kube('/api/v1/events')).toEqual([0, 200]);
        const nodes = t.sb.requestLog.entries(e => e.listener === 'kube:aks-prod' && e.path === '/api/v1/nodes');
        expect(nodes.map(e => e.status)).toEqual([429, 200]);
        expect(nodes[1]!.start - nodes[0]!.end).toBeGreaterThanOrEqual(950);
    });

    it('a Kubernetes read throttled beyond the cap says how long to wait, as the API server asked', async () => {
        t = await startSandboxApp();
        t.sb.faults.add({ method: 'GET', path: '/api/v1/pods', status: 429, retryAfterSeconds: 40 });
        const r = await t.call('streaming_scan_cluster', { cluster: 'aks-prod' });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/throttled[\s\S]*Retry-After 40 s[\s\S]*Fix: wait 40 seconds/);
        expect(t.sb.requestLog.entries(e => e.path === '/api/v1/pods')).toHaveLength(1);
    });

    it('a slow answer hits the timeout and becomes a clear ToolError', async () => {
        t = await startSandboxApp({ azure: { retry: { timeoutMs: 1_000, maxRetries: 1, retryDelayMs: 5, maxRetryDelayMs: 10, maxRetryAfterMs: 100 } } });
        // Warm up first (SDK imports, TLS, registry lookup) so a loaded CI machine cannot trip the timeout early.
        expect((await t.call('acr_get_repository_streaming', { registry: 'contosoacr', repository: 'ml/trainer' })).isError).toBeFalsy();
        t.sb.faults.add({ method: 'GET', path: '/acr/v1/*/_streaming', registry: 'contosoacr', action: 'slow', delayMs: 20_000 });
        const started = Date.now();
        const r = await t.call('acr_get_repository_streaming', { registry: 'contosoacr', repository: 'ml/trainer' });
        // Gave up long before the 20 s answer would have come.
        expect(Date.now() - started).toBeLessThan(15_000);
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/timed out[\s\S]*no answer from contosoacr\.azurecr\.io within 1000 ms \(2 attempts\)/);
    });

    it('a slow answer once is retried transparently', async () => {
        t = await startSandboxApp({ azure: { retry: { timeoutMs: 2_000, maxRetries: 2, retryDelayMs: 5, maxRetryDelayMs: 10, maxRetryAfterMs: 100 } } });
        t.sb.faults.add({ method: 'GET', path: REGISTRIES, action: 'slow', delayMs: 20_000, times: 1 });
        const r = await t.call('acr_list_registries', {});
        expect(r.isError).toBeFalsy();
    });

    it('a cancelled call stops: no retries after the abort', async () => {
        t = await startSandboxApp({ azure: { registryCacheMs: 0, retry: { timeoutMs: 5_000, maxRetries: 3, retryDelayMs: 5, maxRetryDelayMs: 10, maxRetryAfterMs: 100 } } });
        // Warm up (SDK import, TLS) so the aborted call is surely in flight when the abort comes.
        expect((await t.call('acr_list_registries', {})).isError).toBeFalsy();
        t.sb.requestLog.clear();
        // One slow answer: a retry after the abort, if any, would get a quick answer and show up in the log.
        t.sb.faults.add({ method: 'GET', path: REGISTRIES, action: 'slow', delayMs: 10_000, times: 1 });
        const ac = new AbortController();
        const pending = t.client.callTool({ name: 'acr_list_registries', arguments: {} }, { signal: ac.signal });
        // Abort once the sandbox holds the request (the fault is spent on arrival), however slow the machine.
        await waitFor(() => t!.sb.faults.list().length === 0, 10_000, 'the request to reach the sandbox');
        ac.abort();
        await expect(pending).rejects.toThrow();
        await waitFor(() => armHits(t!, '/Microsoft.ContainerRegistry/registries').length > 0, 5_000, 'the abandoned request');
        await new Promise(r => setTimeout(r, 300)); // a retry, if any, would show up here
        expect(armHits(t, '/Microsoft.ContainerRegistry/registries')).toHaveLength(1);
    });
});
