/**
 * The scans' snapshots, kept for a short time per Azure access and key, so the pages after the first cost no
 * reads. A snapshot being read is shared; one that failed is forgotten (a retry reads again), and one whose
 * starter cancelled is not the next caller's failure: that caller starts its own. `serves` may refuse a kept
 * snapshot that does not cover what this caller asks for (a registry scan that stopped early): the new read
 * may continue from it.
 */
import type { AzureAccess } from '../../azure/azure-access.js';
import { isAbortError } from '../../azure/errors.js';

export class SnapshotCache<V> {
    private readonly byAccess = new WeakMap<AzureAccess, Map<string, { at: number; value: Promise<V> }>>();

    constructor(
        private readonly ttlMs: number,
        private readonly now: () => number = Date.now
    ) {}

    /** `read` gets the fresh kept snapshot that `serves` refused, so it can build on it instead of starting over. */
    async get(azure: AzureAccess, key: string, signal: AbortSignal, read: (kept?: V) => Promise<V>, serves: (v: V) => boolean = () => true): Promise<V> {
        let entries = this.byAccess.get(azure);
        if (!entries) this.byAccess.set(azure, (entries = new Map()));
        const hit = entries.get(key);
        let kept: V | undefined;
        if (hit && this.now() - hit.at < this.ttlMs) {
            const shared = await hit.value.catch(e => (isAbortError(e) && !signal.aborted ? undefined : Promise.reject(e)));
            if (shared !== undefined && serves(shared)) return shared;
            kept = shared;
        }
        const value = read(kept);
        const entry = { at: this.now(), value };
        entries.set(key, entry);
        const mine = entries;
        value.catch(() => {
            if (mine.get(key) === entry) mine.delete(key);
        });
        return value;
    }
}
