/**
 * streaming_scan_registry when the registry throttles so hard that the whole scan cannot fit in one call's
 * deadline: each call returns what it has (a partial page and a cursor, saying it stopped early and why)
 * instead of failing with DEADLINE, and following the cursors covers every repository exactly once.
 *
 * The rate limit makes the scan need more requests than one call can send (a lower bound on its time, never an
 * upper one): 150 repositories at 40 reads per second cannot be listed in the 2 s a 3 s call gives listing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../../../src/sandbox/world/generate-world.js';
import { parseWorld } from '../../../src/sandbox/world/load-world.js';
import { scanRegistryTool } from '../../../src/tools/diagnose/scan-registry.js';
import { encodeScanCursor } from '../../../src/tools/diagnose/scan-cursor.js';
import { startSandboxApp, textOf, type SandboxApp } from '../../helpers/sandbox-app.js';
import { structuredOf } from '../../helpers/structured.js';

const REPOSITORIES = 150;
const world = generateWorld({ repositories: REPOSITORIES, imagesPerRepository: 1, behaviour: { registryRateLimits: { Premium: { readOpsPerMinute: 2_400, burst: 4 } } } });
const eligible = parseWorld(world)
    .registries[0]!.repositories.flatMap(repo => repo.images.map(i => ({ repo: repo.name, i })))
    .filter(({ i }) => i.mediaType !== 'other' && i.tags.length > 0 && i.platforms.some(p => p.os === 'linux' && p.architecture === 'amd64'))
    .map(({ repo }) => repo);

let t: SandboxApp;
beforeAll(async () => {
    t = await startSandboxApp({ sandbox: { world }, config: { toolTimeoutSeconds: 3 } });
});
afterAll(async () => t?.close());

const scan = async (cursor?: string, on: SandboxApp = t) => {
    const r = await on.call('streaming_scan_registry', { registry: 'scaleacr', limit: 50, ...(cursor ? { cursor } : {}) });
    expect(r.isError, textOf(r)).toBeFalsy();
    return { out: structuredOf(scanRegistryTool, r), text: textOf(r) };
};

describe('streaming_scan_registry that cannot finish within the call deadline', () => {
    it('returns a partial page with a cursor, says why, and the cursors cover every repository exactly once', { timeout: 600_000 }, async () => {
        const first = await scan();
        expect(first.out.scanned.repositories).toBeLessThan(REPOSITORIES);
        expect(first.out.nextCursor).not.toBeNull();
        expect(first.text).toMatch(/Stopped early \((the registry throttled: \d+ answers were 429|the call's 3 s deadline was near)\)/);

        const seen: string[] = first.out.candidates.map(c => c.image);
        const texts = [first.text];
        let cursor = first.out.nextCursor;
        // Each call makes progress (a call's listing is kept for the next), so this ends; the bound only stops a bug.
        for (let calls = 1; cursor !== null; calls++) {
            expect(calls, 'calls to cover the registry').toBeLessThan(500);
            const page = await scan(cursor);
            const saved = page.out.candidates.map(c => c.estimate.savedSeconds[0]);
            expect([...saved].sort((a, b) => b - a)).toEqual(saved);
            seen.push(...page.out.candidates.map(c => c.image));
            texts.push(page.text);
            cursor = page.out.nextCursor;
        }
        // One row per image (one image per repository here): none twice, none missing.
        const repositories = seen.map(image => image.replace(/^scaleacr\.azurecr\.io\//, '').replace(/:[^:]+$/, ''));
        expect(new Set(repositories).size).toBe(repositories.length);
        expect([...repositories].sort()).toEqual([...eligible].sort());
        // The registry's 429s were met along the way and named as the reason at least once.
        expect(t.sb.requestLog.entries(e => e.listener === 'registry:scaleacr' && e.status === 429).length).toBeGreaterThan(0);
        expect(texts.some(x => x.includes('the registry throttled'))).toBe(true);
    });
});

describe('a cursor into a range that no longer fits in one call', () => {
    it('gets an empty page with the same cursor, and repeating it lists further until the range is paged', { timeout: 600_000 }, async () => {
        // A fresh server (nothing kept) given a cursor into a ranked range of 100 repositories, as if its snapshot had expired.
        const fresh = await startSandboxApp({ sandbox: { world }, config: { toolTimeoutSeconds: 3 } });
        try {
            const names = parseWorld(world).registries[0]!.repositories.map(r => r.name).sort();
            const through = names[99]!;
            const cursor = encodeScanCursor({ scope: 'registry:scaleacr/', position: { key: 1e12, name: '' }, range: { after: '', through } });
            const first = await scan(cursor, fresh);
            expect(first.out.candidates).toEqual([]);
            expect(first.out.nextCursor).toBe(cursor);
            expect(first.text).toMatch(/Stopped early .*could not be listed again in time/);
            let page = first;
            for (let calls = 1; page.out.nextCursor === cursor; calls++) {
                expect(calls, 'calls to list the range again').toBeLessThan(100);
                page = await scan(cursor, fresh);
            }
            // Listing went further with each call until the whole range was kept: its rows now page from the cursor.
            expect(page.out.scanned.repositories).toBe(100);
            expect(page.out.candidates.length).toBeGreaterThan(0);
            expect(page.out.candidates.every(c => c.image.replace(/^scaleacr\.azurecr\.io\//, '').replace(/:[^:]+$/, '') <= through)).toBe(true);
        } finally {
            await fresh.close();
        }
    });
});
