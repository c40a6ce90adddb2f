/**
 * Every request any sandbox listener answered, in arrival order. Tests assert on it ("the 429 was retried
 * once") and benches compute round trips from it. Times are epoch milliseconds with sub-ms precision.
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

export class RequestLog {
    private readonly items: RequestLogEntry[] = [];

    record(entry: RequestLogEntry): void {
        this.items.push(entry);
    }

    entries(filter?: RequestFilter): RequestLogEntry[] {
        return filter ? this.items.filter(filter) : [...this.items];
    }

    clear(): void {
        this.items.length = 0;
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
