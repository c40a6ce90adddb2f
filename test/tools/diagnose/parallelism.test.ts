/**
 * The request log proves the diagnosis gathers in parallel: its critical path (the longest chain of requests
 * each starting after the previous one ended) is at most 6 round trips cold and 4 warm, and each registry gets
 * one token exchange. Every listener answers after the same delay, so requests that run together overlap.
 * "Cold" means no cached registry list, token or kubeconfig. Loading the Kubernetes client module is a one-time
 * process cost (bench/ measures start-up), and here it would stall the event loop the in-process sandbox shares
 * with the client, inventing round trips: it is loaded before measuring.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxApp, textOf, type SandboxApp } from '../../helpers/sandbox-app.js';

let t: SandboxApp;
beforeAll(async () => {
    await import('@kubernetes/client-node');
    t = await startSandboxApp({ sandbox: { world: 'test/worlds/01-healthy.json', behaviour: { latencyMs: 100 } } });
});
afterAll(async () => t?.close());

const ARGS = { image: 'contosoacr.azurecr.io/ml/trainer:v1', cluster: 'aks-prod', namespace: 'ml', pod: 'trainer-0' };

async function diagnoseAndMeasure() {
    t.sb.requestLog.clear();
    const r = await t.call('streaming_diagnose', ARGS);
    expect(r.isError, textOf(r)).toBeFalsy();
    expect((r.structuredContent as { verdict: string }).verdict).toBe('streams');
    const log = t.sb.requestLog;
    return {
        depth: log.depth(),
        requests: log.entries().length,
        exchanges: log.entries(e => e.path === '/oauth2/exchange').length,
        chain: (() => { const es = log.entries().sort((a, b) => a.start - b.start); const t0 = es[0]?.start ?? 0; return es.map(e => `${(e.start - t0).toFixed(0).padStart(5)}-${(e.end - t0).toFixed(0).padStart(5)} ${e.listener} ${e.method} ${e.path.slice(0, 90)}`); })()
    };
}

describe('streaming_diagnose critical path', () => {
    it('cold: at most 6 round trips, one token exchange for the registry', async () => {
        const m = await diagnoseAndMeasure();
        console.log(`[parallelism] cold: depth ${m.depth}, ${m.requests} requests, ${m.exchanges} token exchange(s)`);
        expect(m.depth, m.chain.join('\n')).toBeLessThanOrEqual(6);
        expect(m.exchanges).toBe(1);
    });

    it('warm: at most 4 round trips and no new token exchange', async () => {
        const m = await diagnoseAndMeasure();
        console.log(`[parallelism] warm: depth ${m.depth}, ${m.requests} requests, ${m.exchanges} token exchange(s)`);
        expect(m.depth, m.chain.join('\n')).toBeLessThanOrEqual(4);
        expect(m.exchanges).toBe(0);
    });
});
