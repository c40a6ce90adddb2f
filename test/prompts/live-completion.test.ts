/**
 * Prompt arguments complete from live data (here the sandbox, through the same Azure access as Azure):
 * registries, repositories, tags (inside an image reference), clusters and node pools, using the arguments
 * given before as context; bounded, briefly cached, and empty rather than an error when Azure fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureAccess } from '../../src/azure/azure-access.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { azureOptionsForSandbox } from '../../src/wiring/sandbox-azure.js';
import { describeEachEra, testApp, type EraClient } from '../helpers/mcp.js';
import { FAST_RETRY } from '../helpers/sandbox-app.js';

let sb: Sandbox;
beforeAll(async () => {
    sb = await startSandbox();
});
afterAll(() => sb.close());

let conn: EraClient;
async function complete(prompt: string, name: string, value: string, args?: Record<string, string>) {
    const r = await conn.client.complete({ ref: { type: 'ref/prompt', name: prompt }, argument: { name, value }, ...(args ? { context: { arguments: args } } : {}) });
    return r.completion;
}

describeEachEra('prompt argument completion from live data', () => testApp({}, { azure: () => createAzureAccess(azureOptionsForSandbox(sb, { retry: FAST_RETRY })) }), era => {
    beforeAll(() => void (conn = era));

    it('completes registry names', async () => {
        expect((await complete('streaming_readiness_review', 'registry', 'co')).values).toEqual(['contosoacr']);
        expect((await complete('enable_artifact_streaming', 'registry', '')).values).toEqual(expect.arrayContaining(['contosoacr', 'fabrikamstd', 'woodgrovecmk']));
    });

    it('completes repositories of the registry given before', async () => {
        const c = await complete('enable_artifact_streaming', 'repository', 'ml/', { registry: 'contosoacr' });
        expect(c.values).toEqual(['ml/inference', 'ml/trainer']);
        // Without the registry there is nothing to list.
        expect((await complete('enable_artifact_streaming', 'repository', 'ml/')).values).toEqual([]);
    });

    it('completes an image reference step by step: login server, repository, tag', async () => {
        expect((await complete('troubleshoot_slow_pod_start', 'image', 'cont')).values).toEqual(['contosoacr.azurecr.io/']);
        expect((await complete('troubleshoot_slow_pod_start', 'image', 'contosoacr.azurecr.io/ml/t')).values).toEqual(['contosoacr.azurecr.io/ml/trainer']);
        const tags = (await complete('troubleshoot_slow_pod_start', 'image', 'contosoacr.azurecr.io/ml/trainer:')).values;
        expect(tags).toEqual(expect.arrayContaining(['contosoacr.azurecr.io/ml/trainer:v1', 'contosoacr.azurecr.io/ml/trainer:v2', 'contosoacr.azurecr.io/ml/trainer:latest']));
    });

    it('completes clusters, and the node pools of the cluster given before', async () => {
        expect((await complete('troubleshoot_slow_pod_start', 'cluster', 'aks-')).values).toEqual(['aks-edge', 'aks-legacy', 'aks-prod']);
        expect((await complete('enable_artifact_streaming', 'nodePool', 'gpu', { cluster: 'aks-prod' })).values).toEqual(['gpupool']);
        expect((await complete('enable_artifact_streaming', 'nodePool', 'edge', { cluster: 'aks-edge' })).values).toEqual(['edgegpu', 'edgepool']);
    });

    it('answers repeated keystrokes from a short cache instead of asking Azure again', async () => {
        await complete('streaming_readiness_review', 'cluster', 'a');
        sb.requestLog.clear();
        for (const v of ['a', 'ak', 'aks', 'aks-p']) await complete('streaming_readiness_review', 'cluster', v);
        expect(sb.requestLog.entries().filter(e => e.listener === 'arm')).toEqual([]);
    });

    it('offers nothing, without an error, when Azure fails', async () => {
        sb.faults.add({ method: 'GET', path: '/subscriptions/*/providers/Microsoft.ContainerService/managedClusters', status: 403 });
        try {
            const c = await complete('enable_artifact_streaming', 'nodePool', '', { cluster: 'no-such-cluster' });
            expect(c.values).toEqual([]);
        } finally {
            sb.faults.clear();
        }
    });
});
