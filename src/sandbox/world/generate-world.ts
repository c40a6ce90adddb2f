/**
 * Large sandbox worlds for tests and benches: one registry with N repositories × M images, and optionally one
 * AKS cluster whose pods run some of them. Deterministic for a seed, so a test can predict what it will find
 * and a bench measures the same world every run. The mix is meant to look like a real platform team's
 * registry: mostly linux/amd64 images of very different sizes (log-uniform from a few MB to tens of GB),
 * some multi-arch indexes, a few arm64-only, Windows and non-image artifacts, some already converted.
 */
import type * as z from 'zod/v4';
import type { clusterSchema, imageSchema, podSchema, WorldInput } from './schema.js';

type ImageInput = z.input<typeof imageSchema>;
type PodInput = z.input<typeof podSchema>;

export interface GenerateWorldOptions {
    repositories: number;
    imagesPerRepository: number;
    /** Default 1. */
    seed?: number;
    /** Default "scaleacr". */
    registry?: string;
    sku?: 'Basic' | 'Standard' | 'Premium';
    /** A cluster "aks-scale" running this many pods of the registry's images (default: no cluster). */
    pods?: number;
    behaviour?: WorldInput['behaviour'];
}

/** mulberry32: a tiny seeded PRNG (public domain), good enough to spread sizes and kinds. */
function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

const MB = 1024 * 1024;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Layer sizes summing to about `total`: a base layer and a few application layers. */
function layers(total: number, rnd: () => number): number[] {
    const count = 2 + Math.floor(rnd() * 5);
    const weights = Array.from({ length: count }, () => 0.2 + rnd());
    const sum = weights.reduce((a, b) => a + b, 0);
    return weights.map(w => Math.max(1024, Math.round((total * w) / sum)));
}

function image(tag: string, rnd: () => number, pushedAt: string): ImageInput {
    // Log-uniform between 5 MB and 40 GB: most images are small, a few are huge (ML images).
    const size = Math.round(5 * MB * Math.exp(rnd() * Math.log((40 * 1024) / 5)));
    const kind = rnd();
    const amd64 = { os: 'linux' as const, architecture: 'amd64' as const, layerSizes: layers(size, rnd) };
    const base = { tags: [tag], pushedAt };
    if (kind < 0.08) return { ...base, mediaType: 'oci-index', platforms: [amd64, { os: 'linux', architecture: 'arm64', layerSizes: layers(size, rnd) }] };
    if (kind < 0.13) return { ...base, platforms: [{ os: 'linux', architecture: 'arm64', layerSizes: layers(size, rnd) }] };
    if (kind < 0.16) return { ...base, platforms: [{ os: 'windows', architecture: 'amd64', layerSizes: layers(size, rnd) }] };
    if (kind < 0.18) return { ...base, mediaType: 'other', platforms: [amd64] };
    const state = rnd();
    const streaming = state < 0.12 ? { streaming: 'converted' as const } : state < 0.14 ? { streaming: 'failed' as const, failureCode: 'UNKNOWN_ERROR' as const } : {};
    return { ...base, mediaType: kind < 0.22 ? 'docker-manifest' : 'oci-manifest', platforms: [amd64], ...streaming };
}

/** The name of repository `i`: a team folder and a service, as real registries are laid out. */
export const generatedRepository = (i: number, total: number) => `team${pad(i % 25, 2)}/svc-${pad(i, String(total).length)}`;

export function generateWorld(opts: GenerateWorldOptions): WorldInput {
    const rnd = prng(opts.seed ?? 1);
    const registry = opts.registry ?? 'scaleacr';
    const base = Date.parse('2026-01-01T00:00:00Z');
    const repositories = Array.from({ length: opts.repositories }, (_, i) => ({
        name: generatedRepository(i, opts.repositories),
        convertPushedImages: rnd() < 0.2,
        images: Array.from({ length: opts.imagesPerRepository }, (_, j) => image(`v${j + 1}`, rnd, new Date(base + (i * opts.imagesPerRepository + j) * 60_000).toISOString()))
    }));
    const world: WorldInput = {
        version: 1,
        subscription: { id: '00000000-0000-0000-0000-00000000005c', tenantId: 'sandbox-tenant', name: 'sandbox-scale' },
        registries: [{ name: registry, resourceGroup: 'rg-scale', sku: opts.sku ?? 'Premium', repositories }],
        ...(opts.behaviour ? { behaviour: opts.behaviour } : {})
    };
    if (opts.pods) world.clusters = [scaleCluster(registry, repositories, opts.pods, rnd)];
    return world;
}

/** Two Linux pools (one streaming, one not); pods pick images, some by digest-free tags only. */
function scaleCluster(registry: string, repositories: { name: string; images: ImageInput[] }[], pods: number, rnd: () => number): z.input<typeof clusterSchema> {
    const login = `${registry.toLowerCase()}.azurecr.io`;
    const podList: PodInput[] = Array.from({ length: pods }, (_, k) => {
        const repo = repositories[Math.floor(rnd() * repositories.length)]!;
        const img = repo.images[Math.floor(rnd() * repo.images.length)]!;
        const sizeBytes = img.platforms[0]!.layerSizes.reduce((a, b) => a + b, 0);
        return {
            namespace: `team${pad(k % 5, 2)}`,
            name: `${repo.name.split('/')[1]}-${k}`,
            nodePool: k % 3 === 0 ? 'nostream' : 'stream',
            image: `${login}/${repo.name}:${img.tags[0]}`,
            // A full pull at roughly 60 MB/s plus a fixed start.
            pullSeconds: Math.round((2 + sizeBytes / (60 * MB)) * 10) / 10
        };
    });
    return {
        name: 'aks-scale',
        resourceGroup: 'rg-scale',
        kubernetesVersion: '1.30.5',
        kubeletIdentityObjectId: '5ca1e000-0000-0000-0000-000000000001',
        acrPull: [registry],
        agentPools: [
            { name: 'stream', osType: 'Linux', osSKU: 'Ubuntu2204', vmSize: 'Standard_D8s_v5', count: 3, artifactStreaming: true },
            { name: 'nostream', osType: 'Linux', osSKU: 'Ubuntu2204', vmSize: 'Standard_D8s_v5', count: 2, artifactStreaming: false }
        ],
        pods: podList
    };
}
