/**
 * Pushing through the sandbox's ACR front with a docker-less OCI client that authenticates like
 * skopeo (challenge → GET /oauth2/token with the 00000000-… user and a refresh token).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ociRequest, pushBlob, pushImage, sha256, type OciTarget } from '../../helpers/oci-push.js';
import { createAcrTestClient, type AcrTestClient } from './acr-client.js';
import { startAcrHarness, testClock, type AcrHarness } from './harness.js';
import { testWorld } from './test-world.js';
import { must } from '../../helpers/must.js';

const clock = testClock();
let h: AcrHarness;
let c: AcrTestClient;
let t: OciTarget;

beforeAll(async () => {
    h = await startAcrHarness({ world: testWorld({ conversionSeconds: 1 }), now: clock.now });
    c = createAcrTestClient(h);
    t = { baseUrl: h.origin, ca: h.caPem, credentials: { username: '00000000-0000-0000-0000-000000000000', password: await c.refreshToken() } };
});
afterAll(() => h.close());

describe('push protocol', () => {
    it('pushes an image into a new repository and reads it back byte for byte', async () => {
        const pushed = await pushImage(t, { repo: 'team/new-app', tag: 'v1', layers: [Buffer.from('hello layer')] });
        expect(pushed.digest).toBe(sha256(pushed.manifest));
        const m = await ociRequest(t, 'GET', '/v2/team/new-app/manifests/v1', { accept: 'application/vnd.oci.image.manifest.v1+json' });
        expect(m.status).toBe(200);
        expect(m.body.equals(pushed.manifest)).toBe(true);
        expect(m.headers['docker-content-digest']).toBe(pushed.digest);
        const cfg = await ociRequest(t, 'GET', `/v2/team/new-app/blobs/${pushed.configDigest}`);
        expect(cfg.body.equals(pushed.config)).toBe(true);
        const layer = await ociRequest(t, 'GET', `/v2/team/new-app/blobs/${pushed.layerDigests[0]}`);
        expect(layer.body.toString()).toBe('hello layer');
        expect((await c.send('GET', '/acr/v1/_catalog')).json().repositories).toContain('team/new-app');
        const meta = (await c.send('GET', `/acr/v1/team/new-app/_manifests/${pushed.digest}`)).json().manifest;
        expect(meta).toMatchObject({ architecture: 'amd64', os: 'linux', tags: ['v1'] });
    });

    it('answers the PUT with 201, Location and Docker-Content-Digest', async () => {
        const data = Buffer.from('cfg');
        const cfgDigest = await pushBlob(t, 'team/raw', data);
        const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: cfgDigest, size: 3 }, layers: [] }));
        const r = await ociRequest(t, 'PUT', '/v2/team/raw/manifests/t1', { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, manifest);
        expect(r.status).toBe(201);
        expect(r.headers['docker-content-digest']).toBe(sha256(manifest));
        expect(r.headers.location).toBe(`/v2/team/raw/manifests/${sha256(manifest)}`);
        const wrong = await ociRequest(t, 'PUT', `/v2/team/raw/manifests/${sha256('x')}`, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, manifest);
        expect(wrong.status).toBe(400);
        expect(JSON.parse(wrong.body.toString()).errors[0].code).toBe('DIGEST_INVALID');
    });

    it('supports chunked uploads (PATCH then PUT) and refuses a wrong digest', async () => {
        const start = await ociRequest(t, 'POST', '/v2/team/chunks/blobs/uploads/');
        expect(start.status).toBe(202);
        const loc = must(start.headers.location, 'the upload Location');
        const patch = await ociRequest(t, 'PATCH', loc, { 'content-type': 'application/octet-stream' }, Buffer.from('abc'));
        expect(patch.status).toBe(202);
        expect(patch.headers.range).toBe('0-2');
        const bad = await ociRequest(t, 'PUT', `${loc}?digest=${sha256('nope')}`, {}, Buffer.from('def'));
        expect(bad.status).toBe(400);
        expect(JSON.parse(bad.body.toString()).errors[0].code).toBe('DIGEST_INVALID');
        const ok = await ociRequest(t, 'PUT', `${loc}?digest=${sha256('abcdef')}`, {}, Buffer.from('def'));
        expect(ok.status).toBe(201);
        expect((await ociRequest(t, 'HEAD', `/v2/team/chunks/blobs/${sha256('abcdef')}`)).headers['content-length']).toBe('6');
        expect((await ociRequest(t, 'PUT', '/v2/team/chunks/blobs/uploads/unknown-id?digest=x')).status).toBe(404);
    });

    it('hashes a chunked upload larger than the kept-bytes limit: right digest and size, bytes not kept', async () => {
        const chunk = Buffer.alloc(3 * 1024 * 1024, 7);
        const whole = Buffer.concat([chunk, chunk, Buffer.from('tail')]);
        const loc = must((await ociRequest(t, 'POST', '/v2/team/big/blobs/uploads/')).headers.location, 'the upload Location');
        for (let i = 0; i < 2; i++) expect((await ociRequest(t, 'PATCH', loc, { 'content-type': 'application/octet-stream' }, chunk)).status).toBe(202);
        // A wrong final digest leaves the session intact, so the right one still commits.
        expect((await ociRequest(t, 'PUT', `${loc}?digest=${sha256('nope')}`, {}, Buffer.from('tail'))).status).toBe(400);
        expect((await ociRequest(t, 'PUT', `${loc}?digest=${sha256(whole)}`, {}, Buffer.from('tail'))).status).toBe(201);
        const head = await ociRequest(t, 'HEAD', `/v2/team/big/blobs/${sha256(whole)}`);
        expect(head.status).toBe(200);
        expect(head.headers['content-length']).toBe(String(whole.length));
        const get = await ociRequest(t, 'GET', `/v2/team/big/blobs/${sha256(whole)}`);
        expect(get.status).toBe(404);
        expect(JSON.parse(get.body.toString()).errors[0].code).toBe('BLOB_UNKNOWN');
    });

    it('mounts a blob from another repository', async () => {
        const digest = await pushBlob(t, 'team/src', Buffer.from('shared'));
        const token = await c.accessToken('repository:team/dst:pull,push', 'repository:team/src:pull');
        const r = await ociRequest({ ...t, credentials: undefined, authorization: `Bearer ${token}` }, 'POST', `/v2/team/dst/blobs/uploads/?mount=${digest}&from=team/src`);
        expect(r.status).toBe(201);
        expect(r.headers['docker-content-digest']).toBe(digest);
    });

    it('refuses a manifest whose blobs were never pushed (MANIFEST_BLOB_UNKNOWN) or that is not JSON', async () => {
        const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256('missing'), size: 7 }, layers: [] }));
        const r = await ociRequest(t, 'PUT', '/v2/team/broken/manifests/v1', { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, manifest);
        expect(r.status).toBe(400);
        expect(JSON.parse(r.body.toString()).errors[0].code).toBe('MANIFEST_BLOB_UNKNOWN');
        const junk = await ociRequest(t, 'PUT', '/v2/team/broken/manifests/v1', { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, Buffer.from('not json'));
        expect(JSON.parse(junk.body.toString()).errors[0].code).toBe('MANIFEST_INVALID');
    });
});

describe('auto-conversion on push (convertPushedImages)', () => {
    it('converts an image pushed to a repository with the flag on, but never the images already there', async () => {
        const v1 = (await c.send('GET', '/acr/v1/ml/trainer/_tags/v1')).json().tag.digest;
        expect((await c.send('GET', `/acr/v1/ml/trainer/_streaming/${v1}`)).status).toBe(404);

        const pushed = await pushImage(t, { repo: 'ml/trainer', tag: 'v2' });
        const last = await c.send('GET', `/acr/v1/ml/trainer/_streaming/${pushed.digest}`);
        expect(last.status).toBe(200);
        expect(last.json().status).toBe('NotStarted');
        clock.advance(2);
        expect((await c.send('GET', `/acr/v1/ml/trainer/_operations/${last.json().id}`)).json().status).toBe('Succeeded');
        const refs = (await c.send('GET', `/v2/ml/trainer/referrers/${pushed.digest}`)).json().manifests;
        expect(refs.map((r: { artifactType: string }) => r.artifactType)).toEqual(['application/vnd.azure.artifact.streaming.v1']);
        expect((await c.send('GET', `/acr/v1/ml/trainer/_streaming/${v1}`)).status).toBe(404);
    });

    it('does not convert pushes to a repository with the flag off, nor referrer pushes', async () => {
        const pushed = await pushImage(t, { repo: 'app', tag: 'pushed' });
        expect((await c.send('GET', `/acr/v1/app/_streaming/${pushed.digest}`)).status).toBe(404);
    });

    it('starts converting pushes once the flag is turned on through the API', async () => {
        await c.send('POST', '/acr/v1/cat/r3/_streaming', { headers: { 'content-type': 'application/json' }, body: '{"convertPushedImages":true,"conversionFormat":"overlaybd","conversionVersion":"v1"}' });
        const pushed = await pushImage(t, { repo: 'cat/r3', tag: 'v1' });
        expect((await c.send('GET', `/acr/v1/cat/r3/_streaming/${pushed.digest}`)).json().status).toBe('NotStarted');
    });
});
