/** The OCI referrers API and the streaming artifact as a referrer (azure-cli recording, OCI spec: docs/sources.md). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ociRequest, pushBlob, sha256, type OciTarget } from '../../helpers/oci-push.js';
import { createAcrTestClient, type AcrTestClient } from './acr-client.js';
import { startAcrHarness, type AcrHarness } from './harness.js';
import { testWorld } from './test-world.js';

const STREAMING = 'application/vnd.azure.artifact.streaming.v1';
let h: AcrHarness;
let c: AcrTestClient;
let t: OciTarget;
let v0: string;

beforeAll(async () => {
    h = await startAcrHarness({ world: testWorld() });
    c = createAcrTestClient(h);
    t = { baseUrl: h.origin, ca: h.caPem, credentials: { username: '00000000-0000-0000-0000-000000000000', password: await c.refreshToken() } };
    v0 = (await c.send('GET', '/acr/v1/ml/trainer/_tags/v0')).json().tag.digest;
});
afterAll(() => h.close());

describe('referrers of a converted image', () => {
    it('lists the streaming artifact with the artifactType filter, as the CLI asks', async () => {
        const r = await c.send('GET', `/v2/ml/trainer/referrers/${v0}?artifactType=${encodeURIComponent(STREAMING)}`);
        expect(r.status).toBe(200);
        expect(r.headers['content-type']).toBe('application/vnd.oci.image.index.v1+json');
        expect(r.headers['oci-filters-applied']).toBe('artifactType');
        const index = r.json();
        expect(index).toMatchObject({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json' });
        expect(index.manifests).toEqual([
            {
                mediaType: 'application/vnd.oci.image.manifest.v1+json',
                digest: expect.stringMatching(/^sha256:/),
                size: expect.any(Number),
                artifactType: STREAMING,
                annotations: { 'streaming.format': 'overlaybd', 'streaming.platform.arch': 'amd64', 'streaming.platform.os': 'linux', 'streaming.version': 'v1' }
            }
        ]);
    });

    it('makes the streaming artifact fetchable by digest, with subject = the image', async () => {
        const [ref] = (await c.send('GET', `/v2/ml/trainer/referrers/${v0}`)).json().manifests;
        const m = await c.send('GET', `/v2/ml/trainer/manifests/${ref.digest}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
        expect(m.status).toBe(200);
        expect(sha256(m.text)).toBe(ref.digest);
        const doc = m.json();
        expect(doc.artifactType).toBe(STREAMING);
        expect(doc.subject.digest).toBe(v0);
        expect(doc.layers[0].mediaType).toBe('application/vnd.oci.image.layer.v1.tar');
    });

    it('answers an empty index for an image without referrers, without the filter header when unfiltered', async () => {
        const v1 = (await c.send('GET', '/acr/v1/ml/trainer/_tags/v1')).json().tag.digest;
        const r = await c.send('GET', `/v2/ml/trainer/referrers/${v1}`);
        expect(r.json().manifests).toEqual([]);
        expect(r.headers['oci-filters-applied']).toBeUndefined();
        expect((await c.send('GET', '/v2/ml/trainer/referrers/not-a-digest')).status).toBe(400);
        expect((await c.send('GET', `/v2/nope/referrers/${v1}`)).json().errors[0].code).toBe('NAME_UNKNOWN');
    });
});

describe('other referrers and the filter', () => {
    it('lists a pushed signature next to the streaming artifact; the filter keeps only the requested type', async () => {
        const subject = await c.send('HEAD', `/v2/ml/trainer/manifests/v0`, { headers: { accept: '*/*' } });
        const cfg = await pushBlob(t, 'ml/trainer', Buffer.from('{}'));
        const sig = Buffer.from(
            JSON.stringify({
                schemaVersion: 2,
                mediaType: 'application/vnd.oci.image.manifest.v1+json',
                artifactType: 'application/vnd.cncf.notary.signature',
                config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: cfg, size: 2 },
                layers: [],
                subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: v0, size: Number(subject.headers['content-length']) },
                annotations: { 'io.cncf.notary.x509chain.thumbprint#S256': '[]' }
            })
        );
        const put = await ociRequest(t, 'PUT', `/v2/ml/trainer/manifests/${sha256(sig)}`, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, sig);
        expect(put.status).toBe(201);
        expect(put.headers['oci-subject']).toBe(v0);
        const all = (await c.send('GET', `/v2/ml/trainer/referrers/${v0}`)).json().manifests;
        expect(all.map((d: { artifactType: string }) => d.artifactType).sort()).toEqual([STREAMING, 'application/vnd.cncf.notary.signature']);
        const only = (await c.send('GET', `/v2/ml/trainer/referrers/${v0}?artifactType=application%2Fvnd.cncf.notary.signature`)).json().manifests;
        expect(only).toHaveLength(1);
        expect(only[0].digest).toBe(sha256(sig));
    });
});

describe('disabling streaming for an image = deleting its referrer', () => {
    it('needs the delete scope, then removes the streaming artifact', async () => {
        const [ref] = (await c.send('GET', `/v2/ml/trainer/referrers/${v0}?artifactType=${encodeURIComponent(STREAMING)}`)).json().manifests;
        const pull = await c.accessToken('repository:ml/trainer:pull,push');
        const refused = await c.raw('DELETE', `/v2/ml/trainer/manifests/${ref.digest}`, { token: pull });
        expect(refused.status).toBe(401);
        expect(refused.headers['www-authenticate']).toContain('scope="repository:ml/trainer:delete"');
        expect((await c.send('DELETE', `/v2/ml/trainer/manifests/${ref.digest}`)).status).toBe(202);
        expect((await c.send('GET', `/v2/ml/trainer/referrers/${v0}?artifactType=${encodeURIComponent(STREAMING)}`)).json().manifests).toEqual([]);
        expect((await c.send('GET', `/v2/ml/trainer/manifests/${ref.digest}`)).status).toBe(404);
        expect((await c.send('GET', '/v2/ml/trainer/manifests/v0')).status).toBe(200);
    });

    it('deleting an image deletes its referrers too; delete by tag is refused', async () => {
        expect((await c.send('DELETE', '/v2/ml/trainer/manifests/v0')).status).toBe(400);
        const before = (await c.send('GET', `/v2/ml/trainer/referrers/${v0}`)).json().manifests;
        expect(before.length).toBeGreaterThan(0);
        expect((await c.send('DELETE', `/v2/ml/trainer/manifests/${v0}`)).status).toBe(202);
        for (const d of before) expect((await c.send('GET', `/v2/ml/trainer/manifests/${d.digest}`)).status).toBe(404);
        expect((await c.send('GET', '/acr/v1/ml/trainer/_tags/v0')).status).toBe(404);
    });
});
