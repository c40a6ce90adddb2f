/** acr_list_registries and acr_get_repository_streaming through an MCP client against the sandbox. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../../../src/sandbox/world/schema.js';
import { getRepositoryStreamingTool } from '../../../src/tools/acr/get-repository-streaming.js';
import { listRegistriesTool } from '../../../src/tools/acr/list-registries.js';
import { startSandboxApp, textOf, type SandboxApp } from '../../helpers/sandbox-app.js';
import { structuredOf } from '../../helpers/structured.js';

let demo: SandboxApp;
beforeAll(async () => {
    demo = await startSandboxApp({ era: 'modern' });
});
afterAll(async () => demo?.close());

describe('acr_list_registries', () => {
    it('lists every registry of the demo world with its streaming support', async () => {
        const r = await demo.call('acr_list_registries', {});
        expect(r.structuredContent).toEqual({
            registries: [
                {
                    name: 'contosoacr',
                    resourceGroup: 'rg-registry',
                    loginServer: 'contosoacr.azurecr.io',
                    location: 'eastus',
                    sku: 'Premium',
                    customerManagedKey: false,
                    replications: expect.arrayContaining(['westeurope']),
                    streamingSupported: true,
                    reasons: []
                },
                expect.objectContaining({ name: 'fabrikamstd', sku: 'Standard', streamingSupported: false, reasons: [expect.objectContaining({ code: 'REGISTRY_NOT_PREMIUM' })] }),
                expect.objectContaining({ name: 'woodgrovecmk', customerManagedKey: true, streamingSupported: false, reasons: [expect.objectContaining({ code: 'REGISTRY_CMK_ENABLED' })] })
            ],
            nextCursor: null
        });
        expect(textOf(r)).toContain('3 registries');
    });

    it('filters by name (case-insensitive) and resource group, pages with a cursor', async () => {
        const one = await demo.call('acr_list_registries', { registry: 'ContosoACR' });
        expect(structuredOf(listRegistriesTool, one).registries.map(x => x.name)).toEqual(['contosoacr']);
        const rg = await demo.call('acr_list_registries', { resourceGroup: 'rg-woodgrove' });
        expect(structuredOf(listRegistriesTool, rg).registries.map(x => x.name)).toEqual(['woodgrovecmk']);
        const p1 = structuredOf(listRegistriesTool, await demo.call('acr_list_registries', { limit: 2 }));
        expect(p1.registries.map(x => x.name)).toEqual(['contosoacr', 'fabrikamstd']);
        const p2 = structuredOf(listRegistriesTool, await demo.call('acr_list_registries', { limit: 2, cursor: p1.nextCursor }));
        expect(p2).toMatchObject({ registries: [expect.objectContaining({ name: 'woodgrovecmk' })], nextCursor: null });
    });

    it('an unknown registry names what is visible', async () => {
        const r = await demo.call('acr_list_registries', { registry: 'nosuchacr' });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/visible: contosoacr, fabrikamstd, woodgrovecmk/);
    });

    it('a bad cursor is a clear error', async () => {
        const r = await demo.call('acr_list_registries', { cursor: 'garbage!!' });
        expect(textOf(r)).toMatch(/cursor is not valid/);
    });
});

describe('acr_get_repository_streaming', () => {
    it('one repository', async () => {
        const on = await demo.call('acr_get_repository_streaming', { registry: 'contosoacr', repository: 'ml/trainer' });
        expect(on.structuredContent).toEqual({ registry: 'contosoacr', repository: 'ml/trainer', convertPushedImages: true });
        const off = await demo.call('acr_get_repository_streaming', { registry: 'contosoacr', repository: 'ml/inference' });
        expect(off.structuredContent).toMatchObject({ convertPushedImages: false });
    });

    it('all repositories of the demo registry', async () => {
        const r = await demo.call('acr_get_repository_streaming', { registry: 'contosoacr' });
        const out = structuredOf(getRepositoryStreamingTool, r);
        expect(out.nextCursor).toBeNull();
        expect(out.repositories?.filter(x => x.convertPushedImages).map(x => x.repository)).toEqual(['ml/trainer', 'web/frontend']);
        expect(out.repositories).toHaveLength(9);
    });

    it('a registry that cannot stream is a clear error', async () => {
        const r = await demo.call('acr_get_repository_streaming', { registry: 'fabrikamstd' });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/cannot use artifact streaming[\s\S]*Standard[\s\S]*--sku Premium/);
    });
});

describe('pagination across several pages', () => {
    let t: SandboxApp | undefined;
    afterEach(async () => t?.close());

    it('walks 7 repositories in pages of 3 with opaque cursors', async () => {
        const names = ['a/one', 'a/two', 'b/three', 'c/four', 'd/five', 'e/six', 'f/seven'];
        const world = {
            version: 1,
            subscription: { id: '00000000-0000-0000-0000-0000000000aa', tenantId: 'tenant-x' },
            registries: [{ name: 'pagedacr', resourceGroup: 'rg', sku: 'Premium', repositories: names.map((name, i) => ({ name, convertPushedImages: i % 2 === 0 })) }]
        } as unknown as World;
        t = await startSandboxApp({ sandbox: { world } });
        const seen: { repository: string; convertPushedImages: boolean }[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
            const r = await t.call('acr_get_repository_streaming', { registry: 'pagedacr', limit: 3, ...(cursor ? { cursor } : {}) });
            const out = structuredOf(getRepositoryStreamingTool, r);
            expect(out.repositories?.length).toBeLessThanOrEqual(3);
            seen.push(...(out.repositories ?? []));
            cursor = out.nextCursor ?? undefined;
            pages++;
        } while (cursor && pages < 10);
        expect(pages).toBe(3);
        expect(seen.map(s => s.repository)).toEqual([...names].sort());
        expect(seen.find(s => s.repository === 'a/one')!.convertPushedImages).toBe(true);
        expect(t.sb.requestLog.entries(e => e.path === '/acr/v1/_catalog').map(e => e.query)).toEqual(['n=3', 'n=3&last=b%2Fthree', 'n=3&last=e%2Fsix']);
    });
});
