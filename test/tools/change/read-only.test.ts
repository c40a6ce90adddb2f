/** --read-only: no change tool is listed, and nothing the server says names one. */
import { describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../../../src/tools/index.js';
import { connect, testApp } from '../../helpers/mcp.js';

const CHANGE_TOOLS = ALL_TOOLS.filter(t => t.kind !== 'read').map(t => t.name);
const NAMES = new RegExp(CHANGE_TOOLS.join('|'));
/** A query whose best snippets (knowledge/…/enable-on-acr.md) name acr_set_repository_streaming. */
const SNIPPET_NAMING_SET_TOOL = 'enable-streaming update repository with this server';

describe('--read-only', () => {
    it('there are change tools to hide', () => {
        expect(CHANGE_TOOLS).toContain('acr_set_repository_streaming');
    });

    it('removes every change tool from tools/list, the instructions, the prompts and the search snippets', async () => {
        const { client, close } = await connect(await testApp({ readOnly: true }));
        try {
            const { tools } = await client.listTools();
            expect(tools.map(t => t.name).filter(n => CHANGE_TOOLS.includes(n))).toEqual([]);
            expect(client.getInstructions()).not.toMatch(NAMES);
            const prompt = await client.getPrompt({ name: 'enable_artifact_streaming', arguments: { registry: 'contosoacr', repository: 'ml/trainer', cluster: 'aks-prod' } });
            expect(JSON.stringify(prompt.messages[0])).not.toMatch(NAMES);
            for (const query of [SNIPPET_NAMING_SET_TOOL, 'remove a streaming artifact', 'enable streaming on a node pool']) {
                const r = (await client.callTool({ name: 'streaming_search_docs', arguments: { query } })) as { structuredContent: { results: { snippet: string }[] } };
                expect(JSON.stringify(r.structuredContent.results)).not.toMatch(NAMES);
            }
        } finally {
            await close();
        }
    });

    it('without it, the same search names the change tool the server offers', async () => {
        const { client, close } = await connect(await testApp({}));
        try {
            expect((await client.listTools()).tools.map(t => t.name)).toContain('acr_set_repository_streaming');
            expect(client.getInstructions()).toContain('acr_set_repository_streaming');
            const r = (await client.callTool({ name: 'streaming_search_docs', arguments: { query: SNIPPET_NAMING_SET_TOOL } })) as { structuredContent: { results: { snippet: string }[] } };
            expect(JSON.stringify(r.structuredContent.results)).toContain('acr_set_repository_streaming');
        } finally {
            await close();
        }
    });
});
