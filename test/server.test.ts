import { beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app-context.js';
import type { ToolDefinition } from '../src/tools/define-tool.js';
import { ALL_TOOLS, selectTools } from '../src/tools/index.js';
import { connectForTest, connectV1ForTest, itEachEra, testApp } from './helpers/mcp.js';

let app: AppContext;
beforeAll(async () => {
    app = await testApp();
});

describe('tools/list: the public contract', () => {
    itEachEra('lists every tool with title, description, all four annotations and an output schema', () => app, async client => {
        const { tools } = await client.listTools();
        expect(tools.map(t => t.name).sort()).toEqual(ALL_TOOLS.map(t => t.name).sort());
        for (const t of tools) {
            expect(t.name).toMatch(/^(acr|aks|streaming)_[a-z]+(_[a-z]+)*$/);
            expect(t.title).toBeTruthy();
            expect(t.description!.length).toBeGreaterThan(60);
            // The title once, at the top: annotations.title only repeated it (MCP 2025-06-18 added Tool.title).
            expect(Object.keys(t.annotations ?? {}).sort()).toEqual(['destructiveHint', 'idempotentHint', 'openWorldHint', 'readOnlyHint']);
            expect(t.outputSchema).toBeDefined();
        }
    });

    it('never points the model at a tool that is not registered', async () => {
        const { client } = await connectForTest(app);
        const { tools } = await client.listTools();
        const names = new Set(tools.map(t => t.name));
        for (const t of tools) {
            const mentioned = JSON.stringify([t.description, t.inputSchema, t.outputSchema]).match(/\b(?:acr|aks|streaming)_[a-z_]+\b/g) ?? [];
            for (const m of mentioned) expect(names, `${t.name} mentions ${m}`).toContain(m);
        }
    });

    it('keeps each tool contract in a reviewed snapshot', async () => {
        const { client } = await connectForTest(app);
        const { tools } = await client.listTools();
        for (const t of tools) {
            await expect(JSON.stringify(t, null, 2) + '\n').toMatchFileSnapshot(`__toolsnaps__/${t.name}.json`);
        }
    });

    it('keeps tools/list small enough not to crowd the model context', async () => {
        const { client } = await connectForTest(app);
        const { tools } = await client.listTools();
        // What clients put in front of the model: name, description, input schema (bench/tools-list-size.bench.mjs,
        // target ≤ 10 KB for all tools); held 1 KB under that target, so a new tool or argument has to earn its bytes.
        // Output schemas validate results and stay out of the prompt; all of tools/list is held to its 24 KB target.
        const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));
        const visible = bytes(tools.map(t => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })));
        const size = bytes({ tools });
        console.log(`tools/list: ${visible} bytes model-visible, ${size} bytes in all, for ${tools.length} tools`);
        expect(visible).toBeLessThanOrEqual(9 * 1024);
        expect(size).toBeLessThanOrEqual(24 * 1024);
    });

    it('advertises schemas without bytes that tell a client nothing', async () => {
        const { client } = await connectForTest(app);
        const { tools } = await client.listTools();
        const text = JSON.stringify(tools);
        // zod's nullable (anyOf with null), its closed objects, $schema lines, tuples spelled item by item, abuse bounds.
        for (const waste of ['"anyOf"', '"additionalProperties"', '"$schema"', '"prefixItems"', '"maxLength":16384', '"maxLength":262144', '"maxLength":2048']) {
            expect(text, waste).not.toContain(waste);
        }
        // Still told: the arguments' own bounds and defaults.
        const search = tools.find(t => t.name === 'streaming_search_docs');
        expect(search?.inputSchema.properties?.query).toMatchObject({ type: 'string', maxLength: 500 });
        expect(search?.inputSchema.properties?.limit).toMatchObject({ type: 'integer', minimum: 1, maximum: 10, default: 5 });
    });

    it('answers an unknown tool with JSON-RPC -32602, not a crash', async () => {
        const { client } = await connectForTest(app);
        await expect(client.callTool({ name: 'acr_does_not_exist', arguments: {} })).rejects.toMatchObject({ code: -32602 });
    });

    it('serves a 2025-era client from @modelcontextprotocol/sdk 1.x', async () => {
        const { client } = await connectV1ForTest(app);
        const { tools } = await client.listTools();
        expect(tools.length).toBe(ALL_TOOLS.length);
        expect(client.getInstructions()).toMatch(/artifact streaming/);
    });
});

describe('tool selection', () => {
    it('--toolsets keeps only the named toolsets', async () => {
        const only = await testApp({ toolsets: ['knowledge'] });
        const { client } = await connectForTest(only);
        const { tools } = await client.listTools();
        expect(tools.map(t => t.name)).toEqual(ALL_TOOLS.filter(t => t.toolset === 'knowledge').map(t => t.name));
    });

    it('--read-only removes every tool that changes something', async () => {
        const ro = await testApp({ readOnly: true });
        const { client } = await connectForTest(ro);
        const { tools } = await client.listTools();
        expect(tools.every(t => t.annotations?.readOnlyHint === true)).toBe(true);
        expect(tools.length).toBe(ALL_TOOLS.filter(t => t.kind === 'read').length);
    });

    it('--read-only drops change and destructive tools, which are otherwise kept', () => {
        // Today's tools all read; these stand-ins make sure the filter itself is exercised.
        const change = { ...ALL_TOOLS[0]!, name: 'acr_set_thing', kind: 'change' } as ToolDefinition;
        const destructive = { ...ALL_TOOLS[0]!, name: 'acr_remove_thing', kind: 'destructive' } as ToolDefinition;
        const all = [...ALL_TOOLS, change, destructive];
        const toolsets = [...new Set(all.map(t => t.toolset))];
        expect(selectTools({ toolsets, readOnly: false }, all).map(t => t.name)).toEqual(expect.arrayContaining(['acr_set_thing', 'acr_remove_thing']));
        expect(selectTools({ toolsets, readOnly: true }, all).map(t => t.name)).toEqual(ALL_TOOLS.filter(t => t.kind === 'read').map(t => t.name));
    });
});

describe('server instructions', () => {
    it('say what the server is for and name each registered tool', async () => {
        const { client } = await connectForTest(app, 'modern');
        const text = client.getInstructions() ?? '';
        expect(text).toMatch(/Azure Container Registry \(ACR\) artifact streaming/);
        for (const t of ALL_TOOLS) expect(text).toContain(t.name);
        expect(text).not.toMatch(/SANDBOX/);
    });

    it('say loudly when the server runs against the sandbox', async () => {
        const sb = await testApp({}, { sandbox: { label: 'SANDBOX: local emulator, demo world' } });
        const { client } = await connectForTest(sb);
        expect(client.getInstructions()).toMatch(/SANDBOX MODE/);
    });
});
