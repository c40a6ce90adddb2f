/** Catalog, tags and manifest metadata, with RFC 5988 Link paging. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAcrTestClient, type AcrTestClient } from './acr-client.js';
import { startAcrHarness, type AcrHarness } from './harness.js';
import { testWorld } from './test-world.js';

let h: AcrHarness;
let c: AcrTestClient;

beforeAll(async () => {
    h = await startAcrHarness({ world: testWorld() });
    c = createAcrTestClient(h);
});
afterAll(() => h.close());

/** Follows `Link: <…>; rel="next"` until the last page; returns the pages. */
async function allPages<T>(first: string, pick: (body: any) => T[]): Promise<T[][]> {
    const pages: T[][] = [];
    let next: string | undefined = first;
    while (next) {
        const r = await c.send('GET', next);
        expect(r.status).toBe(200);
        pages.push(pick(r.json()));
        next = /^<([^>]+)>;\s*rel="next"$/.exec(r.headers.link ?? '')?.[1];
    }
    return pages;
}

const ALL_REPOS = ['app', 'cat/r1', 'cat/r2', 'cat/r3', 'cat/r4', 'cat/r5', 'ml/trainer'];

describe('catalog', () => {
    it('pages /acr/v1/_catalog through Link headers', async () => {
        const first = await c.send('GET', '/acr/v1/_catalog?n=3');
        expect(first.headers.link).toBe('</acr/v1/_catalog?last=cat%2Fr2&n=3>; rel="next"');
        const pages = await allPages('/acr/v1/_catalog?n=3', b => b.repositories);
        expect(pages).toEqual([ALL_REPOS.slice(0, 3), ALL_REPOS.slice(3, 6), ALL_REPOS.slice(6)]);
    });

    it('pages /v2/_catalog the same way and has no Link on the last page', async () => {
        const pages = await allPages('/v2/_catalog?n=4', b => b.repositories);
        expect(pages.flat()).toEqual(ALL_REPOS);
        expect(pages).toHaveLength(2);
        const all = await c.send('GET', '/v2/_catalog');
        expect(all.headers.link).toBeUndefined();
        expect(all.json()).toEqual({ repositories: ALL_REPOS });
    });

    it('refuses a bad page size', async () => {
        const r = await c.send('GET', '/acr/v1/_catalog?n=0');
        expect(r.status).toBe(400);
        expect(r.json().errors[0].code).toBe('PAGINATION_NUMBER_INVALID');
    });
});

describe('tags', () => {
    it('lists /acr/v1/{repo}/_tags with the ACR shape', async () => {
        const r = await c.send('GET', '/acr/v1/ml%2Ftrainer/_tags');
        const body = r.json();
        expect(body.registry).toBe('contosoacr.azurecr.io');
        expect(body.imageName).toBe('ml/trainer');
        expect(body.tags.map((t: { name: string }) => t.name)).toEqual(['latest', 'v0', 'v1']);
        expect(body.tags[0]).toEqual({
            name: 'latest',
            digest: expect.stringMatching(/^sha256:[a-f0-9]{64}$/),
            createdTime: '2026-10-01T12:00:00.000Z',
            lastUpdateTime: '2026-10-01T12:00:00.000Z',
            signed: false,
            changeableAttributes: { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true }
        });
    });

    it('pages tags with n/last and Link, honours orderby and the digest filter', async () => {
        const pages = await allPages('/acr/v1/app/_tags?n=4', b => b.tags.map((t: { name: string }) => t.name));
        expect(pages.map(p => p.length)).toEqual([4, 4, 2]);
        expect(pages.flat()).toEqual(['amd64', 'arm64', 'armonly', 'converting', 'docker', 'failed', 'list', 'multi', 'other', 'windows']);
        const desc = (await c.send('GET', '/acr/v1/ml/trainer/_tags?orderby=timedesc')).json().tags.map((t: { name: string }) => t.name);
        expect(desc).toEqual(['latest', 'v1', 'v0']);
        // The next link keeps orderby only when it was given.
        expect((await c.send('GET', '/acr/v1/app/_tags?n=4')).headers.link).toBe('</acr/v1/app/_tags?last=converting&n=4>; rel="next"');
        expect((await c.send('GET', '/acr/v1/ml/trainer/_tags?n=1&orderby=timedesc')).headers.link).toBe('</acr/v1/ml/trainer/_tags?last=latest&n=1&orderby=timedesc>; rel="next"');
        const v1 = (await c.send('GET', '/acr/v1/ml/trainer/_tags/v1')).json().tag.digest;
        const byDigest = (await c.send('GET', `/acr/v1/ml/trainer/_tags?digest=${v1}`)).json().tags.map((t: { name: string }) => t.name);
        expect(byDigest).toEqual(['latest', 'v1']);
    });

    it('answers /acr/v1/{repo}/_tags/{tag} as recorded (registry, imageName, tag)', async () => {
        const r = await c.send('GET', '/acr/v1/ml/trainer/_tags/v1');
        const manifest = await c.send('GET', '/v2/ml/trainer/manifests/v1', { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
        expect(r.json()).toEqual({
            registry: 'contosoacr.azurecr.io',
            imageName: 'ml/trainer',
            tag: expect.objectContaining({ name: 'v1', digest: manifest.headers['docker-content-digest'], signed: false })
        });
        const missing = await c.send('GET', '/acr/v1/ml/trainer/_tags/nope');
        expect(missing.status).toBe(404);
        expect(missing.json().errors[0].code).toBe('TAG_UNKNOWN');
    });

    it('lists /v2/{repo}/tags/list with paging for registry clients', async () => {
        const r = await c.send('GET', '/v2/ml/trainer/tags/list?n=2');
        expect(r.json()).toEqual({ name: 'ml/trainer', tags: ['latest', 'v0'] });
        expect(r.headers.link).toBe('</v2/ml/trainer/tags/list?last=v0&n=2>; rel="next"');
    });
});

describe('manifest metadata', () => {
    it('lists /acr/v1/{repo}/_manifests with size, platform, media type and tags', async () => {
        const body = (await c.send('GET', '/acr/v1/ml/trainer/_manifests')).json();
        expect(body.registry).toBe('contosoacr.azurecr.io');
        const v1 = body.manifests.find((m: { tags: string[] }) => m.tags.includes('v1'));
        expect(v1).toMatchObject({
            architecture: 'amd64',
            os: 'linux',
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            configMediaType: 'application/vnd.oci.image.config.v1+json',
            tags: ['latest', 'v1'],
            changeableAttributes: { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true }
        });
        expect(v1.imageSize).toBeGreaterThan(52428800 + 8589934592);
        // v1 + v0 + v0's streaming referrer
        expect(body.manifests).toHaveLength(3);
    });

    it('pages manifests and answers /_manifests/{digest} with references for an index', async () => {
        const pages = await allPages('/acr/v1/app/_manifests?n=5', b => b.manifests);
        expect(pages.length).toBeGreaterThan(1);
        const multi = (await c.send('GET', '/acr/v1/app/_tags/multi')).json().tag.digest;
        const r = (await c.send('GET', `/acr/v1/app/_manifests/${multi}`)).json();
        expect(r.imageName).toBe('app');
        expect(r.manifest.references).toEqual([
            { digest: expect.any(String), architecture: 'amd64', os: 'linux' },
            { digest: expect.any(String), architecture: 'arm64', os: 'linux' }
        ]);
        expect(r.manifest.architecture).toBeUndefined();
    });

    it('reads repository properties', async () => {
        const r = (await c.send('GET', '/acr/v1/ml/trainer')).json();
        expect(r).toMatchObject({ registry: 'contosoacr.azurecr.io', imageName: 'ml/trainer', tagCount: 3, manifestCount: 3 });
    });

    it('untags with DELETE /acr/v1/{repo}/_tags/{tag}, keeping the manifest', async () => {
        const digest = (await c.send('GET', '/acr/v1/app/_tags/docker')).json().tag.digest;
        expect((await c.send('DELETE', '/acr/v1/app/_tags/docker')).status).toBe(202);
        expect((await c.send('GET', '/acr/v1/app/_tags/docker')).status).toBe(404);
        expect((await c.send('GET', `/acr/v1/app/_manifests/${digest}`)).status).toBe(200);
    });
});
