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
        for (const section of ['1. Connected over stdio', '2. Tools', '3. The knowledge base', '4. Questions answered', '5. Prompts', '6. Looking at the (sandbox) subscription', '7. Bad input', '8. A change, planned then confirmed']) {
            expect(r.stdout).toContain(section);
        }
        expect(r.stdout).toMatch(/\[SANDBOX: local emulator, demo world\] 3 registries: contosoacr \(Premium\): streaming supported/);
        expect(r.stdout).not.toMatch(/failed unexpectedly|\bError: /);
        // The conversion: the state before, progress while it runs, and the state after.
        expect(r.stdout).toMatch(/before: streaming artifact none[\s\S]*PLAN \(nothing changed yet\)[\s\S]*progress +\d+\/100 +Running[\s\S]*Converted contosoacr\.azurecr\.io\/ml\/inference:v3 \(operation [0-9a-f-]+ Succeeded\)[\s\S]*after: streaming artifact sha256:/);
        // Exactly one deliberate error: the hostile image reference in section 7.
        expect(r.stdout.match(/isError: true/g)).toHaveLength(1);
    });
});
