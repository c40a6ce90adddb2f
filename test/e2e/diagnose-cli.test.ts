/**
 * `diagnose IMAGE` from the built CLI, as a deploy pipeline runs it: the report (or --json) on stdout and the
 * verdict as the exit status: 0 streams, 1 will not stream, 3 unknown, 2 bad usage.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// Loaded by a child process: generous, since a loaded CI machine starts it slowly.
const run = (args: string[], input?: string) => runCli(args, { timeoutMs: 120_000, ...(input !== undefined ? { input } : {}) });
const TRAINER = 'contosoacr.azurecr.io/ml/trainer';

describe('acr-streaming-mcp diagnose', () => {
    it('exits 0 when the image streams on the node pool', async () => {
        const { code, stdout, stderr } = await run(['diagnose', `${TRAINER}:v1`, '--cluster', 'aks-prod', '--node-pool', 'gpupool', '--sandbox']);
        expect(stderr).toBe('');
        expect(code).toBe(0);
        expect(stdout).toMatch(/^contosoacr\.azurecr\.io\/ml\/trainer:v1: streams\n/);
        expect(stdout).toMatch(/full pull {2}█+ → start/);
    });

    it('exits 1 for the slow pod, with findings, the fix plan and the measured timeline', async () => {
        const { code, stdout } = await run(['diagnose', `${TRAINER}:v2`, '--sandbox', '--cluster', 'aks-prod', '--namespace', 'ml', '--pod', 'trainer-1']);
        expect(code).toBe(1);
        expect(stdout).toContain('[blocker] IMAGE_CONVERSION_RUNNING');
        expect(stdout).toContain('az acr artifact-streaming operation show -n contosoacr --image ml/trainer:v2');
        expect(stdout).toContain('kubectl -n ml delete pod trainer-1');
        expect(stdout).toContain('3m32s (measured: pod events)');
    });

    it('exits 3 when a layer could not be judged (no cluster named)', async () => {
        const { code, stdout } = await run(['diagnose', `${TRAINER}:v1`, '--sandbox', '--json']);
        expect(code).toBe(3);
        const data = JSON.parse(stdout) as { verdict: string; checked: { layer: string; status: string }[] };
        expect(data.verdict).toBe('unknown');
        expect(data.checked.find(c => c.layer === 'cluster')?.status).toBe('skipped');
    });

    it('reads pasted kubectl describe output from stdin (--describe-file -)', async () => {
        const describe = readFileSync('test/fixtures/kubectl/describe-mirror-1.33.txt', 'utf8');
        const { code, stdout } = await run(['diagnose', `${TRAINER}:v1`, '--sandbox', '--describe-file', '-', '--json'], describe);
        expect(code).toBe(1);
        expect((JSON.parse(stdout) as { findings: { code: string }[] }).findings.map(f => f.code)).toContain('POD_MIRROR_UNAVAILABLE');
    });

    it('runs against a scenario world given to --sandbox', async () => {
        const { code, stdout } = await run(['diagnose', `${TRAINER}:v1`, '--sandbox', 'test/worlds/31-pod-pull-secret.json', '--cluster', 'aks-prod', '--namespace', 'ml', '--pod', 'trainer-0']);
        expect(code).toBe(1);
        expect(stdout).toContain('[blocker] POD_PULL_SECRET');
    });

    it.each([
        [['diagnose'], /usage: acr-streaming-mcp diagnose IMAGE/],
        [['diagnose', `${TRAINER}:v1`, 'extra'], /usage: acr-streaming-mcp diagnose IMAGE/],
        [['diagnose', `${TRAINER}:v1`, '--sandbox', '--pod', 'trainer-0'], /A pod needs its cluster/],
        [['diagnose', 'docker.io/library/nginx:latest', '--sandbox'], /not accepted|azurecr/],
        [['diagnose', `${TRAINER}:v1`, '--sandbox', '--describe-file', '/nonexistent/describe.txt'], /--describe-file \/nonexistent\/describe\.txt: no such file/],
        [['scan-cluster', 'aks-prod', '--pod', 'x'], /--pod goes only with diagnose/]
    ])('exits 2 for bad usage: %j', async (args, message) => {
        const { code, stderr } = await run(args);
        expect(code).toBe(2);
        expect(stderr).toMatch(message);
        expect(stderr).not.toMatch(/\n\s+at /);
    });
});
