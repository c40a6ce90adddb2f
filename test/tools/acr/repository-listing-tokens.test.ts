/**
 * acr_get_repository_streaming without `repository`: one ACR token request per page (all the page's
 * `repository:<repo>:pull` scopes in one POST /oauth2/token), proven from the sandbox's request log.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { World } from '../../../src/sandbox/world/schema.js';
import { getRepositoryStreamingTool } from '../../../src/tools/acr/get-repository-streaming.js';
import { startSandboxApp, textOf, type SandboxApp } from '../../helpers/sandbox-app.js';
import { structuredOf } from '../../helpers/structured.js';

const REGISTRY = 'contosoacr';
const world = (names: string[]) =>
    ({
        version: 1,
        subscription: { id: '00000000-0000-0000-0000-0000000000bb', tenantId: 'tenant-y' },
        registries: [{ name: REGISTRY, resourceGroup: 'rg', sku: 'Premium', repositories: names.map((name, i) => ({ name, convertPushedImages: i % 3 === 0 })) }]
    }) as unknown as World;
const repoNames = (n: number, prefix = 'team') => Array.from({ length: n }, (_, i) => `${prefix}/app-${String(i).padStart(3, '0')}`);

const onRegistry = (t: SandboxApp, path: string) => t.sb.requestLog.entries(e => e.listener === `registry:${REGISTRY}` && e.path === path);
const count = (t: SandboxApp, path: string) => onRegistry(t, path).length;
const list = async (t: SandboxApp, args: Record<string, unknown> = {}) => {
    const r = await t.call('acr_get_repository_streaming', { registry: REGISTRY, ...args });
    expect(r.isError, textOf(r)).toBeFalsy();
    return structuredOf(getRepositoryStreamingTool, r);
};

const apps: SandboxApp[] = [];
const start = async (names: string[], azure = {}) => {
    const t = await startSandboxApp({ sandbox: { world: world(names) }, azure });
    apps.push(t);
    return t;
};
afterEach(async () => {
    await Promise.all(apps.splice(0).map(a => a.close()));
});

describe('repository listing: one token request per page', () => {
    it('a cold page of 30 costs one exchange, one catalog token and one token for all 30 reads; results match the unbatched path', async () => {
        const names = repoNames(30);
        const t = await start(names);
        const out = await list(t, { limit: 30 });
        expect(out.repositories?.map(r => r.repository)).toEqual(names);
        expect(count(t, '/oauth2/exchange')).toBe(1);
        expect(count(t, '/oauth2/token')).toBe(2); // registry:catalog:* + the page's 30 pull scopes
        expect(t.sb.requestLog.entries(e => e.path.endsWith('/_streaming') && e.status === 200)).toHaveLength(30);

        // The same listing with one token per repository (the old path) gives the same answer.
        const single = await start(names, { maxScopesPerToken: 1 });
        expect(await list(single, { limit: 30 })).toEqual(out);
        expect(count(single, '/oauth2/token')).toBe(31);
    });

    it('a follow-up call for a repository of that page makes no token request', async () => {
        const t = await start(repoNames(12));
        await list(t);
        t.sb.requestLog.clear();
        const r = await t.call('acr_get_repository_streaming', { registry: REGISTRY, repository: 'team/app-007' });
        expect(r.structuredContent).toMatchObject({ repository: 'team/app-007', convertPushedImages: false });
        expect(count(t, '/oauth2/token')).toBe(0);
        expect(count(t, '/oauth2/exchange')).toBe(0);
    });

    it('each further page costs exactly one token request; a page already authorised costs none', async () => {
        const t = await start(repoNames(25));
        const p1 = await list(t, { limit: 10 });
        t.sb.requestLog.clear();
        const p2 = await list(t, { limit: 10, cursor: p1.nextCursor });
        expect(p2.repositories).toHaveLength(10);
        expect(count(t, '/oauth2/token')).toBe(1);
        expect(count(t, '/oauth2/exchange')).toBe(0);
        t.sb.requestLog.clear();
        await list(t, { limit: 10 }); // page 1 again: every token is cached
        expect(count(t, '/oauth2/token')).toBe(0);
    });

    it('a page of 120 is split into requests of at most 50 scopes', async () => {
        const t = await start(repoNames(120));
        await list(t, { limit: 200 }); // warm the catalog token on the way
        expect(count(t, '/oauth2/token')).toBe(1 + 3);
    });

    it('long repository names are split by size too (at most 8 KiB of scopes per request)', async () => {
        // 40 scopes of 220 characters: 8.8 KB of scope text, below the 50-scope cap but above the size cap.
        const long = 'x'.repeat(200);
        const names = Array.from({ length: 40 }, (_, i) => `${long}/r${String(i).padStart(2, '0')}`);
        const t = await start(names);
        const out = await list(t, { limit: 40 });
        expect(out.repositories).toHaveLength(40);
        expect(count(t, '/oauth2/token')).toBe(1 + 2);
    });

    it('a 401 on a read with the shared token: one re-exchange, one token request for the rest, one retry', async () => {
        const names = repoNames(20);
        const t = await start(names);
        const before = await list(t);
        t.sb.requestLog.clear();
        t.sb.faults.add({ method: 'GET', path: '/acr/v1/*/_streaming', registry: REGISTRY, status: 401, times: 1 });
        const after = await list(t);
        expect(after).toEqual(before);
        expect(count(t, '/oauth2/exchange')).toBe(1);
        // Dropping the rejected token drops it under all 20 scopes; the group is re-minted in one request.
        expect(count(t, '/oauth2/token')).toBe(1);
        const streaming = t.sb.requestLog.entries(e => e.path.endsWith('/_streaming'));
        expect(streaming.filter(e => e.status === 401)).toHaveLength(1);
        expect(streaming.filter(e => e.status === 200)).toHaveLength(20);
    });

    it('a 401 on a cold page is retried the same way', async () => {
        const t = await start(repoNames(15));
        t.sb.faults.add({ method: 'GET', path: '/acr/v1/*/_streaming', registry: REGISTRY, status: 401, times: 1 });
        const out = await list(t);
        expect(out.repositories).toHaveLength(15);
        expect(count(t, '/oauth2/exchange')).toBe(2);
        expect(count(t, '/oauth2/token')).toBe(3); // catalog, page, page again after the 401
    });

    it('two concurrent listings of the same page share the token request', async () => {
        const t = await start(repoNames(20));
        await list(t, { limit: 5 }); // warm the exchange and the catalog token
        t.sb.requestLog.clear();
        const [a, b] = await Promise.all([list(t), list(t)]);
        expect(a).toEqual(b);
        expect(count(t, '/oauth2/token')).toBe(1);
    });

    it('no token appears in the result', async () => {
        const t = await start(repoNames(5));
        const r = await t.call('acr_get_repository_streaming', { registry: REGISTRY });
        expect(JSON.stringify(r)).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
    });

    it('a token endpoint that refuses a multi-scope request (400) falls back to one token per repository', async () => {
        const t = await start(repoNames(5));
        await list(t, { limit: 1 }); // warm: exchange, catalog token, one single-scope token
        t.sb.requestLog.clear();
        t.sb.faults.add({ method: 'POST', path: '/oauth2/token', registry: REGISTRY, status: 400, times: 1 });
        const out = await list(t);
        expect(out.repositories).toHaveLength(5);
        expect(onRegistry(t, '/oauth2/token').map(e => e.status)).toEqual([400, 200, 200, 200, 200]);
    });
});

