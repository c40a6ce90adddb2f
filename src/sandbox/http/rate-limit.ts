/**
 * The registry request-rate limit of each ACR service tier. Learn (ACR service tiers, docs/sources.md) gives ReadOps per minute 1,000 / 3,000 / 10,000 and WriteOps per
 * minute 100 / 500 / 2,000 for Basic / Standard / Premium, as minimum estimates, and says a docker pull is
 * several read operations (the manifest plus one per layer) and a push several writes. Beyond the limit ACR
 * answers 429 TOOMANYREQUESTS; the sandbox adds Retry-After with the seconds until the next operation fits.
 *
 * Modelled as one token bucket per registry and kind: the bucket holds `burst` operations (default: a whole
 * minute's worth, so the limit reads as "N per minute") and refills at N per minute. A refused request costs
 * nothing. Assumptions (not documented): GET/HEAD and the token endpoints (`/oauth2/*`) count as reads,
 * every other request as a write; the Retry-After value is the sandbox's own.
 */
import type { WorldBehaviour } from '../world/schema.js';
import { nowMs } from './request-log.js';

export type Sku = 'Basic' | 'Standard' | 'Premium';

export interface TierLimit {
    readOpsPerMinute: number;
    writeOpsPerMinute: number;
    /** Operations a bucket holds when full (default: its per-minute figure). */
    burst?: number;
}

/** Learn: ACR service tiers (docs/sources.md), the tier table. */
export const SKU_RATE_LIMITS: Readonly<Record<Sku, TierLimit>> = {
    Basic: { readOpsPerMinute: 1_000, writeOpsPerMinute: 100 },
    Standard: { readOpsPerMinute: 3_000, writeOpsPerMinute: 500 },
    Premium: { readOpsPerMinute: 10_000, writeOpsPerMinute: 2_000 }
};

export function isReadOp(method: string, path: string): boolean {
    return method === 'GET' || method === 'HEAD' || (method === 'POST' && path.startsWith('/oauth2/'));
}

/** A bucket of `capacity` operations refilled at `perMinute`; both read per call so a test may change them. */
export class TokenBucket {
    private tokens: number | undefined;
    private last = 0;

    /** 0 when one operation was taken; otherwise the milliseconds until one will be available. */
    take(capacity: number, perMinute: number, nowMs: number): number {
        const perMs = perMinute / 60_000;
        this.tokens = Math.min(capacity, (this.tokens ?? capacity) + (nowMs - this.last) * perMs);
        this.last = nowMs;
        if (this.tokens >= 1) {
            this.tokens -= 1;
            return 0;
        }
        return Math.ceil((1 - this.tokens) / perMs);
    }
}

/**
 * The limiter of one registry listener. `sku` and `behaviour` are read per request: the SKU of the live world
 * and the limits of the live behaviour (world `behaviour.registryRateLimits`, per SKU, over Learn's figures).
 */
export function registryRateLimiter(sku: () => Sku, behaviour: () => WorldBehaviour, now: () => number = nowMs) {
    const read = new TokenBucket();
    const write = new TokenBucket();
    /** Milliseconds the client must wait (a 429), or 0 when the request may proceed. */
    return (method: string, path: string): number => {
        const tier = sku();
        const limit = { ...SKU_RATE_LIMITS[tier], ...behaviour().registryRateLimits[tier] };
        const reading = isReadOp(method, path);
        const perMinute = reading ? limit.readOpsPerMinute : limit.writeOpsPerMinute;
        return (reading ? read : write).take(limit.burst ?? perMinute, perMinute, now());
    };
}
