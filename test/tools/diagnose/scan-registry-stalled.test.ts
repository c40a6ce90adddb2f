/**
 * streaming_scan_registry whose listing stops before it lists a single repository (here: every first listing
 * answered 429 with a Retry-After far beyond what the retries may wait; on a loaded machine, a catalog read that
 * used up the listing time does the same): the cursor it returns must lead to progress on the next call, not
 * to the same empty answer from the kept snapshot for a minute.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../../../src/sandbox/world/generate-world.js';
import { scanRegistryTool } from '../../../src/tools/diagnose/scan-registry.js';
import { startSandboxApp, textOf, type SandboxApp } from '../../helpers/sandbox-app.js';
import { structuredOf } from '../../helpers/structured.js';

const REPOSITORIES = 5;
const world = generateWorld({
    repositories: REPOSITORIES,
    imagesPerRepository: 1,
    behaviour: { faults: [{ method: 'GET', path: '/acr/v1/*/_manifests', status: 429, retryAfterSeconds: 3600, times: REPOSITORIES }] }
});

let t: SandboxApp;
beforeAll(async () => {
    t = await startSandboxApp({ sandbox: { world } });
});
afterAll(async () => t?.close());

describe('streaming_scan_registry stopped before listing anything', () => {
    it('lists on the next call instead of answering its cursor from the empty snapshot', async () => {
        const scan = async (cursor?: string) => {
            const r = await t.call('streaming_scan_registry', { registry: 'scaleacr', limit: 50, ...(cursor ? { cursor } : {}) });
            expect(r.isError, textOf(r)).toBeFalsy();
            return structuredOf(scanRegistryTool, r);
        };
        const first = await scan();
        expect(first.scanned.repositories).toBe(0);
        expect(first.nextCursor).not.toBeNull();
        let out = first;
        // The injected 429s run out after REPOSITORIES requests, so a few calls at most; the bound only stops a stall.
        for (let calls = 1; out.nextCursor !== null; calls++) {
            expect(calls, 'calls until the scan covers the registry').toBeLessThan(REPOSITORIES + 2);
            out = await scan(out.nextCursor);
        }
        expect(out.scanned.repositories).toBeGreaterThan(0);
    });
});
