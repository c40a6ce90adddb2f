import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { aksClient } from './sandbox-clients.js';
import { coreV1 } from './kube-client.js';
import { must } from '../helpers/must.js';

const run = promisify(execFile);
const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find(p => existsSync(p));
if (!KUBECTL) console.warn('[sandbox] kubectl not found: the kubectl contract test is SKIPPED (install the Debian kubernetes-client package).');

let sb: Sandbox;
let kubeconfig: string;
beforeAll(async () => {
    sb = await startSandbox();
    const creds = await aksClient(sb).managedClusters.listClusterUserCredentials('rg-aks-prod', 'aks-prod');
    kubeconfig = Buffer.from(must(creds.kubeconfigs?.[0]?.value, 'a kubeconfig')).toString('utf8');
});
afterAll(async () => {
    await sb?.close();
});

describe('Kubernetes API of a sandbox cluster, through @kubernetes/client-node', () => {
    it('lists pods with image, pull secrets, node and the extra conditions', async () => {
        const core = coreV1(kubeconfig);
        const list = await core.listNamespacedPod({ namespace: 'web' });
        const secretPod = list.items.find(p => p.metadata?.name === 'frontend-0')!;
        expect(secretPod.spec?.containers[0]?.image).toBe('contosoacr.azurecr.io/web/frontend:1.4.0');
        expect(secretPod.spec?.imagePullSecrets).toEqual([{ name: 'acr-pull-secret' }]);
        expect(secretPod.spec?.nodeName).toMatch(/^aks-gpupool-\d{8}-vmss00000[01]$/);
        expect(secretPod.status?.phase).toBe('Running');

        const upgrade = await core.readNamespacedPod({ namespace: 'ml', name: 'trainer-upgrade-0' });
        expect(upgrade.status?.conditions?.find(c => c.type === 'UpgradeIfStreamableDisabled')?.status).toBe('True');
        expect(upgrade.status?.conditions?.find(c => c.type === 'Ready')?.status).toBe('True');

        const all = await core.listPodForAllNamespaces();
        expect(all.items.length).toBe(sb.world.clusters[0]?.pods.length);
        await expect(core.readNamespacedPod({ namespace: 'ml', name: 'nosuchpod' })).rejects.toMatchObject({ code: 404 });
    });

    it('emits kubelet-style Pulling/Pulled events with duration and image size, filtered by fieldSelector', async () => {
        const core = coreV1(kubeconfig);
        const ev = await core.listNamespacedEvent({ namespace: 'ml', fieldSelector: 'involvedObject.name=trainer-1' });
        expect(ev.items.every(e => e.involvedObject.name === 'trainer-1')).toBe(true);
        const reasons = ev.items.map(e => e.reason);
        expect(reasons).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
        const pulled = ev.items.find(e => e.reason === 'Pulled')!;
        const size = must(sb.world.registries[0]?.repositories[0]?.images[1]?.platforms[0], 'the demo image ml/trainer:v2').layerSizes.reduce((a, b) => a + b, 0);
        expect(pulled.message).toBe(
            `Successfully pulled image "contosoacr.azurecr.io/ml/trainer:v2" in 3m32.4s (3m32.4s including waiting). Image size: ${size} bytes.`
        );
        expect(ev.items.find(e => e.reason === 'Pulling')?.message).toBe('Pulling image "contosoacr.azurecr.io/ml/trainer:v2"');
        const unfiltered = await core.listNamespacedEvent({ namespace: 'ml' });
        expect(unfiltered.items.length).toBeGreaterThan(ev.items.length);
    });

    it("returns the world's extra events verbatim (the acr-mirror 503)", async () => {
        const creds = await aksClient(sb).managedClusters.listClusterUserCredentials('rg-aks-edge', 'aks-edge');
        const core = coreV1(Buffer.from(must(creds.kubeconfigs?.[0]?.value, 'a kubeconfig')).toString('utf8'));
        const ev = await core.listNamespacedEvent({ namespace: 'default', fieldSelector: 'involvedObject.name=edge-trainer-0,type=Warning' });
        expect(ev.items[0]?.message).toMatch(/HEAD request to http:\/\/localhost:8578\/v2\/ml\/trainer\/manifests\/v1\?ns=contosoacr\.azurecr\.io: 503 Service Unavailable$/);
        const pod = await core.readNamespacedPod({ namespace: 'default', name: 'edge-trainer-0' });
        expect(pod.status?.phase).toBe('Pending');
        expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ImagePullBackOff');
    });

    it('lists nodes per pool with AKS labels, arm64 for p-series VM sizes, OS Guard and confidential VMs as AKS labels them', async () => {
        const core = coreV1(kubeconfig);
        const nodes = (await core.listNode()).items;
        const count = must(sb.world.clusters[0], 'the demo cluster aks-prod').agentPools.reduce((n, p) => n + p.count, 0);
        expect(nodes).toHaveLength(count);
        const arm = nodes.find(n => n.metadata?.labels?.['kubernetes.azure.com/agentpool'] === 'armpool')!;
        expect(arm.metadata?.name).toMatch(/^aks-armpool-\d{8}-vmss000000$/);
        expect(arm.metadata?.labels).toMatchObject({ 'kubernetes.io/arch': 'arm64', 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'Standard_D4ps_v5', 'kubernetes.azure.com/os-sku': 'Ubuntu2204' });
        const guard = nodes.find(n => n.metadata?.labels?.['kubernetes.azure.com/agentpool'] === 'guardpool')!;
        expect(guard.metadata?.labels).toMatchObject({ 'kubernetes.azure.com/os-sku': 'AzureLinuxOSGuard', 'kubernetes.azure.com/fips_enabled': 'true' });
        const cvm = nodes.find(n => n.metadata?.labels?.['kubernetes.azure.com/agentpool'] === 'cvmpool')!;
        expect(cvm.metadata?.labels?.['kubernetes.azure.com/security-type']).toBe('ConfidentialVM');
        expect(nodes.flatMap(n => Object.keys(n.metadata?.labels ?? {})).filter(k => k.startsWith('sandbox'))).toEqual([]);
        const win = nodes.find(n => n.metadata?.labels?.['kubernetes.io/os'] === 'windows')!;
        expect(win.metadata?.name).toBe('aksnpwin000000');
        const gpu = await core.listNode({ labelSelector: 'kubernetes.azure.com/agentpool=gpupool' });
        expect(gpu.items.map(n => n.metadata?.labels?.['kubernetes.io/arch'])).toEqual(['amd64', 'amd64']);
    });

    it('refuses requests without the kubeconfig bearer token', async () => {
        const core = coreV1(kubeconfig.replace(/token: ".*"/, 'token: "wrong"'));
        await expect(core.listNamespacedPod({ namespace: 'default' })).rejects.toMatchObject({ code: 401 });
    });

    it.skipIf(!KUBECTL)('works with kubectl get pods,events -o json using the listClusterUserCredential kubeconfig', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'kubectl-'));
        try {
            const path = join(dir, 'config');
            await writeFile(path, kubeconfig, { mode: 0o600 });
            const { stdout } = await run(KUBECTL!, ['--kubeconfig', path, '--cache-dir', join(dir, 'cache'), '-n', 'ml', 'get', 'pods,events', '-o', 'json'], {
                env: { PATH: process.env.PATH ?? '', HOME: dir },
                timeout: 20_000
            });
            const list = JSON.parse(stdout) as { items: Array<{ kind: string; metadata: { name: string }; reason?: string }> };
            expect(list.items.filter(i => i.kind === 'Pod').map(i => i.metadata.name)).toContain('trainer-0');
            expect(list.items.some(i => i.kind === 'Event' && i.reason === 'Pulled')).toBe(true);
        } finally {
            await rm(dir, { recursive: true, force: true });
        }
    });
});

describe('clusters of one name in two resource groups', () => {
    it('gives each its own API server through listClusterUserCredential', async () => {
        const pool = { name: 'np1', osType: 'Linux', osSKU: 'Ubuntu2204', vmSize: 'Standard_D4s_v5' } as const;
        const twin = (resourceGroup: string, pod: string) => ({
            name: 'twin',
            resourceGroup,
            kubernetesVersion: '1.30.5',
            kubeletIdentityObjectId: resourceGroup,
            agentPools: [pool],
            pods: [{ name: pod, nodePool: 'np1', image: 'x.azurecr.io/a:b' }]
        });
        const s = await startSandbox({
            world: { version: 1, subscription: { id: '00000000-0000-0000-0000-000000000001', tenantId: 't' }, clusters: [twin('rg-a', 'pod-a'), twin('rg-b', 'pod-b')] }
        });
        try {
            for (const [rg, pod] of [['rg-a', 'pod-a'], ['rg-b', 'pod-b']] as const) {
                const creds = await aksClient(s).managedClusters.listClusterUserCredentials(rg, 'twin');
                const core = coreV1(Buffer.from(must(creds.kubeconfigs?.[0]?.value, 'a kubeconfig')).toString('utf8'));
                expect((await core.listNamespacedPod({ namespace: 'default' })).items.map(p => p.metadata?.name)).toEqual([pod]);
            }
        } finally {
            await s.close();
        }
    });
});
