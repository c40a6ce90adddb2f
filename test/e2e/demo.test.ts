import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assertBuilt, childEnv, ROOT } from '../helpers/cli.js';

const DEMO = fileURLToPath(new URL('../../scripts/demo.mjs', import.meta.url));

/** The README's first command runs this script: it must keep working as the tools evolve. */
describe('npm run demo', () => {
    it('drives the built server on the sandbox through every section without an unexpected error', () => {
        assertBuilt();
        const r = spawnSync(process.execPath, [DEMO], { cwd: ROOT, env: childEnv(), encoding: 'utf8', timeout: 60_000 });
        expect(r.status, r.stderr).toBe(0);
        for (const section of ['1. Connected over stdio', '2. Tools', '3. The knowledge base', '4. Questions answered', '5. Prompts', '6. Looking at the (sandbox) subscription', '7. Bad input', '8. "inference-0 takes 95 s', '9. The fix plan, applied', '10. Diagnosed again']) {
            expect(r.stdout).toContain(section);
        }
        expect(r.stdout).toMatch(/\[SANDBOX: local emulator, demo world\] 3 registries: contosoacr \(Premium\): streaming supported/);
        expect(r.stdout).not.toMatch(/failed unexpectedly|\bError: /);
        // The story: a slow pod diagnosed, its fix plan applied through the change tools (each planned, then
        // confirmed; the pool and the conversion report progress), and the same diagnosis now says it streams.
        expect(r.stdout).toMatch(/will NOT stream\. 2 blockers: IMAGE_NOT_CONVERTED, NODEPOOL_STREAMING_DISABLED/);
        expect(r.stdout).toMatch(/image before: streaming artifact none[\s\S]*aks_set_nodepool_streaming[\s\S]*PLAN \(nothing changed yet\)[\s\S]*progress +\d+\/\?  provisioningState Updating/);
        expect(r.stdout).toMatch(/progress +\d+\/100 +Running[\s\S]*Converted contosoacr\.azurecr\.io\/ml\/inference:v3 \(operation [0-9a-f-]+ Succeeded\)/);
        expect(r.stdout).toMatch(/Auto-conversion is now on for contosoacr\.azurecr\.io\/ml\/inference\. Started 1 of 1 conversion/);
        expect(r.stdout).toMatch(/image after: streaming artifact sha256:/);
        expect(r.stdout).toContain('verdict before: will_not_stream; after: streams');
        // Exactly one deliberate error: the hostile image reference in section 7.
        expect(r.stdout.match(/isError: true/g)).toHaveLength(1);
    });
});
