/**
 * Content generated from the world: real manifests whose digest is the sha256 of the bytes served,
 * config blobs, layer HEADs, indexes with real children, and the ACR-style 404s.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAcrTestClient, type AcrTestClient } from './acr-client.js';
import { startAcrHarness, type AcrHarness } from './harness.js';
import { testWorld } from './test-world.js';

const sha = (s: string | Buffer) => `sha256:${createHash('sha256').update(s).digest('hex')}`;
const OCI = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const ALL = [OCI, OCI_INDEX, DOCKER, DOCKER_LIST, 'application/vnd.example.other.v1+json'].join(', ');

let h: AcrHarness;
let c: AcrTestClient;
const get = (path: string, accept = ALL) => c.send('GET', path, { headers: { accept } });

beforeAll(async () => {
    h = await startAcrHarness({ world: testWorld() });
    c = createAcrTestClient(h);
});
afterAll(() => h.close());

describe('manifests', () => {
    it('serves an OCI manifest whose Docker-Content-Digest is the sha256 of the bytes', async () => {
        const r = await get('/v2/ml/trainer/manifests/v1');
        expect(r.status).toBe(200);
        expect(r.headers['content-type']).toBe(OCI);
        expect(r.headers['docker-content-digest']).toBe(sha(r.text));
        expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.text));
        const m = r.json();
        expect(m.layers.map((l: { size: number }) => l.size)).toEqual([52428800, 8589934592]);
        expect(m.config.mediaType).toBe('application/vnd.oci.image.config.v1+json');
    });

    it('serves the same bytes by tag, by digest and on HEAD (no body, same headers)', async () => {
        const byTag = await get('/v2/ml/trainer/manifests/latest');
        const digest = byTag.headers['docker-content-digest'];
        const byDigest = await get(`/v2/ml/trainer/manifests/${digest}`);
        expect(byDigest.text).toBe(byTag.text);
        const head = await c.send('HEAD', `/v2/ml/trainer/manifests/v1`, { headers: { accept: ALL } });
        expect(head.status).toBe(200);
        expect(head.text).toBe('');
        expect(head.headers['docker-content-digest']).toBe(digest);
        expect(head.headers['content-length']).toBe(byTag.headers['content-length']);
    });

    it('accepts an SDK-style URL-encoded repository name', async () => {
        expect((await get('/v2/ml%2Ftrainer/manifests/v1')).status).toBe(200);
    });

    it('is deterministic: a later sandbox of the same world serves the same digests, even without pushedAt', async () => {
        await new Promise(r => setTimeout(r, 5));
        const other = await startAcrHarness({ world: testWorld() });
        try {
            for (const [repo, tag] of [['ml/trainer', 'v1'], ['app', 'amd64'], ['app', 'multi']]) {
                const r2 = await createAcrTestClient(other).send('GET', `/v2/${repo}/manifests/${tag}`, { headers: { accept: ALL } });
                expect(r2.headers['docker-content-digest']).toBe((await get(`/v2/${repo}/manifests/${tag}`)).headers['docker-content-digest']);
            }
        } finally {
            await other.close();
        }
    });

    it('serves an OCI index whose children are real manifests with the declared platforms', async () => {
        const r = await get('/v2/app/manifests/multi');
        expect(r.headers['content-type']).toBe(OCI_INDEX);
        const index = r.json();
        expect(index.manifests.map((m: { platform: object }) => m.platform)).toEqual([
            { architecture: 'amd64', os: 'linux' },
            { architecture: 'arm64', os: 'linux', variant: 'v8' }
        ]);
        for (const d of index.manifests) {
            const child = await get(`/v2/app/manifests/${d.digest}`);
            expect(child.status).toBe(200);
            expect(sha(child.text)).toBe(d.digest);
            expect(Buffer.byteLength(child.text)).toBe(d.size);
            const config = await c.send('GET', `/v2/app/blobs/${child.json().config.digest}`);
            expect(config.json().architecture).toBe(d.platform.architecture);
        }
    });

    it('serves Docker manifest lists, Docker manifests and the unusual "other" media type', async () => {
        expect((await get('/v2/app/manifests/list')).headers['content-type']).toBe(DOCKER_LIST);
        const docker = await get('/v2/app/manifests/docker');
        expect(docker.headers['content-type']).toBe(DOCKER);
        expect(docker.json().layers[0].mediaType).toBe('application/vnd.docker.image.rootfs.diff.tar.gzip');
        expect((await get('/v2/app/manifests/other')).headers['content-type']).toBe('application/vnd.example.other.v1+json');
    });

    it('refuses a manifest type the Accept header excludes, but serves generic accepts', async () => {
        const r = await get('/v2/app/manifests/multi', OCI);
        expect(r.status).toBe(404);
        expect(r.json().errors[0].code).toBe('MANIFEST_UNKNOWN');
        expect((await get('/v2/app/manifests/multi', '*/*')).status).toBe(200);
        expect((await get('/v2/app/manifests/multi', 'application/json')).status).toBe(200);
    });

    it('answers MANIFEST_UNKNOWN and NAME_UNKNOWN with ACR error bodies', async () => {
        const m = await get('/v2/app/manifests/nope');
        expect(m.status).toBe(404);
        expect(m.json()).toEqual({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Name: 'app', Revision: 'nope' } }] });
        const n = await get('/v2/no/such/manifests/v1');
        expect(n.status).toBe(404);
        expect(n.json().errors[0].code).toBe('NAME_UNKNOWN');
    });
});

describe('blobs', () => {
    it('GET of a config blob returns its bytes with the right digest', async () => {
        const m = (await get('/v2/ml/trainer/manifests/v1')).json();
        const r = await c.send('GET', `/v2/ml/trainer/blobs/${m.config.digest}`);
        expect(r.status).toBe(200);
        expect(sha(r.text)).toBe(m.config.digest);
        expect(r.headers['docker-content-digest']).toBe(m.config.digest);
        const cfg = r.json();
        expect(cfg).toMatchObject({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers' } });
        expect(cfg.rootfs.diff_ids).toHaveLength(2);
    });

    it('HEAD of a layer answers its declared size; GET says the sandbox does not store layer bytes', async () => {
        const m = (await get('/v2/ml/trainer/manifests/v1')).json();
        const big = m.layers[1];
        const head = await c.send('HEAD', `/v2/ml/trainer/blobs/${big.digest}`);
        expect(head.status).toBe(200);
        expect(head.headers['content-length']).toBe('8589934592');
        expect(head.headers['docker-content-digest']).toBe(big.digest);
        const g = await c.send('GET', `/v2/ml/trainer/blobs/${big.digest}`);
        expect(g.status).toBe(404);
        expect(g.json().errors[0].code).toBe('BLOB_UNKNOWN');
        expect(JSON.stringify(g.json())).toContain('does not store layer bytes');
    });

    it('answers 404 for an unknown blob, on HEAD without a body', async () => {
        const unknown = sha('nothing');
        expect((await c.send('HEAD', `/v2/app/blobs/${unknown}`)).status).toBe(404);
        expect((await c.send('GET', `/v2/app/blobs/${unknown}`)).json().errors[0].code).toBe('BLOB_UNKNOWN');
    });
});

describe('robustness', () => {
    it('answers 405 for an unsupported method and 404 for an unknown data-plane path, with ACR bodies', async () => {
        const r = await c.raw('PATCH', '/v2/app/manifests/amd64');
        expect(r.status).toBe(405);
        expect(r.json().errors[0].code).toBe('UNSUPPORTED');
        const u = await c.raw('GET', '/acr/v2/whatever');
        expect(u.status).toBe(404);
        expect(u.json().errors[0].code).toBe('NOT_FOUND');
    });

    it('refuses an invalid repository name with NAME_INVALID', async () => {
        const r = await c.send('GET', '/v2/Bad..Name/manifests/v1');
        expect(r.status).toBe(400);
        expect(r.json().errors[0].code).toBe('NAME_INVALID');
    });
});
