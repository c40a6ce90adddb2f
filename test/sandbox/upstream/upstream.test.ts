/**
 * A real OCI registry (Debian's docker-registry, TLS on a free loopback port) behind the sandbox's
 * ACR auth front: images pushed to it with the OCI push protocol are read through the front after the
 * real token exchange, with digests intact; referrers come from its tag-schema index. Skipped visibly
 * when the binary is absent (CI installs it).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ociRequest, pushImage, sha256, type OciTarget, type PushedImage } from '../../helpers/oci-push.js';
import { createAcrTestClient, type AcrTestClient } from '../acr/acr-client.js';
import { startAcrHarness, type AcrHarness } from '../acr/harness.js';
import { testWorld } from '../acr/test-world.js';
import { DOCKER_REGISTRY_BIN, hasDockerRegistry, startDockerRegistry, type RunningRegistry } from './docker-registry.js';

const run = promisify(execFile);
const hasSkopeo = existsSync('/usr/bin/skopeo');
if (!hasDockerRegistry) console.log(`[skipped] upstream tests: ${DOCKER_REGISTRY_BIN} not found (apt-get install -y docker-registry)`);
else if (!hasSkopeo) console.log('[skipped] upstream skopeo test: /usr/bin/skopeo not found (apt-get install -y skopeo)');

const OCI = 'application/vnd.oci.image.manifest.v1+json';

describe.skipIf(!hasDockerRegistry)('docker-registry behind the sandbox ACR front', () => {
    let reg: RunningRegistry;
    let h: AcrHarness;
    let c: AcrTestClient;
    let direct: OciTarget;
    let app: PushedImage;
    let tool: PushedImage;

    beforeAll(async () => {
        reg = await startDockerRegistry();
        direct = { baseUrl: reg.url, ca: reg.caPem };
        app = await pushImage(direct, { repo: 'demo/app', tag: 'v1', layers: [Buffer.from('app layer 1'), Buffer.from('app layer 2')] });
        tool = await pushImage(direct, { repo: 'demo/tool', tag: '1.0', layers: [Buffer.from('tool layer')], platform: { os: 'linux', architecture: 'arm64' } });
        h = await startAcrHarness({ world: testWorld(), upstream: { url: reg.url, caPem: reg.caPem } });
        c = createAcrTestClient(h);
    });
    afterAll(async () => {
        await h?.close();
        await reg?.stop();
    });

    it('puts the upstream behind the ACR challenge', async () => {
        const r = await c.raw('GET', '/v2/demo/app/manifests/v1');
        expect(r.status).toBe(401);
        expect(r.headers['www-authenticate']).toContain('scope="repository:demo/app:pull"');
    });

    it('reads both pushed images through exchange → token → manifest + config blob, digests intact', async () => {
        for (const [repo, tag, img] of [['demo/app', 'v1', app], ['demo%2Ftool', '1.0', tool]] as const) {
            const m = await c.send('GET', `/v2/${repo}/manifests/${tag}`, { headers: { accept: OCI } });
            expect(m.status).toBe(200);
            expect(m.headers['docker-content-digest']).toBe(img.digest);
            expect(sha256(m.text)).toBe(img.digest);
            const cfg = await c.send('GET', `/v2/${repo}/blobs/${img.configDigest}`);
            expect(cfg.status).toBe(200);
            expect(sha256(cfg.text)).toBe(img.configDigest);
            const head = await c.send('HEAD', `/v2/${repo}/blobs/${img.layerDigests[0]}`);
            expect(head.status).toBe(200);
        }
        expect((await c.send('GET', '/v2/demo/tool/tags/list')).json()).toEqual({ name: 'demo/tool', tags: ['1.0'] });
    });

    it('keeps scope checks in front of the upstream', async () => {
        const token = await c.accessToken('repository:demo/app:pull');
        expect((await c.raw('GET', '/v2/demo/app/manifests/v1', { token, headers: { accept: OCI } })).status).toBe(200);
        expect((await c.raw('GET', '/v2/demo/tool/manifests/1.0', { token, headers: { accept: OCI } })).status).toBe(401);
    });

    it('proxies pushes through the front into the upstream (upload Locations rewritten)', async () => {
        const t: OciTarget = { baseUrl: h.origin, ca: h.caPem, credentials: { username: '00000000-0000-0000-0000-000000000000', password: await c.refreshToken() } };
        const pushed = await pushImage(t, { repo: 'demo/pushed', tag: 'v1' });
        const back = await ociRequest(direct, 'GET', '/v2/demo/pushed/manifests/v1', { accept: OCI });
        expect(back.status).toBe(200);
        expect(back.headers['docker-content-digest']).toBe(pushed.digest);
    });

    it('computes referrers from the upstream tag-schema index (sha256-<hex>)', async () => {
        const artifact = await pushImage(direct, {
            repo: 'demo/app',
            tag: 'streaming-tmp',
            extra: {
                artifactType: 'application/vnd.azure.artifact.streaming.v1',
                subject: { mediaType: OCI, digest: app.digest, size: app.manifest.length },
                annotations: { 'streaming.format': 'overlaybd' }
            }
        });
        const index = Buffer.from(
            JSON.stringify({
                schemaVersion: 2,
                mediaType: 'application/vnd.oci.image.index.v1+json',
                manifests: [{ mediaType: OCI, digest: artifact.digest, size: artifact.manifest.length, artifactType: 'application/vnd.azure.artifact.streaming.v1', annotations: { 'streaming.format': 'overlaybd' } }]
            })
        );
        const tag = app.digest.replace(':', '-');
        const put = await ociRequest(direct, 'PUT', `/v2/demo/app/manifests/${tag}`, { 'content-type': 'application/vnd.oci.image.index.v1+json' }, index);
        expect(put.status).toBe(201);
        const r = await c.send('GET', `/v2/demo/app/referrers/${app.digest}?artifactType=application%2Fvnd.azure.artifact.streaming.v1`);
        expect(r.status).toBe(200);
        expect(r.headers['oci-filters-applied']).toBe('artifactType');
        expect(r.json().manifests.map((d: { digest: string }) => d.digest)).toEqual([artifact.digest]);
        expect((await c.send('GET', `/v2/demo/tool/referrers/${tool.digest}`)).json().manifests).toEqual([]);
    });

    it.skipIf(!hasSkopeo)('skopeo inspects an upstream image through the front with an ACR refresh token', async () => {
        const rt = await c.refreshToken();
        const host = new URL(h.origin).host;
        const { stdout } = await run('/usr/bin/skopeo', ['inspect', '--cert-dir', h.certDir, '--creds', `00000000-0000-0000-0000-000000000000:${rt}`, `docker://${host}/demo/app:v1`], { timeout: 20_000 });
        const info = JSON.parse(stdout);
        expect(info.Digest).toBe(app.digest);
        expect(info.RepoTags).toContain('v1');
    });
});
