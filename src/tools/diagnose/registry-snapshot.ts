/**
 * Every tagged image of a registry (or of the repositories under a prefix), read from listing calls only:
 * the catalog, then one `_manifests` listing per repository, a bounded number in flight. Token requests are
 * batched a page of repositories at a time just before that page is listed (the token cache holds only a few
 * hundred scopes, so authorising everything up front would evict the first tokens before their use). The
 * registry's rate limit is absorbed below this, in the Azure layer's per-registry gate (registry-throttle.ts).
 *
 * A snapshot is kept for a minute per registry and prefix, so the pages after the first cost no listing.
 */
import type { AzureAccess, ListedImage, RegistryInfo } from '../../azure/azure-access.js';
import { mapLimit } from '../../azure/concurrency.js';
import { MAX_SCOPES_PER_TOKEN } from '../../azure/scope-tokens.js';
import { isToolError } from '../../tool-error.js';
import { SnapshotCache } from './snapshot-cache.js';

/** Repository listings in flight; the registry gate lowers this on its own when the registry throttles. */
export const SCAN_CONCURRENCY = 16;
/** Repositories one scan reads at most; beyond, the scan says it is truncated. */
export const MAX_SCAN_REPOSITORIES = 10_000;
export const SNAPSHOT_TTL_MS = 60_000;
const CATALOG_PAGE = 1000;

export interface Snapshot {
    images: ListedImage[];
    repositories: number;
    /** Repositories whose listing failed, with the first error's text. */
    unread: { count: number; first?: string };
    truncated: boolean;
}

const snapshots = new SnapshotCache<Snapshot>(SNAPSHOT_TTL_MS);

/** Called as repositories are listed (done, total); only the caller that starts a listing hears it. */
export type ScanProgress = (done: number, total: number) => void;

export function registrySnapshot(azure: AzureAccess, reg: RegistryInfo, prefix: string, signal: AbortSignal, progress: ScanProgress = () => undefined): Promise<Snapshot> {
    return snapshots.get(azure, `${reg.id.toLowerCase()}\u0000${prefix}`, signal, () => readSnapshot(azure, reg, prefix, signal, progress));
}

async function readSnapshot(azure: AzureAccess, reg: RegistryInfo, prefix: string, signal: AbortSignal, progress: ScanProgress): Promise<Snapshot> {
    const { names, truncated } = await catalog(azure, reg, prefix, signal);
    const authorized = new Map<number, Promise<void>>();
    const authorize = (i: number) => {
        const chunk = Math.floor(i / MAX_SCOPES_PER_TOKEN);
        let p = authorized.get(chunk);
        if (!p) {
            p = azure.authorizeListing(reg, names.slice(chunk * MAX_SCOPES_PER_TOKEN, (chunk + 1) * MAX_SCOPES_PER_TOKEN), { abortSignal: signal });
            authorized.set(chunk, p);
        }
        return p;
    };
    let failures = 0;
    let done = 0;
    let first: unknown;
    const lists = await mapLimit(names, SCAN_CONCURRENCY, async (repo, i) => {
        try {
            await authorize(i);
            const images = await azure.listImages(reg, repo, { abortSignal: signal });
            // Every 50 repositories is often enough to show movement and rare enough to stay cheap.
            if (++done % 50 === 0) progress(done, names.length);
            return images;
        } catch (e) {
            // A repository deleted since the catalog, or one this identity may not read (ABAC), is reported, not fatal.
            if (signal.aborted || !isToolError(e)) throw e;
            failures++;
            first ??= e;
            return [];
        }
    });
    if (names.length > 0 && failures === names.length) throw first;
    const firstText = isToolError(first) ? `${first.what}: ${first.why}` : undefined;
    return { images: lists.flat(), repositories: names.length, unread: { count: failures, ...(firstText ? { first: firstText } : {}) }, truncated };
}

/** Repository names under `prefix`; the catalog is in lexical order, so reading stops once names pass the prefix. */
async function catalog(azure: AzureAccess, reg: RegistryInfo, prefix: string, signal: AbortSignal): Promise<{ names: string[]; truncated: boolean }> {
    const names: string[] = [];
    let last: string | undefined;
    for (;;) {
        const page = await azure.listRepositories(reg, { abortSignal: signal, n: CATALOG_PAGE, ...(last ? { last } : {}) });
        for (const name of page.repositories) {
            if (name.startsWith(prefix)) names.push(name);
            else if (prefix && name > prefix) return { names, truncated: false };
            if (names.length >= MAX_SCAN_REPOSITORIES) return { names, truncated: true };
        }
        if (!page.last || page.last === last) return { names, truncated: false };
        last = page.last;
    }
}
