/** Kubernetes reads through the kubeconfig ARM returns (listClusterUserCredential). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAzureAccess, type AzureAccess } from '../../src/azure/azure-access.js';
import { DEFAULT_RETRY } from '../../src/azure/http-policies.js';
import { kubeAccessFromKubeconfig } from '../../src/azure/kube.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { azureOptionsForSandbox } from '../../src/wiring/sandbox-azure.js';
import { ToolError } from '../../src/tool-error.js';
import { FAST_RETRY } from '../helpers/sandbox-app.js';

let sb: Sandbox;
let azure: AzureAccess;
const signal = new AbortController().signal;
beforeAll(async () => {
    sb = await startSandbox();
    azure = await createAzureAccess(azureOptionsForSandbox(sb, { retry: FAST_RETRY }));
});
afterAll(async () => sb?.close());

it('lists pods, reads one pod, its events and the nodes', async () => {
    const cluster = await azure.findCluster('aks-prod', { abortSignal: signal });
    const kube = await azure.kube(cluster, { abortSignal: signal });
    const world = sb.world.clusters.find(c => c.name === 'aks-prod')!;
    const pods = await kube.listPods('default', { abortSignal: signal });
    expect(pods.map(p => p.metadata?.name).sort()).toEqual(world.pods.filter(p => p.namespace === 'default').map(p => p.name).sort());
    const first = world.pods[0]!;
    const pod = await kube.getPod(first.namespace, first.name, { abortSignal: signal });
    expect(pod.spec?.containers?.[0]?.image).toBe(first.image);
    const events = await kube.listEvents(first.namespace, first.name, { abortSignal: signal });
    expect(events.every(e => e.involvedObject?.name === first.name)).toBe(true);
    const nodes = await kube.listNodes({ abortSignal: signal });
    expect(nodes.length).toBe(world.agentPools.reduce((n, p) => n + p.count, 0));
    // The kubeconfig is fetched once and reused.
    await azure.kube(cluster, { abortSignal: signal });
    expect(sb.requestLog.entries(e => e.path.endsWith('/listClusterUserCredential'))).toHaveLength(1);
});

it('refuses a kubeconfig whose API server is not https: the token would travel in the clear', async () => {
    let asked = 0;
    const credential = { getToken: async () => (asked++, { token: 'x', expiresOnTimestamp: Date.now() + 3600_000 }) };
    const yaml = [
        'apiVersion: v1',
        'clusters: [{ name: c, cluster: { server: "http://aks-prod.hcp.eastus.azmk8s.io:80" } }]',
        'users: [{ name: u, user: { token: secret-bearer-value } }]',
        'contexts: [{ name: x, context: { cluster: c, user: u } }]',
        'current-context: x'
    ].join('\n');
    await expect(kubeAccessFromKubeconfig(yaml, { credential, retry: { ...DEFAULT_RETRY, timeoutMs: 5_000 }, abortSignal: new AbortController().signal })).rejects.toThrow(/not https/);
    expect(asked).toBe(0);
});

it('a refusal of the Kubernetes API is a ToolError naming the API server and the status, not an unexpected failure', async () => {
    const cluster = await azure.findCluster('aks-prod', { abortSignal: signal });
    const kube = await azure.kube(cluster, { abortSignal: signal });
    sb.faults.add({ method: 'GET', path: '/api/v1/namespaces/*/pods', status: 403, times: 1 });
    const e = await kube.listPods('default', { abortSignal: signal }).catch(err => err);
    expect(e).toBeInstanceOf(ToolError);
    expect(e).toMatchObject({ code: 'FORBIDDEN' });
    expect((e as ToolError).toText()).toMatch(/Listing pods in namespace default on cluster aks-prod was refused: forbidden[\s\S]*Why: .* answered 403/);
    expect((e as ToolError).toText()).not.toMatch(/unexpectedly|HTTP-Code|Headers:/);
});
