import { beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/app-context.js';
import { searchDocsTool } from '../../../src/tools/knowledge/search-docs.js';
import { connectV1, describeEachEra, testApp, textOf } from '../../helpers/mcp.js';
import { structuredOf } from '../../helpers/structured.js';

let app: AppContext;
beforeAll(async () => {
    app = await testApp();
});

describeEachEra('streaming_search_docs', () => app, c => {

    it('is listed as a read-only, closed-world tool with the documented schema', async () => {
        const { tools } = await c.client.listTools();
        const tool = tools.find(t => t.name === 'streaming_search_docs')!;
        expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: false });
        expect(tool.inputSchema.required).toEqual(['query']);
        expect(tool.inputSchema.properties).toMatchObject({ limit: { minimum: 1, maximum: 10, default: 5 } });
        expect(tool.description).toMatch(/Not for the live state/);
    });

    it('answers "can I use a pull secret" with sections whose uri reads back and contains the heading', async () => {
        const r = await c.client.callTool({ name: 'streaming_search_docs', arguments: { query: 'does streaming work with imagePullSecrets' } });
        expect(r.isError).toBeFalsy();
        const results = structuredOf(searchDocsTool, r).results;
        expect(results.length).toBeGreaterThan(0);
        expect(results.length).toBeLessThanOrEqual(5);
        expect(results[0]!.score).toBe(1);
        for (const hit of results) {
            expect(Object.keys(hit).sort()).toEqual(['heading', 'page', 'score', 'snippet', 'uri']);
            expect(hit.uri).toBe(`skill://acr-artifact-streaming/${hit.page}`);
            expect(hit.score).toBeGreaterThan(0);
            expect(hit.score).toBeLessThanOrEqual(1);
            expect(hit.snippet.length).toBeLessThanOrEqual(210);
            expect(hit.snippet).not.toMatch(/\]\(|`|\*\*|\|---/);
            const read = await c.client.readResource({ uri: hit.uri });
            const page = (read.contents[0] as { text: string }).text;
            expect(page).toMatch(new RegExp(`^#{1,3} ${hit.heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
        }
        const ids = results.map(h => `${h.page}#${h.heading}`);
        expect(new Set(ids).size).toBe(ids.length);
        expect(textOf(r)).toContain(`${results[0]!.page} › ${results[0]!.heading}`);
        const links = (r.content as { type: string; uri?: string }[]).filter(x => x.type === 'resource_link');
        expect(links.map(l => l.uri)).toEqual(results.map(h => h.uri));
    });

    it('honours limit and rejects 0 and 11', async () => {
        const one = await c.client.callTool({ name: 'streaming_search_docs', arguments: { query: 'node pool', limit: 1 } });
        expect(structuredOf(searchDocsTool, one).results).toHaveLength(1);
        const ten = await c.client.callTool({ name: 'streaming_search_docs', arguments: { query: 'streaming node pool image registry', limit: 10 } });
        expect(structuredOf(searchDocsTool, ten).results).toHaveLength(10);
        for (const limit of [0, 11]) {
            const bad = await c.client.callTool({ name: 'streaming_search_docs', arguments: { query: 'cmk', limit } });
            expect(bad.isError).toBe(true);
        }
    });

    it('refuses an empty or stop-word-only query with a fix', async () => {
        for (const query of ['', '   ', 'how do I do it?']) {
            const r = await c.client.callTool({ name: 'streaming_search_docs', arguments: { query } });
            expect(r.isError).toBe(true);
            expect(textOf(r)).toMatch(/No search terms[\s\S]*Fix: /);
        }
    });

    it('returns an empty list and suggests other words when nothing matches', async () => {
        const r = await c.client.callTool({ name: 'streaming_search_docs', arguments: { query: 'qwxzv plmokn' } });
        expect(r.isError).toBeFalsy();
        expect(r.structuredContent).toEqual({ results: [] });
        expect(textOf(r)).toMatch(/Try other words/);
    });
});

describe('streaming_search_docs with a 2025-era v1 client', () => {
    it('returns structured results it can validate', async () => {
        const c = await connectV1(app);
        try {
            const r = await c.client.callTool({ name: 'streaming_search_docs', arguments: { query: 'Graviton nodes', limit: 3 } });
            expect(r.isError).toBeFalsy();
            const results = structuredOf(searchDocsTool, r).results;
            expect(results[0]).toMatchObject({ page: 'references/requirements.md' });
        } finally {
            await c.close();
        }
    });
});
