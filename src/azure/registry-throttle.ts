/**
 * Adapting to a registry's request-rate limit. ACR meters read and write operations per minute per service
 * tier (Learn: ACR service tiers, docs/sources.md) and answers 429 beyond it. One gate per login server
 * pauses every request to that registry until Retry-After has passed, and adapts two bounds the way TCP
 * adapts its window (additive increase, multiplicative decrease): the requests in flight, and, once the
 * registry has throttled, the request rate (a fast registry throttles a single sequential client too, so a
 * concurrency bound alone cannot get below its limit). Each 429 round halves both; each success grows them
 * back a little. A scan of a thousand repositories slows down to what the registry admits instead of failing.
 *
 * The gate wraps each attempt (see throttlePolicies for why), so the first 429 is seen at once.
 */
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import { retryAfterMs } from './http-policies.js';

/** Requests in flight per registry at most: enough for a scan, far below what a Premium registry admits. */
export const REGISTRY_MAX_CONCURRENCY = 16;
/** Total time one request may spend waiting out 429s before its 429 is reported. */
export const MAX_THROTTLE_WAIT_MS = 120_000;
/**
 * Rate growth per success once pacing: 1 % (about 70 successes to double) back up to a quarter below the rate
 * that was throttled, then 0.1 % (some 700 successes to double) while probing above it, so the client regains
 * what the registry admits quickly and then crosses its limit rarely (each 429 costs a Retry-After pause).
 */
const RECOVERY_GROWTH = 1.01;
const PROBE_GROWTH = 1.001;
/** Admissions remembered to measure the rate at which the registry started to throttle. */
const RATE_WINDOW = 32;

type Signal = AbortSignalLike;

/** The subset of AbortSignal the pipeline hands over (core-rest-pipeline's AbortSignalLike). */
type AbortSignalLike = Pick<AbortSignal, 'aborted' | 'addEventListener' | 'removeEventListener'>;

function abortError(): Error {
    const e = new Error('The operation was aborted.');
    e.name = 'AbortError';
    return e;
}

function sleep(ms: number, signal?: Signal): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(abortError());
        const onAbort = () => {
            clearTimeout(timer);
            reject(abortError());
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}

export interface GateStats {
    throttled: number;
    /** Current bound on requests in flight. */
    limit: number;
    /** Current bound on the request rate (per second); null while not pacing. */
    ratePerSecond: number | null;
}

export class RegistryGate {
    private limit: number;
    private inFlight = 0;
    private pausedUntil = 0;
    private lastDecrease = -Infinity;
    /** Minimum spacing of request starts; 0 until the registry first throttles. */
    private intervalMs = 0;
    /** The spacing at which the registry last throttled. */
    private throttledAtMs = 0;
    private nextStart = 0;
    private readonly starts: number[] = [];
    private readonly waiters: Array<() => void> = [];
    throttled = 0;

    constructor(
        private readonly max = REGISTRY_MAX_CONCURRENCY,
        private readonly now: () => number = Date.now
    ) {
        this.limit = max;
    }

    stats(): GateStats {
        return { throttled: this.throttled, limit: Math.floor(this.limit), ratePerSecond: this.intervalMs > 0 ? Math.round(1000 / this.intervalMs) : null };
    }

    /** Waits for a free slot, outside any pause and at the paced rate; returns the time the request was admitted. */
    async acquire(signal?: Signal): Promise<number> {
        for (;;) {
            const t = this.now();
            const pause = this.pausedUntil - t;
            if (pause > 0) await sleep(pause, signal);
            else if (this.inFlight >= Math.floor(this.limit)) await this.waitForSlot(signal);
            else if (this.intervalMs > 0 && this.nextStart > t) await sleep(this.nextStart - t, signal);
            else {
                this.inFlight++;
                this.nextStart = Math.max(t, this.nextStart) + this.intervalMs;
                this.starts.push(t);
                if (this.starts.length > RATE_WINDOW) this.starts.shift();
                return t;
            }
        }
    }

    release(): void {
        this.inFlight--;
        this.waiters.shift()?.();
    }

    /** A 429 for a request admitted at `admittedAt`: pause everyone, and halve the bound once per round. */
    onThrottled(waitMs: number, admittedAt: number): void {
        this.throttled++;
        this.pausedUntil = Math.max(this.pausedUntil, this.now() + waitMs);
        if (admittedAt > this.lastDecrease) {
            this.limit = Math.max(1, Math.floor(this.limit / 2));
            // Half the rate that was throttled; a burst (no spacing to measure) starts at 1,000 per second.
            const observed = this.observedIntervalMs();
            this.throttledAtMs = Math.max(observed, this.intervalMs);
            this.intervalMs = Math.max(this.intervalMs * 2, 2 * observed, 1);
            this.lastDecrease = this.now();
            // The next measurement starts after the pause: spacing across it says nothing about the rate.
            this.starts.length = 0;
        }
    }

    /** Mean spacing of the recent admissions (0 when too few to tell). */
    private observedIntervalMs(): number {
        const n = this.starts.length;
        return n < 2 ? 0 : (this.starts[n - 1]! - this.starts[0]!) / (n - 1);
    }

    onSuccess(): void {
        if (this.intervalMs > 0) this.intervalMs /= this.intervalMs > this.throttledAtMs * 1.25 ? RECOVERY_GROWTH : PROBE_GROWTH;
        if (this.limit >= this.max) return;
        const before = Math.floor(this.limit);
        this.limit = Math.min(this.max, this.limit + 1 / this.limit);
        for (let i = before; i < Math.floor(this.limit); i++) this.waiters.shift()?.();
    }

    private waitForSlot(signal?: Signal): Promise<void> {
        return new Promise((resolve, reject) => {
            const wake = () => {
                signal?.removeEventListener('abort', onAbort);
                resolve();
            };
            const onAbort = () => {
                const i = this.waiters.indexOf(wake);
                if (i >= 0) this.waiters.splice(i, 1);
                reject(abortError());
            };
            if (signal?.aborted) return onAbort();
            signal?.addEventListener('abort', onAbort, { once: true });
            this.waiters.push(wake);
        });
    }
}

/**
 * The two policies sharing one gate per host. `retry` sits before the reliability policy and re-runs a
 * request whose attempts all ended in 429 (within MAX_THROTTLE_WAIT_MS); `gate` sits after it, around each
 * single attempt, so a request sleeping between attempts holds no slot and every attempt, first or retried,
 * waits out the registry's pause and respects the current bound.
 */
export function throttlePolicies(opts: { maxRetryAfterMs: number; now?: () => number }) {
    const now = opts.now ?? Date.now;
    const gates = new Map<string, RegistryGate>();
    const gateFor = (url: string) => {
        const host = new URL(url).host;
        let g = gates.get(host);
        if (!g) gates.set(host, (g = new RegistryGate(REGISTRY_MAX_CONCURRENCY, now)));
        return g;
    };
    const retry: PipelinePolicy = {
        name: 'acrStreamingMcpThrottleRetry',
        async sendRequest(request, next) {
            const started = now();
            for (;;) {
                const res = await next(request);
                const wait = res.status === 429 ? (retryAfterMs(res) ?? 1_000) : undefined;
                if (wait === undefined || wait > opts.maxRetryAfterMs || now() - started + wait > MAX_THROTTLE_WAIT_MS) return res;
                // The gate holds every request to this registry until the pause is over; the next attempt waits there.
            }
        }
    };
    const gate: PipelinePolicy = {
        name: 'acrStreamingMcpThrottleGate',
        async sendRequest(request, next) {
            const g = gateFor(request.url);
            const admittedAt = await g.acquire(request.abortSignal);
            let res: PipelineResponse;
            try {
                res = await next(request);
            } finally {
                g.release();
            }
            if (res.status === 429) g.onThrottled(retryAfterMs(res) ?? 1_000, admittedAt);
            else if (res.status < 500) g.onSuccess();
            return res;
        }
    };
    return { retry, gate, stats: (host: string) => gates.get(host)?.stats() };
}
