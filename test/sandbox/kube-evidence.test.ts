/** The sandbox's Kubernetes side as the diagnosis reads it: failing pulls, folded events, service accounts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { loadWorld } from '../../src/sandbox/world/load-world.js';
import { coreV1 } from './kube-client.js';

let sb: Sandbox;
beforeAll(async () => {
    sb = await startSandbox({ world: 'test/fixtures/kubectl/world.json' });
});
afterAll(async () => sb?.close());

const core = () => coreV1(sb.kubeconfigs['aks-prod']!);

describe('sandbox pods and events', () => {
    it('a failing pull (pullError) leaves the kubelet\'s folded retry events and an ImagePullBackOff pod', async () => {
        const ev = (await core().listNamespacedEvent({ namespace: 'ml', fieldSelector: 'involvedObject.name=trainer-mirror' })).items;
        const pulling = ev.find(e => e.reason === 'Pulling')!;
        expect(pulling.count).toBe(4);
        expect(new Date(pulling.lastTimestamp!).getTime()).toBeGreaterThan(new Date(pulling.firstTimestamp!).getTime());
        expect(ev.filter(e => e.reason === 'Failed').map(e => e.message)).toEqual([
            expect.stringMatching(/localhost:8578\/v2\/ml\/trainer\/manifests\/v1\?ns=contosoacr\.azurecr\.io: 503 Service Unavailable$/),
            'Error: ErrImagePull',
            'Error: ImagePullBackOff'
        ]);
        expect(ev.map(e => e.reason)).not.toContain('Started');
        const pod = await core().readNamespacedPod({ namespace: 'ml', name: 'trainer-mirror' });
        expect(pod.status?.phase).toBe('Pending');
        expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ImagePullBackOff');
    });

    it("copies the service account's pull secrets into the pod spec, and serves the account", async () => {
        const pod = await core().readNamespacedPod({ namespace: 'ml', name: 'trainer-secret' });
        expect(pod.spec?.serviceAccountName).toBe('trainer');
        expect(pod.spec?.imagePullSecrets).toEqual([{ name: 'acr-pull-secret' }]);
        const sa = await core().readNamespacedServiceAccount({ namespace: 'ml', name: 'trainer' });
        expect(sa.imagePullSecrets).toEqual([{ name: 'acr-pull-secret' }]);
        const dflt = await core().readNamespacedServiceAccount({ namespace: 'ml', name: 'default' });
        expect(dflt.imagePullSecrets).toBeUndefined();
        await expect(core().readNamespacedServiceAccount({ namespace: 'ml', name: 'nosuch' })).rejects.toMatchObject({ code: 404 });
        expect((await core().listNamespacedServiceAccount({ namespace: 'ml' })).items.map(a => a.metadata?.name).sort()).toEqual(['default', 'trainer']);
    });
});

describe('world validation of the additions', () => {
    const base = JSON.parse(JSON.stringify({
        version: 1,
        subscription: { id: '00000000-0000-0000-0000-000000000009', tenantId: 't' },
        clusters: [{ name: 'c', resourceGroup: 'rg', kubernetesVersion: '1.30.5', kubeletIdentityObjectId: 'k', agentPools: [{ name: 'p', osType: 'Linux', osSKU: 'Ubuntu2204', vmSize: 'Standard_D4s_v5' }], pods: [] }]
    }));
    const withPod = (pod: object) => {
        const w = structuredClone(base);
        w.clusters[0].pods.push({ name: 'x', nodePool: 'p', image: 'a.azurecr.io/r:v1', ...pod });
        return w;
    };
    it.each([
        [{ serviceAccount: 'builder' }, /pods\[0\]\.serviceAccount: no service account "builder"/],
        [{ pullError: 'unauthorized', pullSeconds: 3 }, /pods\[0\]\.pullError: .*remove pullSeconds/],
        [{ pullError: 'slow' }, /pods\[0\]\.pullError: expected one of/],
        [{ events: [{ type: 'Warning', reason: 'Failed', message: 'm', count: 0 }] }, /events\[0\]\.count: /]
    ])('refuses %o', async (pod, message) => {
        await expect(loadWorld(withPod(pod) as never)).rejects.toThrow(message);
    });
});
