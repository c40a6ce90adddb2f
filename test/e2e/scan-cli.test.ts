/**
 * `scan-registry` and `scan-cluster` from the built CLI, as a deploy pipeline runs them: a readable report or
 * --json on stdout, and the verdict as the exit status (0 streams, 1 will not stream, 3 unknown, 2 bad usage).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// Loaded by a child process: generous, since a loaded CI machine starts it slowly.
const run = (args: string[]) => runCli(args, { timeoutMs: 120_000 });

const dir = mkdtempSync(join(tmpdir(), 'scan-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A cluster whose one image's registry refuses the streaming reads: nothing can be judged. */
function unknownWorld(): string {
    const path = join(dir, 'unknown.json');
    writeFileSync(
        path,
        JSON.stringify({
            version: 1,
            subscription: { id: '00000000-0000-0000-0000-000000000001', tenantId: 't' },
            registries: [{ name: 'quietacr', resourceGroup: 'rg', sku: 'Premium', repositories: [{ name: 'app', images: [{ tags: ['v1'], platforms: [{ os: 'linux', architecture: 'amd64', layerSizes: [1048576] }] }] }] }],
            clusters: [
                {
                    name: 'aks-q',
                    resourceGroup: 'rg',
                    kubernetesVersion: '1.31.2',
                    kubeletIdentityObjectId: '44444444-4444-4444-4444-444444444444',
                    acrPull: ['quietacr'],
                    agentPools: [{ name: 'linux', osType: 'Linux', osSKU: 'Ubuntu2204', vmSize: 'Standard_D4s_v5', artifactStreaming: true }],
                    pods: [{ name: 'app-0', nodePool: 'linux', image: 'quietacr.azurecr.io/app:v1', pullSeconds: 3 }]
                }
            ],
            behaviour: { faults: [{ method: 'GET', path: '/v2/app/manifests/*', status: 403 }] }
        })
    );
    return path;
}

describe('scan-registry / scan-cluster from the command line', () => {
    it('scan-registry prints the ranking with fixes and a timeline, and exits 1 while images do not stream', async () => {
        const { code, stdout, stderr } = await run(['scan-registry', 'contosoacr', '--sandbox', '--limit', '5']);
        expect(stderr).toBe('');
        expect(code).toBe(1);
        expect(stdout).toMatch(/^contosoacr: 9 repositories, 11 tagged images, 7 can stream/);
        expect(stdout).toContain('1. contosoacr.azurecr.io/data/warehouse:2025.10');
        expect(stdout).toContain('fix: az acr artifact-streaming create -n contosoacr --image ml/inference:v3');
        expect(stdout).toMatch(/full pull {2}█+ → start/);
    });

    it('--json prints the tool\'s structured result, the same as the MCP tool returns', async () => {
        const { code, stdout } = await run(['scan-registry', 'contosoacr', '--sandbox', '--json', '--prefix', 'ml/', '--limit', '2']);
        expect(code).toBe(1);
        const data = JSON.parse(stdout) as { candidates: { image: string }[]; nextCursor: string | null; scanned: { repositories: number } };
        expect(data.candidates.map(c => c.image)).toEqual(['contosoacr.azurecr.io/ml/trainer:v2', 'contosoacr.azurecr.io/ml/trainer:v1']);
        expect(data.scanned.repositories).toBe(2);
        expect(data.nextCursor).not.toBeNull();
    });

    it('scan-cluster judges every image of the cluster: 1 when one does not stream, 0 when all do', async () => {
        const edge = await run(['scan-cluster', 'aks-edge', '--sandbox']);
        expect(edge.code).toBe(1);
        expect(edge.stdout).toContain('CLUSTER_NO_ACR_PULL: az aks update -n aks-edge -g rg-aks-edge --attach-acr contosoacr');
        const streams = await run(['scan-cluster', 'aks-prod', '--namespace', 'data', '--sandbox', '--json']);
        expect(streams.code).toBe(0);
        expect((JSON.parse(streams.stdout) as { images: { verdict: string }[] }).images.map(i => i.verdict)).toEqual(['streams']);
    });

    it('exits 3 when a verdict cannot be reached: an image the registry will not show, or no such cluster', async () => {
        const quiet = await run(['scan-cluster', 'aks-q', '--sandbox', unknownWorld(), '--json']);
        expect(quiet.code).toBe(3);
        expect((JSON.parse(quiet.stdout) as { images: { verdict: string }[] }).images.map(i => i.verdict)).toEqual(['unknown']);
        const missing = await run(['scan-cluster', 'aks-staging', '--sandbox']);
        expect(missing.code).toBe(3);
        expect(missing.stdout).toBe('');
        expect(missing.stderr).toMatch(/AKS cluster "aks-staging" was not found[\s\S]*Code: CLUSTER_NOT_FOUND/);
    });

    it.each([
        [['scan-registry'], /usage: acr-streaming-mcp scan-registry REGISTRY/],
        [['scan-registry', 'a', 'b'], /usage: acr-streaming-mcp scan-registry/],
        [['scan-registry', 'contosoacr', '--namespace', 'x'], /--namespace goes only with diagnose or scan-cluster/],
        [['scan-cluster', 'aks-prod', '--json', '--prefix', 'ml/'], /--prefix goes only with scan-registry/],
        [['scan-registry', 'x', '--sandbox'], /Registry name "x" is not accepted/],
        [['scan-registry', 'contosoacr', '--limit', 'lots', '--sandbox'], /limit/]
    ])('exits 2 for bad usage: %j', async (args, message) => {
        const { code, stdout, stderr } = await run(args);
        expect(code).toBe(2);
        expect(stdout).toBe('');
        expect(stderr).toMatch(message);
    });
});
