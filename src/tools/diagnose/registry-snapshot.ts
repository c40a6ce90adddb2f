/**
 * Every tagged image of a registry (or of the repositories under a prefix), read from listing calls only:
 * the catalog, then one `_manifests` listing per repository, a bounded number in flight. Token requests are
 * batched a page of repositories at a time just before that page is listed (the token cache holds only a few
 * hundred scopes, so authorising everything up front would evict the first tokens before their use). The
 * registry's rate limit is paced below this, in the Azure layer's per-registry gate (registry-throttle.ts).
 *
 * A snapshot covers a range of the catalog (repositories after a name, up to another or to the end). When time
 * runs short or the registry throttles beyond the retries, listing stops: the snapshot then covers the
 * repositories listed without a gap in catalog order, and says why it stopped (the scan continues after the
 * last of them with its cursor). A snapshot is kept for a minute per registry, prefix and range start, so the
 * pages after the first cost no listing, and one that stopped is continued by the next call that needs more.
 */
import type { AzureAccess, ListedImage, RegistryInfo } from '../../azure/azure-access.js';
import { mapLimit } from '../../azure/concurrency.js';
import { MAX_SCOPES_PER_TOKEN } from '../../azure/scope-tokens.js';
import { isToolError } from '../../tool-error.js';
import { phaseSignal, type StopReason } from './scan-budget.js';
import { SnapshotCache } from './snapshot-cache.js';

/** Repository listings in flight; the registry gate lowers this on its own when the registry throttles. */
export const SCAN_CONCURRENCY = 16;
/** Repositories one scan reads at most; beyond, the scan says it is truncated. */
export const MAX_SCAN_REPOSITORIES = 10_000;
export const SNAPSHOT_TTL_MS = 60_000;
const CATALOG_PAGE = 1000;

/** Repositories after `after` (catalog order; "" from the start), through `through` (inclusive) or to the end. */
export interface RepositoryRange {
    after: string;
    through?: string;
}

export interface Snapshot {
    /** The images of the covered repositories. */
    images: ListedImage[];
    /** The repositories covered, in catalog order: a gap-free run from the start of the range. */
    names: string[];
    /** Covered repositories whose listing failed, with the first error's text. */
    unread: { names: string[]; first?: string };
    truncated: boolean;
    /** Set when listing stopped before the end of the range: the snapshot covers `names` only. */
    stopped?: StopReason;
    /** The end of the range that was asked for. */
    through?: string;
}

const snapshots = new SnapshotCache<Snapshot>(SNAPSHOT_TTL_MS);

/** Called as repositories are listed (done, total); only the caller that starts a listing hears it. */
export type ScanProgress = (done: number, total: number) => void;

/** One scan's listing: of what, under which signal, until when (epoch ms), reporting progress to whom. */
export interface ListingJob {
    azure: AzureAccess;
    reg: RegistryInfo;
    prefix: string;
    signal: AbortSignal;
    stopAt: number;
    progress: ScanProgress;
}

/** Reads the range, listing until `job.stopAt` at most; a fresh cached snapshot covering it is used instead. */
export async function registrySnapshot(job: ListingJob, range: RepositoryRange): Promise<Snapshot> {
    const { azure, reg, prefix, signal } = job;
    const key = `${reg.id.toLowerCase()}\u0000${prefix}\u0000${range.after}`;
    const read = async (kept?: Snapshot) => {
        // A kept snapshot that stopped short of this range is continued from its last repository, not read again:
        // so each call lists further, even when a whole range no longer fits in one call.
        const resumeAfter = kept?.stopped ? kept.names.at(-1) : undefined;
        if (!kept || resumeAfter === undefined) return readSnapshot(job, range, false);
        return joined(kept, await readSnapshot(job, { ...range, after: resumeAfter }, true));
    };
    const snap = await snapshots.get(azure, key, signal, read, s => covers(s, range));
    return range.through === undefined ? snap : upTo(snap, range.through);
}

/** A snapshot that stopped, followed by the one that continued after its last repository. */
function joined(first: Snapshot, rest: Snapshot): Snapshot {
    const unreadFirst = first.unread.first ?? rest.unread.first;
    return {
        images: [...first.images, ...rest.images],
        names: [...first.names, ...rest.names],
        unread: { names: [...first.unread.names, ...rest.unread.names], ...(unreadFirst ? { first: unreadFirst } : {}) },
        truncated: first.truncated || rest.truncated,
        ...(rest.stopped ? { stopped: rest.stopped } : {}),
        ...(rest.through !== undefined ? { through: rest.through } : {})
    };
}

/** Whether a snapshot of a range with the same start serves `range`: it reached as far, or it is the same unbounded ask. */
function covers(s: Snapshot, range: RepositoryRange): boolean {
    // One that stopped before listing anything is read again: kept, it would answer the same cursor with no
    // progress for a minute (a loaded machine's slow catalog, or a first listing throttled beyond the retries).
    if (s.stopped && s.names.length === 0) return false;
    const last = s.names[s.names.length - 1];
    if (range.through === undefined) return s.through === undefined;
    if (!s.stopped && (s.through === undefined || s.through >= range.through)) return true;
    return last !== undefined && last >= range.through;
}

function upTo(s: Snapshot, through: string): Snapshot {
    const within = (name: string) => name <= through;
    if (s.names.every(within) && s.through === through) return s;
    const names = s.names.filter(within);
    // Stopped short of `through` still, or (having reached it) complete for this range.
    const stopped = s.stopped && (names.at(-1) ?? '') < through ? s.stopped : undefined;
    return {
        images: s.images.filter(i => within(i.repository)),
        names,
        unread: { ...s.unread, names: s.unread.names.filter(within) },
        truncated: s.truncated,
        ...(stopped ? { stopped } : {}),
        through
    };
}

async function readSnapshot({ azure, reg, prefix, signal, stopAt, progress }: ListingJob, range: RepositoryRange, continuing: boolean): Promise<Snapshot> {
    const { names, truncated } = await catalog(azure, reg, prefix, range, signal);
    const phase = phaseSignal(signal, stopAt);
    const call = { abortSignal: phase.signal };
    const authorized = new Map<number, Promise<void>>();
    const authorize = (i: number) => {
        const chunk = Math.floor(i / MAX_SCOPES_PER_TOKEN);
        let p = authorized.get(chunk);
        if (!p) {
            p = azure.authorizeListing(reg, names.slice(chunk * MAX_SCOPES_PER_TOKEN, (chunk + 1) * MAX_SCOPES_PER_TOKEN), call);
            authorized.set(chunk, p);
        }
        return p;
    };
    /** Per repository: listed (its images), unread (the error), or not reached before the stop (undefined). */
    const outcome: ({ images: ListedImage[] } | { error: unknown } | undefined)[] = new Array(names.length);
    let done = 0;
    try {
        await mapLimit(names, SCAN_CONCURRENCY, async (repo, i) => {
            if (phase.signal.aborted) return;
            try {
                await authorize(i);
                outcome[i] = { images: await azure.listImages(reg, repo, call) };
                // Every 50 repositories is often enough to show movement and rare enough to stay cheap.
                if (++done % 50 === 0) progress(done, names.length);
            } catch (e) {
                if (signal.aborted) throw e;
                if (phase.signal.aborted) return;
                // Throttled beyond the retries (or asked to wait longer than they may): the registry admits no more now.
                if (isToolError(e) && e.code === 'THROTTLED') return phase.stop('throttled');
                // A repository deleted since the catalog, or one this identity may not read (ABAC), is reported, not fatal.
                if (!isToolError(e)) throw e;
                outcome[i] = { error: e };
            }
        });
    } finally {
        phase.dispose();
    }
    const reached = outcome.findIndex(o => o === undefined);
    const covered = reached < 0 ? names.length : reached;
    const results = outcome.slice(0, covered) as ({ images: ListedImage[] } | { error: unknown })[];
    const errors = results.flatMap(r => ('error' in r ? [r.error] : []));
    const stopped = covered < names.length ? (phase.stopped() ?? 'deadline') : undefined;
    // Nothing readable at all is the scan's failure (a continuation follows repositories that were read).
    if (!stopped && !continuing && names.length > 0 && errors.length === names.length) throw errors[0];
    const first = errors[0];
    const firstText = isToolError(first) ? `${first.what}: ${first.why}` : undefined;
    return {
        images: results.flatMap(r => ('images' in r ? r.images : [])),
        names: names.slice(0, covered),
        unread: { names: names.filter((_, i) => i < covered && outcome[i] && 'error' in outcome[i]!), ...(firstText ? { first: firstText } : {}) },
        truncated,
        ...(stopped ? { stopped } : {}),
        ...(range.through !== undefined ? { through: range.through } : {})
    };
}

/** Repository names under `prefix` in the range; the catalog is in lexical order, so reading stops once names pass the prefix or the range. */
async function catalog(azure: AzureAccess, reg: RegistryInfo, prefix: string, range: RepositoryRange, signal: AbortSignal): Promise<{ names: string[]; truncated: boolean }> {
    const names: string[] = [];
    let last: string | undefined = range.after || undefined;
    for (;;) {
        const page = await azure.listRepositories(reg, { abortSignal: signal, n: CATALOG_PAGE, ...(last ? { last } : {}) });
        for (const name of page.repositories) {
            if (name <= range.after) continue;
            if (range.through !== undefined && name > range.through) return { names, truncated: false };
            if (name.startsWith(prefix)) names.push(name);
            else if (prefix && name > prefix) return { names, truncated: false };
            if (names.length >= MAX_SCAN_REPOSITORIES) return { names, truncated: true };
        }
        if (!page.last || page.last === last) return { names, truncated: false };
        last = page.last;
    }
}
