/**
 * The requests the sandbox's listeners answered, in arrival order. Tests assert on it ("the 429 was retried
 * once") and benches compute round trips from it. Times are epoch milliseconds with sub-ms precision.
 *
 * Bounded (docs/sandbox.md, "request log"): a ring of the last `capacity` requests, so a long `--sandbox`
 * session does not grow with every call. A reader never gets a silently partial answer: asking for entries
 * some of which fell out of the ring throws, saying which capacity would have kept them.
 */

export interface RequestLogEntry {
    /** 'arm' | 'registry:<name>' | 'kube:<cluster>' */
    listener: string;
    method: string;
    /** Decoded path (see SandboxRequest.path). */
    path: string;
    /** Raw query string without the leading '?' ('' when none). */
    query: string;
    /** 0 when the connection was reset (fault action "reset") or dropped before an answer. */
    status: number;
    durationMs: number;
    start: number;
    end: number;
    /** Set when an injected fault ('status' | 'reset' | 'slow') or the registry rate limit ('throttled') decided the outcome. */
    fault?: 'status' | 'reset' | 'slow' | 'throttled';
    /** The signed-in world user (upn) whose token the request carried, when the handler recognised one (team server tests). */
    caller?: string;
}

export type RequestFilter = (e: RequestLogEntry) => boolean;

/**
 * 10,000 entries hold several times the requests of the largest test or bench run between two clear()s
 * (a 1,000-repository registry scan makes about 1,100) at roughly 4 MB (≈ 420 B an entry, bench/results).
 */
export const DEFAULT_REQUEST_LOG_CAPACITY = 10_000;

export class RequestLog {
    private readonly ring: RequestLogEntry[] = [];
    /** Requests recorded since the log was made: the sequence number of the next one. */
    private recorded = 0;
    /** Sequence number of the first request after the last clear(). */
    private clearedAt = 0;

    constructor(readonly capacity: number = DEFAULT_REQUEST_LOG_CAPACITY) {
        if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`request log capacity must be a whole number ≥ 1, got ${capacity}`);
    }

    record(entry: RequestLogEntry): void {
        this.ring[this.slot(this.recorded)] = entry;
        this.recorded++;
    }

    /** A marker for since(): how many requests were recorded so far (clear() does not reset it). */
    mark(): number {
        return this.recorded;
    }

    /** Every request since the last clear() (or the start), oldest first. */
    entries(filter?: RequestFilter): RequestLogEntry[] {
        return this.since(this.clearedAt, filter);
    }

    /** Every request recorded after mark() returned `marker`, oldest first. */
    since(marker: number, filter?: RequestFilter): RequestLogEntry[] {
        if (marker < this.clearedAt) throw new Error(`request log: cleared after marker ${marker}; take the marker after clear()`);
        const oldest = Math.max(0, this.recorded - this.capacity);
        if (marker < oldest) {
            throw new Error(
                `request log: ${oldest - marker} of the ${this.recorded - marker} requests asked for fell out of its ${this.capacity} entries; ` +
                    `start the sandbox with requestLogCapacity ≥ ${this.recorded - marker}, or clear() / mark() closer to what is read`
            );
        }
        const out: RequestLogEntry[] = [];
        for (let seq = marker; seq < this.recorded; seq++) {
            const e = this.ring[this.slot(seq)]!; // seq is among the last `capacity` recorded since clear(): its slot holds it
            if (!filter || filter(e)) out.push(e);
        }
        return out;
    }

    /** Forgets every request so far (and frees them); entries() then starts from the next one. */
    clear(): void {
        this.ring.length = 0;
        this.clearedAt = this.recorded;
    }

    /** Slots count from the last clear(), so the ring refills densely from 0. */
    private slot(seq: number): number {
        return (seq - this.clearedAt) % this.capacity;
    }

    /**
     * Critical-path depth: the longest chain of requests where each starts after the previous one ended,
     * i.e. the number of sequential round trips a client needed. Earliest-end-first greedy choice gives
     * the longest chain of non-overlapping intervals.
     */
    depth(filter?: RequestFilter): number {
        const sorted = this.entries(filter).sort((a, b) => a.end - b.end);
        let count = 0;
        let lastEnd = -Infinity;
        for (const e of sorted) {
            if (e.start >= lastEnd) {
                count++;
                lastEnd = e.end;
            }
        }
        return count;
    }
}

/** High-resolution wall clock in epoch ms, so entries from concurrent requests order correctly. */
export function nowMs(): number {
    return performance.timeOrigin + performance.now();
}
