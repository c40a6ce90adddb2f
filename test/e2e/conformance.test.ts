/**
 * The MCP conformance suite (@modelcontextprotocol/conformance, its `server` mode, every scenario including
 * pending ones) against the built CLI over Streamable HTTP. The suite needs Node >= 22 from 0.1.14 on, so it
 * runs on the npm-packaged Node 22 of .ci/node-matrix (scripts/node-matrix.mjs) and is skipped, saying so,
 * where that runtime cannot be installed. Expected failures (scenarios that need the suite's own fixture
 * tools, prompts and resources) are listed with their reason in conformance-expected-failures.yml.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { childEnv, ROOT, startCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait-for.js';

const SUITE = join(ROOT, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const BASELINE = fileURLToPath(new URL('./conformance-expected-failures.yml', import.meta.url));

/** The Node 22 binary of the CI matrix, installed on first use; undefined where it cannot be had (the test then reports itself skipped). */
function node22(): string | undefined {
    try {
        const out = execFileSync(process.execPath, [join(ROOT, 'scripts/node-matrix.mjs')], { encoding: 'utf8', timeout: 240_000, stdio: ['ignore', 'pipe', 'inherit'] });
        return /^22 (\S+)$/m.exec(out)?.[1];
    } catch {
        return undefined;
    }
}

const NODE22 = node22();

/** The scenarios of the baseline file: one `  - name   # reason` line each. */
function baseline(): Map<string, string> {
    const entries = new Map<string, string>();
    for (const m of readFileSync(BASELINE, 'utf8').matchAll(/^ {2}- ([\w-]+)\s*(?:#\s*(.*))?$/gm)) entries.set(m[1]!, m[2] ?? '');
    return entries;
}

function run(node: string, args: string[]): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(node, [SUITE, ...args], { cwd: ROOT, env: childEnv() });
        let out = '';
        child.stdout.on('data', d => (out += d));
        child.stderr.on('data', d => (out += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
        child.on('error', reject);
        child.on('close', code => {
            clearTimeout(timer);
            resolve({ code, out });
        });
    });
}

interface Check {
    status: string;
    errorMessage?: string;
}

/** checks.json of each scenario run, by scenario (the suite names each folder server-<scenario>-<time>). */
function results(dir: string): Map<string, Check[]> {
    const byScenario = new Map<string, Check[]>();
    for (const d of readdirSync(dir)) {
        const scenario = /^server-(.+)-\d{4}-\d\d-\d\dT[\d-]+Z$/.exec(d)?.[1];
        if (scenario) byScenario.set(scenario, JSON.parse(readFileSync(join(dir, d, 'checks.json'), 'utf8')) as Check[]);
    }
    return byScenario;
}

describe('MCP conformance suite against --transport http', () => {
    it.skipIf(!NODE22)('passes every generic scenario; the only failures are the baseline\'s (fixture scenarios, one SHOULD)', async () => {
        const cli = startCli(['--transport', 'http', '--port', '0']);
        const out = mkdtempSync(join(tmpdir(), 'acr-streaming-conformance-'));
        try {
            const url = await waitFor(() => /serving MCP on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(cli.stderr())?.[1], 15_000, 'the listening line');
            const r = await run(NODE22!, ['server', '--url', url, '--suite', 'all', '--expected-failures', BASELINE, '-o', out]);
            const expected = baseline();
            const byScenario = results(out);
            expect(byScenario.size, r.out).toBeGreaterThanOrEqual(30);
            for (const [scenario, checks] of byScenario) {
                // As the suite counts them: a warning fails a scenario too.
                const failures = checks.filter(c => c.status === 'FAILURE' || c.status === 'WARNING').map(c => c.errorMessage ?? '');
                if (!expected.has(scenario)) {
                    expect(failures, `${scenario} is generic and must pass`).toEqual([]);
                    continue;
                }
                // A baseline entry must fail for the reason it gives: a fixture of the suite that we lack, or
                // (marked SHOULD) the resumable SSE streams of SEP-1699.
                expect(failures.length, `${scenario} is in the baseline but passed: remove it`).toBeGreaterThan(0);
                const reason = expected.get(scenario) ?? '';
                expect(reason, `${scenario}: the baseline gives a reason`).toMatch(/fixture|^SHOULD/);
                const cause = reason.startsWith('SHOULD') ? /priming event|retry field/ : /\btest_\w+|test:\/\/|json_schema_2020_12_tool|Method not found/;
                for (const f of failures) expect(f, scenario).toMatch(cause);
            }
            for (const scenario of expected.keys()) expect(byScenario.has(scenario), `${scenario} in the baseline is no scenario of this suite`).toBe(true);
            // Exit 0: every failure is in the baseline and no baseline entry passed.
            expect(r.code, r.out.slice(-2_000)).toBe(0);
        } finally {
            cli.kill();
            rmSync(out, { recursive: true, force: true });
        }
    }, 240_000);

    it.skipIf(!NODE22)('no suite scenario covers the 2026-07-28 era yet (run it with --spec-version once one does)', async () => {
        const r = await run(NODE22!, ['list']);
        expect(r.code).toBe(0);
        expect(r.out).toMatch(/server-initialize \[[^\]]*2025-11-25/);
        expect(r.out).not.toMatch(/2026-07-28/);
    });
});
