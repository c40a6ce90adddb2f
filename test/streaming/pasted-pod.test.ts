/**
 * Pod evidence from pasted kubectl output: the committed fixtures (real kubectl against the sandbox; see
 * test/fixtures/kubectl/README.md), then every kubectl installed here against a live sandbox, checked against
 * what the Kubernetes API says about the same pod.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldedCount, pullRecord, splitFieldPath } from '../../src/streaming/kubelet-events.js';
import { parsePastedPod, poolFromNodeName } from '../../src/streaming/pasted-pod.js';
import { podFromApi } from '../../src/streaming/pod-from-api.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { coreV1 } from '../sandbox/kube-client.js';

const dir = 'test/fixtures/kubectl';
const fixture = (name: string) => readFileSync(join(dir, name), 'utf8');
const IMAGE = 'contosoacr.azurecr.io/ml/trainer:v1';

describe('kubelet event messages', () => {
    it.each([
        [`Successfully pulled image "${IMAGE}" in 3m13.8s (3m13.8s including waiting). Image size: 4326424576 bytes.`, 193.8, 193.8, 4326424576],
        [`Successfully pulled image "${IMAGE}" in 1h2m3.25s (1h2m3.25s including waiting)`, 3723.25, 3723.25, undefined],
        [`Successfully pulled image "${IMAGE}" in 850ms`, 0.85, undefined, undefined],
        [`Successfully pulled image "${IMAGE}" in 1.5µs (2m0s including waiting)`, 1.5e-6, 120, undefined]
    ])('%s', (message, seconds, waiting, size) => {
        const p = pullRecord('Pulled', message)!;
        expect(p.image).toBe(IMAGE);
        expect(p.seconds).toBeCloseTo(seconds, 9);
        expect(p.includingWaitingSeconds).toBe(waiting);
        expect(p.sizeBytes).toBe(size);
    });

    it('is no pull record when the image was already on the node, or the event is not Pulled', () => {
        expect(pullRecord('Pulled', `Container image "${IMAGE}" already present on machine`)).toBeUndefined();
        expect(pullRecord('Pulling', `Pulling image "${IMAGE}"`)).toBeUndefined();
    });

    it("strips kubectl 1.35's field-path prefix and reads folded counts", () => {
        expect(splitFieldPath('spec.containers{trainer}: Error: ErrImagePull')).toEqual({ fieldPath: 'spec.containers{trainer}', message: 'Error: ErrImagePull' });
        expect(splitFieldPath('spec.initContainers{init-db}: Pulling image "x"').message).toBe('Pulling image "x"');
        expect(splitFieldPath('Successfully assigned ml/x to node').fieldPath).toBeUndefined();
        expect([foldedCount('26m (x4 over 31m)'), foldedCount('31s (x12 over 31m)'), foldedCount('32m'), foldedCount('<unknown>')]).toEqual([4, 12, 1, 1]);
    });

    it('maps AKS node names to their pool', () => {
        expect(poolFromNodeName('aks-gpupool-52409943-vmss000001')).toBe('gpupool');
        expect(poolFromNodeName('aks-nodepool1-12345678-vmss00000a')).toBe('nodepool1');
        expect(poolFromNodeName('ip-10-0-0-1.ec2.internal')).toBeUndefined();
    });
});

describe.each(['1.33', '1.35'])('kubectl describe pod, layout of kubectl %s', version => {
    it('a failing pull: folded events, the acr-mirror 503, ErrImagePull / ImagePullBackOff, the node pool', () => {
        const pod = parsePastedPod(fixture(`describe-mirror-${version}.txt`))!;
        expect(pod).toMatchObject({ source: 'pasted-text', namespace: 'ml', name: 'trainer-mirror', nodePool: 'gpupool', serviceAccount: 'default' });
        expect(pod.node).toMatch(/^aks-gpupool-\d{8}-vmss00000\d$/);
        expect(pod.containers).toEqual([{ name: 'trainer', image: IMAGE }]);
        expect(pod.waitingReasons).toEqual(['ImagePullBackOff']);
        expect(pod.events.map(e => [e.type, e.reason, e.count])).toEqual([
            ['Normal', 'Scheduled', 1],
            ['Normal', 'Pulling', 4],
            ['Warning', 'Failed', 4],
            ['Warning', 'Failed', 4],
            ['Normal', 'BackOff', 12],
            ['Warning', 'Failed', 12]
        ]);
        expect(pod.events[2]!.message).toMatch(/^Failed to pull image ".*": .*http:\/\/localhost:8578\/v2\/ml\/trainer\/manifests\/v1\?ns=contosoacr\.azurecr\.io: 503 Service Unavailable$/);
        expect(pod.pulls).toEqual([]);
        expect(pod.gaps).toEqual([expect.stringMatching(/^imagePullSecrets: kubectl describe does not print them/)]);
    });

    it('a slow pull: the measured duration and image size', () => {
        const pod = parsePastedPod(fixture(`describe-slow-${version}.txt`))!;
        expect(pod.pulls).toEqual([expect.objectContaining({ image: IMAGE, seconds: 193.8, includingWaitingSeconds: 193.8, sizeBytes: 4326424576 })]);
        expect(pod.events.every(e => !e.message.startsWith('spec.'))).toBe(true);
    });
});

describe('other kubectl output', () => {
    it('describe shows the UpgradeIfStreamableDisabled condition', () => {
        const pod = parsePastedPod(fixture('describe-upgrade-1.33.txt'))!;
        expect(pod.conditions).toContainEqual({ type: 'UpgradeIfStreamableDisabled', status: 'True' });
        expect(pod.conditions).toContainEqual({ type: 'PodScheduled', status: 'True' });
    });

    it('kubectl events: folded ages, the pod from the OBJECT column', () => {
        const pod = parsePastedPod(fixture('events-mirror-1.33.txt'))!;
        expect(pod.name).toBe('trainer-mirror');
        expect(pod.events.map(e => e.count)).toEqual([1, 4, 4, 4, 12, 12]);
        expect(pod.events.some(e => e.message.includes('localhost:8578') && e.message.includes('503'))).toBe(true);
    });

    it('kubectl get pod -o yaml: pull secrets and the image', () => {
        const pod = parsePastedPod(fixture('get-pod-secret-yaml-1.33.txt'))!;
        expect(pod.imagePullSecrets).toEqual(['acr-pull-secret']);
        expect(pod.gaps).toBeUndefined();
        expect(pod.containers.map(c => c.image)).toContain(IMAGE);
    });

    it('a describe and a manifest pasted together give both the events and the pull secrets', () => {
        const pod = parsePastedPod(fixture('describe-secret-1.33.txt') + '\n---\n' + fixture('get-pod-secret-yaml-1.33.txt'))!;
        expect(pod.imagePullSecrets).toEqual(['acr-pull-secret']);
        expect(pod.pulls[0]!.seconds).toBeCloseTo(3723.25, 6);
        expect(pod.containers).toEqual([{ name: 'trainer', image: IMAGE }]);
    });

    it.each(['', 'hello world', 'Events:  <none>', '{"kind":"Status"}'])('finds nothing in %o', text => {
        expect(parsePastedPod(text)).toBeUndefined();
    });

    it('reads Windows line endings and a table whose rows were re-spaced', () => {
        const text = 'Events:\r\n  Type    Reason  Age  From  Message\r\n  ----    ------  ---- ----  -------\r\n  Warning   Failed   2m (x3 over 9m)   kubelet   Error: ErrImagePull\r\n';
        expect(parsePastedPod(text)!.events).toEqual([{ type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull', count: 3 }]);
    });
});

// The oldest and the newest packaged here (their describe layouts are the same; the machine is shared).
const KUBECTLS = ['1.27', '1.33'].map(v => [v, `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`] as const).filter(([, p]) => existsSync(p));
if (KUBECTLS.length === 0) console.warn('[pasted-pod] no versioned kubectl found: the live kubectl cross-check is SKIPPED');

describe.runIf(KUBECTLS.length > 0)('every installed kubectl against a live sandbox agrees with the Kubernetes API', () => {
    const run = promisify(execFile);
    let sb: Sandbox;
    let kubeconfig: string;
    let yaml: string;
    beforeAll(async () => {
        sb = await startSandbox({ world: join(dir, 'world.json') });
        yaml = sb.kubeconfigs['aks-prod']!;
        kubeconfig = join(sb.dir, 'kubeconfig-test.yaml');
        await writeFile(kubeconfig, yaml, { mode: 0o600 });
    });
    afterAll(async () => sb?.close());

    it.each(KUBECTLS)('kubectl %s describe pod', async (_v, bin) => {
        const core = coreV1(yaml);
        for (const name of ['trainer-mirror', 'trainer-slow', 'trainer-upgrade', 'trainer-secret']) {
            const text = (await run(bin, ['--kubeconfig', kubeconfig, '-n', 'ml', 'describe', 'pod', name])).stdout;
            const pasted = parsePastedPod(text)!;
            const apiPod = await core.readNamespacedPod({ namespace: 'ml', name });
            const events = (await core.listNamespacedEvent({ namespace: 'ml', fieldSelector: `involvedObject.name=${name}` })).items;
            const node = await core.readNode({ name: apiPod.spec!.nodeName! });
            const api = podFromApi(apiPod as never, events as never, node as never);
            expect(pasted.nodePool).toBe(api.nodePool);
            expect(pasted.containers).toEqual(api.containers);
            expect(pasted.conditions).toEqual(api.conditions);
            expect(pasted.pulls.map(p => p.seconds)).toEqual(api.pulls.map(p => p.seconds));
            expect(new Set(pasted.events.map(e => `${e.reason}|${e.message}|${e.count}`))).toEqual(new Set(api.events.map(e => `${e.reason}|${e.message}|${e.count}`)));
            expect(pasted.waitingReasons).toEqual(api.waitingReasons);
        }
    });
});
