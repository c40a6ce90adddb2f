/**
 * A repository's images from its manifest listing alone (`GET /acr/v1/{repo}/_manifests`, data-plane spec
 * 2021-07-01: `imageSize`, `architecture`, `os`, `references` with each child's platform, `tags`), so a
 * registry scan can size and rank every image without one manifest or config download per image. And the
 * streaming state of one image from the two calls that decide it (referrers, last conversion), for the few
 * images a scan returns.
 */
import { manifestKind, STREAMING_ARTIFACT_TYPE, type ManifestKind } from '../streaming/media-types.js';
import type { AcrClient } from './acr-client.js';
import { DIGEST } from './names.js';
import type { CallOptions } from './types.js';

/** Manifests per listing page. ACR documents no maximum for `n`; a registry that caps it still sends a `Link`. */
export const MANIFEST_PAGE_SIZE = 1000;
/** Pages read per repository at most (a hostile or huge repository must not stall a registry scan). */
export const MAX_MANIFEST_PAGES = 10;

export interface ListedPlatform {
    os: string;
    architecture: string;
    /** From the child manifest's own listing entry; null when the listing does not carry it. */
    sizeBytes: number | null;
}

export interface ListedImage {
    repository: string;
    digest: string;
    /** Sorted; never empty (untagged manifests are not images anyone pulls by tag, and only pulls by tag stream). */
    tags: string[];
    mediaType: string;
    kind: ManifestKind;
    /** `imageSize` as listed (for an index, what the registry reports for the whole index). */
    sizeBytes: number;
    platforms: ListedPlatform[];
    lastUpdateTime: string | null;
}

export type StreamingState = 'converted' | 'converting' | 'failed' | 'none';

interface Raw {
    digest?: unknown;
    imageSize?: unknown;
    mediaType?: unknown;
    architecture?: unknown;
    os?: unknown;
    tags?: unknown;
    references?: unknown;
    lastUpdateTime?: unknown;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

/** Every page of the listing, bounded by MAX_MANIFEST_PAGES. */
export async function listRawManifests(client: AcrClient, repo: string, opts: CallOptions): Promise<Raw[]> {
    const all: Raw[] = [];
    let last: string | undefined;
    for (let page = 0; page < MAX_MANIFEST_PAGES; page++) {
        const r = await client.manifestPage(repo, { ...opts, n: MANIFEST_PAGE_SIZE, ...(last ? { last } : {}) });
        all.push(...(r.manifests.filter(m => typeof m === 'object' && m !== null) as Raw[]));
        if (!r.last || r.last === last) break;
        last = r.last;
    }
    return all;
}

/** The tagged images of one repository's listing; children of an index are folded into their index. */
export function imagesFromListing(repository: string, raw: readonly Raw[]): ListedImage[] {
    const byDigest = new Map<string, Raw>();
    for (const m of raw) if (typeof m.digest === 'string' && DIGEST.test(m.digest)) byDigest.set(m.digest, m);
    const images: ListedImage[] = [];
    for (const [digest, m] of byDigest) {
        const tags = Array.isArray(m.tags) ? m.tags.filter((t): t is string => typeof t === 'string').sort() : [];
        if (tags.length === 0) continue;
        const mediaType = str(m.mediaType) ?? '';
        const kind = manifestKind(mediaType);
        const refs = Array.isArray(m.references) ? (m.references as Raw[]) : [];
        const platforms: ListedPlatform[] =
            kind === 'index'
                ? refs
                      .filter(r => str(r.os) !== 'unknown' && str(r.architecture) !== 'unknown')
                      .map(r => {
                          const child = typeof r.digest === 'string' ? byDigest.get(r.digest) : undefined;
                          return { os: str(r.os) ?? 'unknown', architecture: str(r.architecture) ?? 'unknown', sizeBytes: child ? num(child.imageSize) : null };
                      })
                : [{ os: str(m.os) ?? 'unknown', architecture: str(m.architecture) ?? 'unknown', sizeBytes: num(m.imageSize) }];
        images.push({ repository, digest, tags, mediaType, kind, sizeBytes: num(m.imageSize), platforms, lastUpdateTime: str(m.lastUpdateTime) });
    }
    return images;
}

/**
 * converted: a streaming referrer exists; otherwise the last conversion (`_streaming/{digest}`) says whether
 * one is under way or failed. One call when the referrer exists, two otherwise. `operations: false` skips the
 * second call (registries that cannot stream refuse it).
 */
export async function streamingStateOf(client: AcrClient, repo: string, digest: string, opts: CallOptions & { operations?: boolean }): Promise<StreamingState> {
    const referrers = await client.referrers(repo, digest, STREAMING_ARTIFACT_TYPE, opts);
    if (referrers.length > 0) return 'converted';
    if (opts.operations === false) return 'none';
    const last = await client.lastOperation(repo, digest, opts);
    if (last && (last.status === 'NotStarted' || last.status === 'Running')) return 'converting';
    return last?.status === 'Failed' ? 'failed' : 'none';
}
