/** The per-registry gate: how it bounds and paces requests (a manual clock; no real waiting). */
import { describe, expect, it } from 'vitest';
import { RegistryGate } from '../../src/azure/registry-throttle.js';

describe('registry gate', () => {
    it('admits up to its bound, then the next request waits for a slot', async () => {
        const g = new RegistryGate(2, () => 0);
        await g.acquire();
        await g.acquire();
        let third = false;
        const waiting = g.acquire().then(() => (third = true));
        await Promise.resolve();
        expect(third).toBe(false);
        g.release();
        await waiting;
        expect(third).toBe(true);
    });

    it('halves the bound once per round of 429s, starts pacing, and grows back with successes', () => {
        let t = 1000;
        const g = new RegistryGate(16, () => t);
        const admitted: number[] = [];
        return (async () => {
            for (let i = 0; i < 8; i++) admitted.push(await g.acquire());
            for (let i = 0; i < 8; i++) g.release();
            t = 1010;
            // Eight 429s for requests of the same round: one decrease, not eight.
            for (const at of admitted) g.onThrottled(at);
            expect(g.stats()).toMatchObject({ throttled: 8, limit: 8 });
            expect(g.stats().ratePerSecond).not.toBeNull();
            for (let i = 0; i < 200; i++) g.onSuccess();
            expect(g.stats().limit).toBeGreaterThan(8);
        })();
    });

    it('measures the throttled rate after a pause, not across it (the pause would make the rate look tiny)', async () => {
        let t = 0;
        const g = new RegistryGate(16, () => t);
        const round = async (n: number, spacing: number) => {
            const at: number[] = [];
            for (let i = 0; i < n; i++) {
                at.push(await g.acquire());
                g.release();
                t += spacing;
            }
            for (const a of at) g.onThrottled(a);
        };
        await round(8, 1);
        t += 1000; // the retries' Retry-After waits
        await round(4, 4);
        // Halved twice from about 1,000 a second, not from 8 requests spread over a second.
        expect(g.stats().ratePerSecond).toBeGreaterThanOrEqual(100);
    });

    it('paces after a 429 but does not hold requests for its Retry-After (that wait is the retry policy\'s)', async () => {
        let t = 0;
        const g = new RegistryGate(4, () => t);
        const at = await g.acquire();
        g.release();
        t = 1;
        g.onThrottled(at);
        // A Retry-After of seconds would have held this one; only the paced spacing (about 1 ms here) applies.
        t = 10;
        expect(await g.acquire()).toBe(10);
    });

    it('gives up waiting when the caller cancels', async () => {
        const g = new RegistryGate(1, () => 0);
        await g.acquire();
        const ac = new AbortController();
        const waiting = g.acquire(ac.signal);
        ac.abort();
        await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    });
});
