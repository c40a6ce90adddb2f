/**
 * What the Kubernetes side derives for a world pod: its node, its timeline (all times are made up,
 * counted back from the sandbox start so they are in the past and stable), its container name, and
 * the size of its image as the world describes it (for the kubelet's "Image size: N bytes").
 */
import type { SandboxState } from '../state.js';
import type { WorldCluster, WorldPod } from '../world/schema.js';
import { poolArchitecture } from '../pool-facts.js';
import { clusterNodes, type NodeRef } from './nodes.js';

export interface PodTimeline {
    created: number;
    pullStart: number;
    pullEnd: number;
    started: number;
}

export function podNode(cluster: WorldCluster, pod: WorldPod): NodeRef | undefined {
    const nodes = clusterNodes(cluster).filter(n => n.pool.name.toLowerCase() === pod.nodePool.toLowerCase());
    if (nodes.length === 0) return undefined; // a pool scaled to 0: the pod stays unscheduled
    let h = 0;
    for (const ch of `${pod.namespace}/${pod.name}`) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return nodes[h % nodes.length];
}

export function podTimeline(state: SandboxState, cluster: WorldCluster, pod: WorldPod): PodTimeline {
    const index = cluster.pods.indexOf(pod);
    const pull = (pod.pullSeconds ?? 0) * 1000;
    const created = state.startedAt - Math.max(30 * 60_000, pull + 10 * 60_000) - index * 60_000;
    const pullStart = created + 1_500;
    const pullEnd = pullStart + pull;
    return { created, pullStart, pullEnd, started: pullEnd + 1_200 };
}

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** `contosoacr.azurecr.io/ml/trainer:v1` → `trainer` (a valid DNS label). */
export function containerName(image: string): string {
    const noDigest = image.split('@')[0] ?? image;
    const last = noDigest.split('/').pop() ?? 'app';
    const name = last.replace(/:[^:]*$/, '').toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
    return name.slice(0, 63) || 'app';
}

interface ImageRef {
    host: string;
    repository: string;
    tag?: string;
    digest?: string;
}

export function parseImageRef(image: string): ImageRef | undefined {
    const [, host, repository, tag, digest] = /^([^/]+)\/(.+?)(?::([A-Za-z0-9_][A-Za-z0-9._-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$/.exec(image) ?? [];
    if (host === undefined || repository === undefined) return undefined;
    return { host: host.toLowerCase(), repository, tag: tag ?? (digest ? undefined : 'latest'), digest };
}

/**
 * Compressed size of the image for the node's platform, from the world. Pulls by digest cannot be resolved
 * here (digests are computed by the ACR data plane), so they fall back to the repository's only image, or
 * to unknown.
 */
export function imageSizeBytes(state: SandboxState, pod: WorldPod, node: NodeRef | undefined): number | undefined {
    const ref = parseImageRef(pod.image);
    if (!ref) return undefined;
    const repo = state.registryByLoginServer(ref.host)?.repositories.find(r => r.name === ref.repository);
    if (!repo) return undefined;
    const img = ref.tag ? repo.images.find(i => i.tags.includes(ref.tag!)) : repo.images.length === 1 ? repo.images[0] : undefined;
    if (!img) return undefined;
    const arch = node ? poolArchitecture(node.pool) : 'amd64';
    const os = node?.pool.osType === 'Windows' ? 'windows' : 'linux';
    const platform = img.platforms.find(p => p.os === os && p.architecture === arch) ?? img.platforms[0];
    return platform?.layerSizes.reduce((a, b) => a + b, 0);
}

/** Go's time.Duration.String() at millisecond precision, as the kubelet prints it: 3m32.4s, 950ms, 1h0m5s. */
export function goDuration(seconds: number): string {
    const ms = Math.round(seconds * 1000);
    if (ms < 1000) return `${ms}ms`;
    const h = Math.floor(ms / 3_600_000);
    const m = Math.floor((ms % 3_600_000) / 60_000);
    const s = ((ms % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '');
    if (h > 0) return `${h}h${m}m${s}s`;
    if (m > 0) return `${m}m${s}s`;
    return `${s}s`;
}
