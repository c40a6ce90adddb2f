/**
 * An independent registry client (skopeo, Go containers/image) against the sandbox's ACR front:
 * it must follow the challenge, get a token with `--creds 00000000-…:<refresh token>` and read the
 * manifest. Skipped visibly when skopeo is not installed (CI installs it).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAcrTestClient, type AcrTestClient } from './acr-client.js';
import { startAcrHarness, type AcrHarness } from './harness.js';
import { testWorld } from './test-world.js';

const run = promisify(execFile);
const SKOPEO = '/usr/bin/skopeo';
const hasSkopeo = existsSync(SKOPEO);
if (!hasSkopeo) console.log(`[skipped] skopeo tests: ${SKOPEO} not found (apt-get install -y skopeo)`);

describe.skipIf(!hasSkopeo)('skopeo against the sandbox ACR front', () => {
    let h: AcrHarness;
    let c: AcrTestClient;
    beforeAll(async () => {
        h = await startAcrHarness({ world: testWorld() });
        c = createAcrTestClient(h);
    });
    afterAll(() => h?.close());

    const inspect = async (ref: string, creds: string, ...extra: string[]) => {
        const host = new URL(h.origin).host;
        const { stdout } = await run(SKOPEO, ['inspect', ...extra, '--cert-dir', h.certDir, '--creds', creds, `docker://${host}/${ref}`], { timeout: 20_000 });
        return JSON.parse(stdout);
    };

    it('inspects ml/trainer:v1 with an ACR refresh token and reports the served digest and tags', async () => {
        const rt = await c.refreshToken();
        const info = await inspect('ml/trainer:v1', `00000000-0000-0000-0000-000000000000:${rt}`);
        const served = await c.send('HEAD', '/v2/ml/trainer/manifests/v1', { headers: { accept: '*/*' } });
        expect(info.Digest).toBe(served.headers['docker-content-digest']);
        expect(info.Architecture).toBe('amd64');
        expect(info.RepoTags).toEqual(['latest', 'v0', 'v1']);
    });

    it('reads the raw index of a multi-arch image', async () => {
        const rt = await c.refreshToken();
        const raw = await inspect('app:multi', `00000000-0000-0000-0000-000000000000:${rt}`, '--raw');
        expect(raw.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    });

    it('fails with bad credentials', async () => {
        await expect(inspect('ml/trainer:v1', '00000000-0000-0000-0000-000000000000:not-a-token')).rejects.toThrow(/401|unauthorized|authentication/i);
    });
});
