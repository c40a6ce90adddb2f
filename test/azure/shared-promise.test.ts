/** The one "share an in-flight promise, forget it on failure (optionally after a time)" helper. */
import { describe, expect, it } from 'vitest';
import { SharedPromise, SharedPromises } from '../../src/azure/shared-promise.js';

describe('SharedPromises', () => {
    it('concurrent callers of one key share one call; other keys get their own', async () => {
        const shared = new SharedPromises<string, number>();
        let calls = 0;
        const make = async () => ++calls;
        const [a, b, c] = await Promise.all([shared.get('x', make), shared.get('x', make), shared.get('y', make)]);
        expect([a, b, c].sort()).toEqual([1, 1, 2]);
        expect(calls).toBe(2);
    });

    it('forgets a failure at once: the next caller tries again', async () => {
        const shared = new SharedPromise<string>();
        await expect(shared.get(async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
        expect(await shared.get(async () => 'up')).toBe('up');
    });

    it('a late failure of a forgotten promise does not drop its replacement', async () => {
        const shared = new SharedPromise<string>();
        let fail!: (e: Error) => void;
        const first = shared.get(() => new Promise<string>((_, reject) => (fail = reject)));
        shared.forget();
        expect(await shared.get(async () => 'second')).toBe('second');
        fail(new Error('late'));
        await expect(first).rejects.toThrow('late');
        let again = 0;
        expect(await shared.get(async () => `third ${++again}`)).toBe('second');
        expect(again).toBe(0);
    });

    it('keeps a value for ttlMs, then makes a new one', async () => {
        let now = 0;
        const shared = new SharedPromises<string, number>({ ttlMs: 100, now: () => now });
        let calls = 0;
        const make = async () => ++calls;
        expect(await shared.get('k', make)).toBe(1);
        now = 100;
        expect(await shared.get('k', make)).toBe(1);
        now = 101;
        expect(await shared.get('k', make)).toBe(2);
    });

    it('a stale value (an expired token) is replaced on the next call', async () => {
        let now = 0;
        const shared = new SharedPromise<{ expiresAt: number }>({ isStale: v => v.expiresAt <= now });
        let calls = 0;
        const make = async () => ({ expiresAt: now + 10, n: ++calls });
        expect(await shared.get(make)).toMatchObject({ n: 1 });
        now = 5;
        expect(await shared.get(make)).toMatchObject({ n: 1 });
        now = 10;
        expect(await shared.get(make)).toMatchObject({ n: 2 });
    });
});
