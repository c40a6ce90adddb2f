/**
 * Pacing requests to a registry's request-rate limit. ACR meters read and write operations per minute per
 * service tier (Learn: ACR service tiers, docs/sources.md) and answers 429 beyond it. One gate per login server
 * adapts two bounds the way TCP adapts its window (additive increase, multiplicative decrease): the requests in
 * flight, and, once the registry has throttled, the request rate (a fast registry throttles a single sequential
 * client too, so a concurrency bound alone cannot get below its limit). Each 429 round halves both; each
 * success grows them back a little. A scan of a thousand repositories slows down to what the registry admits.
 *
 * The gate only paces. Waiting out a 429's Retry-After is the retry policy's (http-policies.ts): one place for
 * retry waits, capped and never past the call's deadline. The gate wraps each attempt, inside the retries, so
 * the first 429 is seen at once and a request waiting to retry holds no slot.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';

/** Requests in flight per registry at most: enough for a scan, far below what a Premium registry admits. */
export const REGISTRY_MAX_CONCURRENCY = 16;
/**
 * Rate growth per success once pacing: 1 % (about 70 successes to double) back up to a quarter below the rate
 * that was throttled, then 0.1 % (some 700 successes to double) while probing above it, so the client regains
 * what the registry admits quickly and then crosses its limit rarely (each 429 costs a Retry-After pause).
 */
const RECOVERY_GROWTH = 1.01;
const PROBE_GROWTH = 1.001;
/** Admissions remembered to measure the rate at which the registry started to throttle. */
const RATE_WINDOW = 32;

/** The request's signal: our own per request (http-policies.ts requestSignalPolicy), so a real AbortSignal. */
type Signal = AbortSignal;

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

    /** Waits for a free slot and for the paced rate; returns the time the request was admitted. */
    async acquire(signal?: Signal): Promise<number> {
        for (;;) {
            const t = this.now();
            if (this.inFlight >= Math.floor(this.limit)) await this.waitForSlot(signal);
            else if (this.intervalMs > 0 && this.nextStart > t) await delay(this.nextStart - t, undefined, signal ? { signal } : {});
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

    /** A 429 for a request admitted at `admittedAt`: halve both bounds, once per round of 429s. */
    onThrottled(admittedAt: number): void {
        this.throttled++;
        if (admittedAt > this.lastDecrease) {
            this.limit = Math.max(1, Math.floor(this.limit / 2));
            // Half the rate that was throttled; a burst (no spacing to measure) starts at 1,000 per second.
            const observed = this.observedIntervalMs();
            this.throttledAtMs = Math.max(observed, this.intervalMs);
            this.intervalMs = Math.max(this.intervalMs * 2, 2 * observed, 1);
            this.lastDecrease = this.now();
            // The next measurement starts afresh: the spacing across the retries' waits says nothing about the rate.
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
                reject(new DOMException('The operation was aborted.', 'AbortError'));
            };
            if (signal?.aborted) return onAbort();
            signal?.addEventListener('abort', onAbort, { once: true });
            this.waiters.push(wake);
        });
    }
}

/** The gate policy, one gate per host: it goes around each attempt (reliabilityPolicies' aroundEachAttempt). */
export function registryGatePolicy(now: () => number = Date.now) {
    const gates = new Map<string, RegistryGate>();
    const gateFor = (url: string) => {
        const host = new URL(url).host;
        let g = gates.get(host);
        if (!g) gates.set(host, (g = new RegistryGate(REGISTRY_MAX_CONCURRENCY, now)));
        return g;
    };
    const gate: PipelinePolicy = {
        name: 'acrStreamingMcpRegistryGate',
        async sendRequest(request, next) {
            const g = gateFor(request.url);
            const admittedAt = await g.acquire(request.abortSignal as Signal | undefined);
            let res: PipelineResponse;
            try {
                res = await next(request);
            } finally {
                g.release();
            }
            if (res.status === 429) g.onThrottled(admittedAt);
            else if (res.status < 500) g.onSuccess();
            return res;
        }
    };
    return { gate, stats: (host: string) => gates.get(host)?.stats() };
}
