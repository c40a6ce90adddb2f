/**
 * Artifact streaming endpoints and the conversion simulation (driven by an injected clock):
 * lifecycle to Succeeded with the referrer appearing, every failure code, cancel, and refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAcrTestClient, type AcrTestClient } from './acr-client.js';
import { startAcrHarness, testClock, type AcrHarness } from './harness.js';
import { testWorld } from './test-world.js';

const STREAMING = 'application%2Fvnd.azure.artifact.streaming.v1';
const clock = testClock();
let h: AcrHarness;
let c: AcrTestClient;

beforeAll(async () => {
    h = await startAcrHarness({ world: testWorld({ conversionSeconds: 10 }), now: clock.now });
    c = createAcrTestClient(h);
});
afterAll(() => h.close());

const digestOf = async (repo: string, tag: string): Promise<string> => (await c.send('GET', `/acr/v1/${repo}/_tags/${tag}`)).json().tag.digest;
const convert = (repo: string, digest: string) =>
    c.send('POST', `/acr/v1/${repo}/_streaming/${digest}`, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversionFormat: 'overlaybd', conversionVersion: 'v1' }) });
const op = async (repo: string, id: string) => (await c.send('GET', `/acr/v1/${repo}/_operations/${id}`)).json();
const referrers = async (repo: string, digest: string) => (await c.send('GET', `/v2/${repo}/referrers/${digest}?artifactType=${STREAMING}`)).json().manifests;

describe('repository auto-conversion setting (_streaming)', () => {
    it('reads {"convertPushedImages": …} exactly', async () => {
        expect((await c.send('GET', '/acr/v1/app/_streaming')).json()).toEqual({ convertPushedImages: false });
        expect((await c.send('GET', '/acr/v1/ml/trainer/_streaming')).json()).toEqual({ convertPushedImages: true });
    });

    it('POST answers 202 with the recorded body and operation headers, and the setting sticks', async () => {
        const r = await c.send('POST', '/acr/v1/cat/r1/_streaming', {
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ convertPushedImages: true, conversionFormat: 'overlaybd', conversionVersion: 'v1' })
        });
        expect(r.status).toBe(202);
        const body = r.json();
        expect(body).toEqual({ convertPushedImages: true, conversionFormat: 'overlaybd', conversionVersion: 'v1', status: 'Succeeded', id: expect.any(String) });
        expect(r.headers['operation-id']).toBe(body.id);
        expect(r.headers['operation-location']).toBe(`${h.origin}/acr/v1/cat/r1/_operations/${body.id}`);
        expect(r.headers.location).toBe(r.headers['operation-location']);
        expect((await c.send('GET', '/acr/v1/cat/r1/_streaming')).json()).toEqual({ convertPushedImages: true });
        expect((await op('cat/r1', body.id)).status).toBe('Succeeded');
    });

    it('refuses a malformed body or another conversion format with 400', async () => {
        const bad = await c.send('POST', '/acr/v1/cat/r2/_streaming', { headers: { 'content-type': 'application/json' }, body: '{"convertPushedImages":"yes"}' });
        expect(bad.status).toBe(400);
        const fmt = await c.send('POST', '/acr/v1/cat/r2/_streaming', { headers: { 'content-type': 'application/json' }, body: '{"convertPushedImages":true,"conversionFormat":"estargz"}' });
        expect(fmt.status).toBe(400);
        expect((await c.send('GET', '/acr/v1/nope/_streaming')).json().errors[0].code).toBe('NAME_UNKNOWN');
    });
});

describe('conversion lifecycle', () => {
    it('moves NotStarted → Running (rising progress) → Succeeded, then the streaming referrer appears', async () => {
        const digest = await digestOf('app', 'amd64');
        expect((await c.send('GET', `/acr/v1/app/_streaming/${digest}`)).json()).toEqual({ errors: [{ code: 'OPERATION_UNKNOWN', message: 'The specified operation does not exist' }] });
        const start = await convert('app', digest);
        expect(start.status).toBe(202);
        const { id, status } = start.json();
        expect(status).toBe('NotStarted');
        expect(start.headers['operation-location']).toBe(`${h.origin}/acr/v1/app/_operations/${id}`);
        expect(start.headers['operation-id']).toBe(id);

        const first = await op('app', id);
        expect(first).toEqual({
            name: 'ArtifactStreamingConversion',
            resource: `app@${digest}`,
            status: 'NotStarted',
            startTime: new Date(clock.now()).toISOString(),
            progress: '0%',
            details: `Conversion started for resource app@${digest}`
        });
        clock.advance(4);
        const running = await op('app', id);
        expect(running.status).toBe('Running');
        expect(running.details).toBe(`Conversion ongoing for resource app@${digest}`);
        const p1 = parseInt(running.progress, 10);
        clock.advance(3);
        const p2 = parseInt((await op('app', id)).progress, 10);
        expect(p2).toBeGreaterThan(p1);
        expect(await referrers('app', digest)).toEqual([]);

        const last = await c.send('GET', `/acr/v1/app/_streaming/${digest}`);
        expect(last.json()).toEqual({ id, status: 'Running' });
        expect(last.headers['operation-location']).toContain(`/_operations/${id}`);

        clock.advance(4);
        const done = await op('app', id);
        expect(done).toMatchObject({ status: 'Succeeded', progress: '100%' });
        const refs = await referrers('app', digest);
        expect(refs).toHaveLength(1);
        expect(refs[0].artifactType).toBe('application/vnd.azure.artifact.streaming.v1');
        expect(refs[0].annotations['streaming.format']).toBe('overlaybd');
    });

    it('reuses the ongoing operation when POSTed twice', async () => {
        const digest = await digestOf('app', 'list');
        const a = (await convert('app', digest)).json();
        const b = await convert('app', digest);
        expect(b.status).toBe(202);
        expect(b.json().id).toBe(a.id);
        clock.advance(11);
        expect((await op('app', a.id)).status).toBe('Succeeded');
    });

    const failures: Array<[string, string]> = [
        ['arm64', 'UNSUPPORTED_PLATFORM'],
        ['windows', 'UNSUPPORTED_PLATFORM'],
        ['armonly', 'NO_SUPPORTED_PLATFORM_FOUND'],
        ['other', 'UNSUPPORTED_MEDIATYPE']
    ];
    it.each(failures)('fails the conversion of app:%s with %s in details and error', async (tag, code) => {
        const digest = await digestOf('app', tag);
        const { id } = (await convert('app', digest)).json();
        clock.advance(11);
        const r = await op('app', id);
        expect(r.status).toBe('Failed');
        expect(r.details).toContain(`Conversion failed for resource app@${digest}: ${code}:`);
        expect(r.error.code).toBe(code);
        expect(await referrers('app', digest)).toEqual([]);
    });

    it('fails with UNSUPPORTED_ARTIFACT_TYPE when the target is a streaming artifact', async () => {
        const subject = await digestOf('ml/trainer', 'v0');
        const [artifact] = await referrers('ml/trainer', subject);
        const { id } = (await convert('ml/trainer', artifact.digest)).json();
        clock.advance(11);
        expect((await op('ml/trainer', id)).error.code).toBe('UNSUPPORTED_ARTIFACT_TYPE');
    });

    it('accepts an unknown digest and fails it with RESOURCE_NOT_FOUND', async () => {
        const digest = `sha256:${'0'.repeat(64)}`;
        const start = await convert('app', digest);
        expect(start.status).toBe(202);
        clock.advance(11);
        expect((await op('app', start.json().id)).error.code).toBe('RESOURCE_NOT_FOUND');
    });

    it('converts the amd64 entry of a multi-arch index; the referrer\'s subject is the index', async () => {
        const digest = await digestOf('app', 'multi');
        const { id } = (await convert('app', digest)).json();
        clock.advance(11);
        expect((await op('app', id)).status).toBe('Succeeded');
        const [ref] = await referrers('app', digest);
        const artifact = (await c.send('GET', `/v2/app/manifests/${ref.digest}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).json();
        expect(artifact.subject.digest).toBe(digest);
        expect(artifact.annotations['streaming.platform.arch']).toBe('amd64');
    });
});

describe('operations', () => {
    it('cancels an ongoing conversion, and refuses to cancel a terminal one with 409', async () => {
        const digest = await digestOf('app', 'docker');
        const { id } = (await convert('app', digest)).json();
        const cancel = await c.send('POST', `/acr/v1/app/_operations/${id}:cancel`);
        expect(cancel.status).toBe(200);
        expect(cancel.json()).toMatchObject({ name: 'Cancel: ArtifactStreamingConversion', resource: `app@${digest}`, status: 'Canceled', progress: '0%' });
        clock.advance(11);
        expect((await op('app', id)).status).toBe('Canceled');
        expect(await referrers('app', digest)).toEqual([]);
        const again = await c.send('POST', `/acr/v1/app/_operations/${id}:cancel`);
        expect(again.status).toBe(409);
        expect(again.json().errors[0].code).toBe('OPERATION_NOT_CANCELABLE');
    });

    it('answers OPERATION_UNKNOWN for an unknown id or an id of another repository', async () => {
        const r = await c.send('GET', '/acr/v1/app/_operations/00000000-0000-0000-0000-000000000000');
        expect(r.status).toBe(404);
        expect(r.json()).toEqual({ errors: [{ code: 'OPERATION_UNKNOWN', message: 'The specified operation does not exist' }] });
        const digest = await digestOf('app', 'amd64');
        const { id } = (await c.send('GET', `/acr/v1/app/_streaming/${digest}`)).json();
        expect((await c.send('GET', `/acr/v1/ml/trainer/_operations/${id}`)).status).toBe(404);
        expect((await c.send('POST', '/acr/v1/app/_operations/nope:cancel')).status).toBe(404);
    });

    it('shows the world\'s streaming history: converted, converting (Running at load) and failed', async () => {
        const v0 = await digestOf('ml/trainer', 'v0');
        expect((await c.send('GET', `/acr/v1/ml/trainer/_streaming/${v0}`)).json().status).toBe('Succeeded');
        const failed = await digestOf('app', 'failed');
        const f = (await c.send('GET', `/acr/v1/app/_streaming/${failed}`)).json();
        expect(f.status).toBe('Failed');
        expect((await op('app', f.id)).error.code).toBe('UNKNOWN_ERROR');
    });

    it('needs pull to read and push to start or cancel', async () => {
        const pull = await c.accessToken('repository:app:pull');
        const digest = await digestOf('app', 'amd64');
        expect((await c.raw('GET', `/acr/v1/app/_streaming/${digest}`, { token: pull })).status).toBe(200);
        const post = await c.raw('POST', `/acr/v1/app/_streaming/${digest}`, { token: pull });
        expect(post.status).toBe(401);
        expect(post.headers['www-authenticate']).toContain('scope="repository:app:pull,push"');
    });
});

describe('world streaming states at load', () => {
    it('a "converting" image is Running right after load and finishes later', async () => {
        const fresh = testClock();
        const s = await startAcrHarness({ world: testWorld({ conversionSeconds: 10 }), now: fresh.now });
        try {
            const sc = createAcrTestClient(s);
            const digest = (await sc.send('GET', '/acr/v1/app/_tags/converting')).json().tag.digest;
            const last = (await sc.send('GET', `/acr/v1/app/_streaming/${digest}`)).json();
            expect(last.status).toBe('Running');
            fresh.advance(11);
            expect((await sc.send('GET', `/acr/v1/app/_operations/${last.id}`)).json().status).toBe('Succeeded');
            expect((await sc.send('GET', `/v2/app/referrers/${digest}`)).json().manifests).toHaveLength(1);
        } finally {
            await s.close();
        }
    });
});

describe('registries that cannot stream', () => {
    it.each([
        ['Standard', false, 'Premium'],
        ['Premium', true, 'customer-managed key']
    ])('a %s registry (CMK %s) refuses every streaming endpoint with FEATURE_NOT_SUPPORTED', async (sku, cmk, words) => {
        const s = await startAcrHarness({ world: testWorld({ sku, customerManagedKey: cmk }) });
        try {
            const sc = createAcrTestClient(s);
            const digest = (await sc.send('GET', '/acr/v1/app/_tags/amd64')).json().tag.digest;
            for (const [method, path] of [
                ['GET', '/acr/v1/app/_streaming'],
                ['POST', '/acr/v1/app/_streaming'],
                ['GET', `/acr/v1/app/_streaming/${digest}`],
                ['POST', `/acr/v1/app/_streaming/${digest}`],
                ['GET', '/acr/v1/app/_operations/x']
            ] as const) {
                const r = await sc.send(method, path);
                expect(r.status).toBe(400);
                expect(r.json().errors[0].code).toBe('FEATURE_NOT_SUPPORTED');
                expect(r.json().errors[0].message).toContain(words);
            }
            // The rest of the data plane still works.
            expect((await sc.send('GET', '/v2/app/manifests/amd64')).status).toBe(200);
        } finally {
            await s.close();
        }
    });
});
