/** streaming_scan_cluster through an MCP client: "which of my workloads don't stream, and what should I fix first?" */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../../../src/sandbox/world/generate-world.js';
import { parseWorld } from '../../../src/sandbox/world/load-world.js';
import { startSandboxApp, textOf, type SandboxApp } from '../../helpers/sandbox-app.js';

let t: SandboxApp;
beforeAll(async () => {
    t = await startSandboxApp({ sandbox: { behaviour: { conversionSeconds: 3600 } } });
});
afterAll(async () => t?.close());

type Row = { image: string; verdict: string; firstBlocker: { code: string; fix: { azCommand?: string; explanation: string } } | null; pods: string[]; podCount: number; nodePools: string[]; lastPullSeconds: number | null; lostSeconds: number; estimate: { calibratedFrom: string | null } | null };
type Out = { images: Row[]; scanned: Record<string, number>; nextCursor: string | null; namespace: string | null };
const scan = async (app: SandboxApp, args: Record<string, unknown>) => {
    const r = await app.call('streaming_scan_cluster', args);
    expect(r.isError, textOf(r)).toBeFalsy();
    return { out: r.structuredContent as unknown as Out, text: textOf(r) };
};

describe('streaming_scan_cluster', () => {
    it('lists every distinct image once with its verdict, first blocker and fix, pods, node pools and last pull', async () => {
        const { out, text } = await scan(t, { cluster: 'aks-prod', limit: 50 });
        const by = (suffix: string) => out.images.find(i => i.image.endsWith(suffix))!;
        expect(new Set(out.images.map(i => i.image)).size).toBe(out.images.length);
        expect(out.scanned).toMatchObject({ pods: 21, images: out.images.length });
        expect([by('/data/warehouse:2025.10').verdict, by('/tools/busybox:1.37').verdict]).toEqual(['streams', 'streams']);
        const blockers = Object.fromEntries(out.images.filter(i => i.firstBlocker).map(i => [i.image.replace(/^[^/]+\//, ''), i.firstBlocker!.code]));
        expect(blockers).toMatchObject({
            'ml/trainer:v2': 'IMAGE_CONVERSION_RUNNING',
            'ml/inference:v3': 'IMAGE_NOT_CONVERTED',
            'ml/inference:v4': 'IMAGE_CONVERSION_FAILED',
            'web/frontend:1.4.0': 'POD_PULL_SECRET',
            'api/orders:v1': 'REGISTRY_NOT_PREMIUM',
            'payments/ledger:v5': 'REGISTRY_CMK_ENABLED',
            'shop/cart:3.2': 'REGISTRY_NOT_FOUND',
            'ml/trainer:v9': 'IMAGE_NOT_FOUND',
            'win/iis:ltsc2022': 'IMAGE_PLATFORM_UNSUPPORTED'
        });
        expect(by('/ml/inference:v3').firstBlocker!.fix.azCommand).toBe('az acr artifact-streaming create -n contosoacr --image ml/inference:v3');
        // One image, two pods on two pools: the worst pod decides.
        expect(by('/web/frontend:1.4.0')).toMatchObject({ verdict: 'will_not_stream', pods: ['web/frontend-0', 'web/frontend-arm-0'], podCount: 2, nodePools: ['armpool', 'gpupool'] });
        // The kubelet's Pulled event of the pod (the world's pullSeconds), and the estimate calibrated by it.
        expect(by('/ml/trainer:v2')).toMatchObject({ lastPullSeconds: 212.4, pods: ['ml/trainer-1'], nodePools: ['gpupool'] });
        expect(by('/ml/trainer:v2').estimate!.calibratedFrom).toBe('pod events');
        expect(by('/data/warehouse:2025.10').lostSeconds).toBe(0);
        // Ranked by time lost across the pods that do not stream; images that stream come last.
        const keys = out.images.map(i => i.lostSeconds * (i.verdict === 'streams' ? 0 : 1));
        expect(out.images.slice(-3).every(i => i.lostSeconds === 0 || i.verdict !== 'streams')).toBe(true);
        expect(keys[0]).toBeGreaterThan(0);
        expect(text).toMatch(/^\d+ distinct Azure Container Registry images in 21 pods of aks-prod/);
    });

    it('narrows to one namespace', async () => {
        const { out } = await scan(t, { cluster: 'aks-prod', namespace: 'web', limit: 50 });
        expect(out.namespace).toBe('web');
        expect(out.images.map(i => i.image)).toEqual(['contosoacr.azurecr.io/web/frontend:1.4.0']);
        expect(out.images[0]!.pods).toEqual(['web/frontend-0', 'web/frontend-arm-0']);
    });

    it('a cluster whose kubelet cannot pull from the registry: the blocker names the attach command', async () => {
        const { out } = await scan(t, { cluster: 'aks-edge' });
        expect(out.images.map(i => [i.image, i.firstBlocker?.code, i.firstBlocker?.fix.azCommand])).toEqual([
            ['contosoacr.azurecr.io/ml/trainer:v1', 'CLUSTER_NO_ACR_PULL', 'az aks update -n aks-edge -g rg-aks-edge --attach-acr contosoacr']
        ]);
    });

    it('pages with a cursor: every image once; the pages after the first read nothing again', async () => {
        const all = (await scan(t, { cluster: 'aks-prod', limit: 50 })).out.images.map(i => i.image);
        t.sb.requestLog.clear();
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
            const { out } = await scan(t, { cluster: 'aks-prod', limit: 4, ...(cursor ? { cursor } : {}) });
            seen.push(...out.images.map(i => i.image));
            cursor = out.nextCursor ?? undefined;
        } while (cursor);
        expect(seen).toEqual(all);
        expect(t.sb.requestLog.entries()).toEqual([]);
    });

    it('is cheap: three Kubernetes list calls, each image inspected once, one token exchange per registry', async () => {
        const fresh = await startSandboxApp({ sandbox: { behaviour: { conversionSeconds: 3600 } } });
        try {
            await scan(fresh, { cluster: 'aks-prod' });
            const log = fresh.sb.requestLog.entries();
            expect(log.filter(e => e.listener === 'kube:aks-prod' && e.path.startsWith('/api/v1/')).map(e => e.path).sort()).toEqual(['/api/v1/events', '/api/v1/nodes', '/api/v1/pods']);
            const exchanges = log.filter(e => e.path === '/oauth2/exchange').map(e => e.listener).sort();
            expect(exchanges).toEqual(['registry:contosoacr', 'registry:fabrikamstd', 'registry:woodgrovecmk']);
            // ml/trainer:v1 runs in five pods but its manifest is read once.
            const v1 = log.filter(e => e.listener === 'registry:contosoacr' && e.path === '/v2/ml/trainer/manifests/v1');
            expect(v1.length).toBe(1);
        } finally {
            await fresh.close();
        }
    });

    it('refuses bad input with an actionable error', async () => {
        const bad = async (args: Record<string, unknown>, what: RegExp) => {
            const r = await t.call('streaming_scan_cluster', args);
            expect(r.isError).toBe(true);
            expect(textOf(r)).toMatch(what);
        };
        await bad({ cluster: 'no such cluster' }, /Cluster name is not valid/);
        await bad({ cluster: 'aks-staging' }, /aks-staging/);
        await bad({ cluster: 'aks-prod', namespace: 'Bad_NS' }, /Namespace "Bad_NS" is not accepted/);
        const { out } = await scan(t, { cluster: 'aks-prod', limit: 1 });
        await bad({ cluster: 'aks-edge', cursor: out.nextCursor }, /cursor belongs to another scan/);
    });
});

describe('streaming_scan_cluster on a generated cluster', () => {
    it('200 pods over two pools: images on the non-streaming pool are blocked by it, each image listed once', { timeout: 120_000 }, async () => {
        const world = generateWorld({ repositories: 60, imagesPerRepository: 3, pods: 200, seed: 7 });
        const app = await startSandboxApp({ sandbox: { world } });
        try {
            const { out } = await scan(app, { cluster: 'aks-scale', limit: 50 });
            const pods = parseWorld(world).clusters[0]!.pods;
            expect(out.scanned).toMatchObject({ pods: 200, images: new Set(pods.map(p => p.image)).size });
            const onlyNoStream = new Set(pods.map(p => p.image).filter(img => pods.filter(p => p.image === img).every(p => p.nodePool === 'nostream')));
            for (const row of out.images.filter(i => onlyNoStream.has(i.image))) expect(row.verdict).toBe('will_not_stream');
            expect(out.images.some(i => i.firstBlocker?.code === 'NODEPOOL_STREAMING_DISABLED')).toBe(true);
            expect(app.sb.requestLog.entries(e => e.path === '/oauth2/exchange').length).toBe(1);
        } finally {
            await app.close();
        }
    });
});
