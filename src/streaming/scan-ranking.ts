/**
 * Ranking a registry's images by what artifact streaming would save at pod start, from listing facts only
 * (sizes and platforms), and paging through the ranking with a keyset cursor. Pure: no HTTP, no MCP.
 *
 * Order: estimated seconds saved (the midpoint of the estimate's range) descending, then the image reference
 * ascending, a total order. A cursor is the position of the last row returned, so the next page is "every row
 * after it" even when the registry changed in between (a re-listing can add or drop rows, never repeat one).
 */
import { imageEligibility, streamedSizeBytes } from './image-rules.js';

export interface ListedPlatformFacts {
    os: string;
    architecture: string;
    sizeBytes: number | null;
}

export interface ListedImageFacts {
    repository: string;
    digest: string;
    tags: readonly string[];
    mediaType: string;
    sizeBytes: number;
    platforms: readonly ListedPlatformFacts[];
}

/** The part of the startup estimate the ranking reads (tools.md `estimate`). */
export interface RankableEstimate {
    savedSeconds: readonly [number, number];
}

export interface Ranked<E extends RankableEstimate> {
    image: ListedImageFacts;
    /** The tag a pod would pull (only pulls by tag stream): the image's first tag other than `latest`, if any. */
    tag: string;
    /** Bytes a linux/amd64 node pulls: the amd64 entry of an index, else the manifest itself. */
    pullBytes: number;
    estimate: E;
    /** Ranking key: seconds saved, midpoint of the estimate's range. */
    saved: number;
}

export interface RankedScan<E extends RankableEstimate> {
    rows: Ranked<E>[];
    /** Listed images that cannot stream (platform, media type), left out of the ranking. */
    ineligible: number;
}

/** Where a row sits in a ranking: its key (higher first) and its name (ties in name order). */
export interface RankPosition {
    key: number;
    name: string;
}

export function pullTag(tags: readonly string[]): string {
    return tags.find(t => t !== 'latest') ?? tags[0] ?? 'latest';
}

/** The reference a row is known by in results and cursors. */
export const rowImage = (loginServer: string, r: Pick<Ranked<RankableEstimate>, 'image' | 'tag'>) => `${loginServer}/${r.image.repository}:${r.tag}`;

/** Eligible images only (the same image rules as acr_inspect_image), each with its estimate, in ranking order. */
export function rankImages<E extends RankableEstimate>(loginServer: string, images: readonly ListedImageFacts[], estimate: (pullBytes: number) => E): RankedScan<E> {
    let ineligible = 0;
    const rows: Ranked<E>[] = [];
    for (const image of images) {
        const facts = {
            mediaType: image.mediaType,
            platforms: image.platforms.map(p => ({ os: p.os, architecture: p.architecture, ...(p.sizeBytes !== null ? { sizeBytes: p.sizeBytes } : {}) })),
            isStreamingArtifact: false
        };
        if (!imageEligibility(facts).convertible) {
            ineligible++;
            continue;
        }
        const pullBytes = streamedSizeBytes(facts) ?? image.sizeBytes;
        const e = estimate(pullBytes);
        rows.push({ image, tag: pullTag(image.tags), pullBytes, estimate: e, saved: (e.savedSeconds[0] + e.savedSeconds[1]) / 2 });
    }
    rows.sort((a, b) => comparePositions(position(loginServer, a), position(loginServer, b)));
    return { rows, ineligible };
}

export function position(loginServer: string, r: Ranked<RankableEstimate>): RankPosition {
    return { key: r.saved, name: rowImage(loginServer, r) };
}

export function comparePositions(a: RankPosition, b: RankPosition): number {
    if (a.key !== b.key) return b.key - a.key;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Up to `limit` rows (already in ranking order) after `after` (from the start without it), and whether more follow. */
export function pageAfter<T>(rows: readonly T[], positionOf: (row: T) => RankPosition, limit: number, after?: RankPosition): { page: T[]; more: boolean } {
    const start = after ? rows.findIndex(r => comparePositions(positionOf(r), after) > 0) : 0;
    const from = start < 0 ? rows.length : start;
    return { page: rows.slice(from, from + limit), more: from + limit < rows.length };
}
