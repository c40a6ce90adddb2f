import { afterEach, describe, expect, it } from 'vitest';
import { latencyFor, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { isReadOp, SKU_RATE_LIMITS, TokenBucket } from '../../src/sandbox/http/rate-limit.js';
import { generatedRepository, generateWorld } from '../../src/sandbox/world/generate-world.js';
import { parseWorld } from '../../src/sandbox/world/load-world.js';
import { behaviourSchema } from '../../src/sandbox/world/schema.js';
import { createAcrTestClient } from './acr/acr-client.js';
import { startAcrHarness, type AcrHarness } from './acr/harness.js';
import { testWorld } from './acr/test-world.js';
import { httpsRequest } from '../helpers/https.js';

let sb: Sandbox | undefined;
afterEach(async () => {
    await sb?.close();
    sb = undefined;
});

describe('registry request-rate limit', () => {
    it('uses the per-minute figures of the ACR service tiers by default', () => {
        expect(SKU_RATE_LIMITS).toEqual({
            Basic: { readOpsPerMinute: 1000, writeOpsPerMinute: 100 },
            Standard: { readOpsPerMinute: 3000, writeOpsPerMinute: 500 },
            Premium: { readOpsPerMinute: 10000, writeOpsPerMinute: 2000 }
        });
        expect([isReadOp('GET', '/v2/'), isReadOp('HEAD', '/v2/a/blobs/x'), isReadOp('POST', '/oauth2/token')]).toEqual([true, true, true]);
        expect([isReadOp('PUT', '/v2/a/manifests/v1'), isReadOp('POST', '/acr/v1/a/_streaming/sha256:00'), isReadOp('DELETE', '/v2/a/manifests/x')]).toEqual([false, false, false]);
    });

    it('a bucket admits its burst, then says how long until the next operation fits, and refills with time', () => {
        const b = new TokenBucket();
        expect([b.take(2, 60, 0), b.take(2, 60, 0)]).toEqual([0, 0]);
        expect(b.take(2, 60, 0)).toBe(1000); // 60 per minute: one per second
        expect(b.take(2, 60, 500)).toBe(500);
        expect(b.take(2, 60, 1000)).toBe(0);
        expect(b.take(2, 60, 60_000)).toBe(0); // refilled to the burst, not beyond
        expect(b.take(2, 60, 60_000)).toBe(0);
        expect(b.take(2, 60, 60_000)).toBeGreaterThan(0);
    });

    it('answers 429 TOOMANYREQUESTS with Retry-After beyond the limit of the registry tier, reads and writes apart', async () => {
        const world = testWorld({ sku: 'Standard' });
        world.behaviour.registryRateLimits = { Standard: { readOpsPerMinute: 60, writeOpsPerMinute: 60, burst: 3 }, Premium: { burst: 1 } };
        const h = await startAcrHarness({ world });
        try {
            const c = client(h);
            const statuses = [];
            for (let i = 0; i < 4; i++) statuses.push((await c.raw('GET', '/v2/')).status);
            expect(statuses).toEqual([401, 401, 401, 429]);
            const refused = await c.raw('GET', '/v2/');
            expect(refused.status).toBe(429);
            expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
            expect(refused.json()).toEqual({ errors: [{ code: 'TOOMANYREQUESTS', message: expect.stringContaining('rate limit') }] });
            // Writes have their own bucket: a PUT still gets through to the route (401: no token).
            expect((await c.raw('PUT', '/v2/app/manifests/x', { body: '{}' })).status).toBe(401);
            const logged = h.requestLog.entries().filter(e => e.status === 429);
            expect(logged.length).toBe(2);
            expect(logged.every(e => e.fault === 'throttled')).toBe(true);
        } finally {
            await h.close();
        }
    });

    it('is configurable per SKU in the world, on top of the defaults', () => {
        const b = behaviourSchema.parse({ registryRateLimits: { Premium: { readOpsPerMinute: 120 } } });
        expect(b.registryRateLimits).toEqual({ Premium: { readOpsPerMinute: 120 } });
        expect(() => behaviourSchema.parse({ registryRateLimits: { Gold: {} } })).toThrow();
        expect(() => behaviourSchema.parse({ registryRateLimits: { Basic: { readOpsPerMinute: 0 } } })).toThrow();
    });
});

describe('latency profile', () => {
    it('gives ARM, the registries and the Kubernetes API their own delay, each defaulting to latencyMs', () => {
        const b = behaviourSchema.parse({ latencyMs: 7, latencyProfile: { armMs: 30, kubeMs: 0 } });
        expect([latencyFor(b, 'arm'), latencyFor(b, 'registry'), latencyFor(b, 'kube')]).toEqual([30, 7, 0]);
        expect(latencyFor(behaviourSchema.parse({}), 'registry')).toBe(0);
    });

    it('each listener waits its own delay before answering', async () => {
        sb = await startSandbox({ behaviour: { latencyProfile: { armMs: 20, acrMs: 60, kubeMs: 120 } } });
        await Promise.all([
            fetchStatus(sb, sb.armEndpoint, '/subscriptions?api-version=2022-12-01'),
            fetchStatus(sb, sb.registryEndpoints['contosoacr.azurecr.io']!, '/v2/'),
            fetchStatus(sb, sb.kubeEndpoints['aks-prod']!, '/version')
        ]);
        // Less a millisecond: timers and the high-resolution clock round differently.
        const took = (listener: string) => sb!.requestLog.entries(e => e.listener === listener)[0]!.durationMs + 1;
        expect(took('arm')).toBeGreaterThanOrEqual(20);
        expect(took('registry:contosoacr')).toBeGreaterThanOrEqual(60);
        expect(took('kube:aks-prod')).toBeGreaterThanOrEqual(120);
    });
});

describe('per-image conversion time', () => {
    it('keeps a world image with its own conversionSeconds converting after the world-wide time has passed', async () => {
        const world = testWorld({ conversionSeconds: 0 });
        const repo = world.registries[0]!.repositories.find(r => r.images.some(i => i.tags.includes('converting')))!;
        repo.images.find(i => i.tags.includes('converting'))!.conversionSeconds = 3600;
        const h = await startAcrHarness({ world });
        try {
            const c = client(h);
            const digestOf = async (tag: string) => (await c.send('GET', `/acr/v1/${repo.name}/_tags/${tag}`)).json().tag.digest as string;
            const converting = await digestOf('converting');
            expect((await c.send('GET', `/acr/v1/${repo.name}/_streaming/${converting}`)).json().status).toBe('Running');
            // Other images keep the world-wide time (0 s here): a new conversion is over at once.
            const other = await digestOf('amd64');
            const started = (await c.send('POST', `/acr/v1/${repo.name}/_streaming/${other}`, { body: JSON.stringify({ conversionFormat: 'overlaybd', conversionVersion: 'v1' }), headers: { 'content-type': 'application/json' } })).json();
            expect((await c.send('GET', `/acr/v1/${repo.name}/_operations/${started.id}`)).json().status).toBe('Succeeded');
            expect((await c.send('GET', `/acr/v1/${repo.name}/_streaming/${converting}`)).json().status).toBe('Running');
        } finally {
            await h.close();
        }
    });
});

describe('large world generator', () => {
    it('makes a valid, deterministic world of N repositories × M images with the usual mix', () => {
        const a = generateWorld({ repositories: 1000, imagesPerRepository: 5, pods: 60 });
        const world = parseWorld(a);
        const repos = world.registries[0]!.repositories;
        expect(repos.length).toBe(1000);
        expect(repos.reduce((n, r) => n + r.images.length, 0)).toBe(5000);
        expect(repos[42]!.name).toBe(generatedRepository(42, 1000));
        const images = repos.flatMap(r => r.images);
        const share = (p: (i: (typeof images)[number]) => boolean) => images.filter(p).length / images.length;
        expect(share(i => i.platforms.length === 1 && i.platforms[0]!.os === 'linux' && i.platforms[0]!.architecture === 'amd64' && i.mediaType !== 'other')).toBeGreaterThan(0.7);
        expect(share(i => i.mediaType === 'oci-index')).toBeGreaterThan(0.03);
        expect(share(i => i.streaming === 'converted')).toBeGreaterThan(0.05);
        const sizes = images.map(i => i.platforms[0]!.layerSizes.reduce((x, y) => x + y, 0));
        expect(Math.min(...sizes)).toBeLessThan(50 * 1024 ** 2);
        expect(Math.max(...sizes)).toBeGreaterThan(10 * 1024 ** 3);
        expect(world.clusters[0]!.pods.length).toBe(60);
        expect(JSON.stringify(generateWorld({ repositories: 1000, imagesPerRepository: 5, pods: 60 }))).toBe(JSON.stringify(a));
        expect(JSON.stringify(generateWorld({ repositories: 1000, imagesPerRepository: 5, seed: 2 }))).not.toBe(JSON.stringify(a));
    });
});

const client = (h: AcrHarness) => createAcrTestClient({ origin: h.origin, loginServer: h.loginServer, caPem: h.caPem });

async function fetchStatus(s: Sandbox, origin: string, path: string): Promise<void> {
    await httpsRequest(`${origin}${path}`, 'GET', { ca: s.caPem, headers: { authorization: 'Bearer x' } });
}
