/**
 * Every tool call ends within its deadline (--tool-timeout-seconds), whatever the upstream does, with an
 * error that says what was done and what to do; while it runs it reports progress, so a client that resets
 * its own timeout on progress keeps waiting. The sandbox plays the upstream that never answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { createAzureAccess } from '../../src/azure/azure-access.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { azureOptionsForSandbox } from '../../src/wiring/sandbox-azure.js';
import { connectV1ForTest, itEachEra, testApp, textOf } from '../helpers/mcp.js';

const REGISTRY_LIST = '/subscriptions/*/providers/Microsoft.ContainerRegistry/registries';
let sb: Sandbox;
beforeAll(async () => {
    sb = await startSandbox();
});
afterAll(() => sb.close());

/** An app on the sandbox with the production retry settings (30 s-class attempts, 3 retries) and the given deadline. */
async function appWithDeadline(seconds: number) {
    return testApp({ toolTimeoutSeconds: seconds }, { azure: () => createAzureAccess(azureOptionsForSandbox(sb)) });
}

describe('the per-call deadline', () => {
    itEachEra('ends a call whose upstream never answers at the deadline, saying what was done and what to do', () => appWithDeadline(2), async client => {
        sb.faults.clear();
        sb.faults.add({ method: 'GET', path: REGISTRY_LIST, action: 'slow', delayMs: 600_000 });
        try {
            // Without the deadline this call would take 4 attempts x the attempt timeout: far beyond the client's patience.
            const r = await client.callTool({ name: 'acr_list_registries', arguments: {} }, { timeout: 300_000 });
            expect(r.isError).toBe(true);
            const text = textOf(r);
            expect(text).toMatch(/^acr_list_registries did not finish within 2 s\./);
            expect(text).toMatch(/Why: 1 Azure request was made.*GET \S+\/subscriptions\/[^ ]+\/registries.*no answer yet/);
            expect(text).toMatch(/Fix: .*retry in a moment.*--tool-timeout-seconds/);
            expect(text).toMatch(/Code: DEADLINE$/);
            expect(r._meta?.['acr-streaming-mcp/error']).toMatchObject({ code: 'DEADLINE' });
        } finally {
            sb.faults.clear();
        }
    });

    it('reports progress while it waits, so a 2025-era client that resets its timeout on progress gets the answer', async () => {
        sb.faults.clear();
        // One slow answer (2.5 s), longer than the client's own 1.5 s timeout; the deadline (4 s) is not reached.
        sb.faults.add({ method: 'GET', path: REGISTRY_LIST, action: 'slow', delayMs: 2_500, times: 1 });
        const { client } = await connectV1ForTest(await appWithDeadline(4));
        try {
            const seen: { progress: number; message?: string }[] = [];
            const r = await client.callTool({ name: 'acr_list_registries', arguments: {} }, CallToolResultSchema, {
                timeout: 1_500,
                resetTimeoutOnProgress: true,
                onprogress: p => void seen.push(p)
            });
            expect(r.isError).toBeFalsy();
            expect(seen.length).toBeGreaterThan(0);
            expect(seen.map(p => p.progress)).toEqual([...seen.map(p => p.progress)].sort((a, b) => a - b));
            expect(new Set(seen.map(p => p.progress)).size).toBe(seen.length);
            expect(seen[0]!.message).toMatch(/waiting for GET \S+\/subscriptions\//);
        } finally {
            sb.faults.clear();
        }
    });

    itEachEra('fails a throttled call at once when the wait Azure asks for would not fit before the deadline', () => appWithDeadline(5), async client => {
        sb.faults.clear();
        sb.faults.add({ method: 'GET', path: REGISTRY_LIST, status: 429, retryAfterSeconds: 10, times: 1 });
        try {
            const r = await client.callTool({ name: 'acr_list_registries', arguments: {} });
            expect(r.isError).toBe(true);
            expect(textOf(r)).toMatch(/Code: THROTTLED$/);
            expect(textOf(r)).toMatch(/wait 10 seconds/);
        } finally {
            sb.faults.clear();
        }
    });
});
