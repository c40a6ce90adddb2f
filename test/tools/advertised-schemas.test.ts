/**
 * tools/list advertises terser schemas than zod's conversion (src/tools/advertised-schema.ts): nullable as a
 * type union, tuples as items, output schemas without bounds or additionalProperties. They must still accept
 * every real result: the v2 and the v1 SDK clients each check structuredContent against the listed output
 * schema, so every tool is called once on the sandbox through both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectV1ForTest, textOf } from '../helpers/mcp.js';
import { startSandboxApp, type SandboxApp } from '../helpers/sandbox-app.js';
import { rowOf } from '../reliability/tool-rows.js';

let sa: SandboxApp;
beforeAll(async () => {
    sa = await startSandboxApp();
});
afterAll(async () => {
    await sa?.close();
});

describe('the output schemas tools/list advertises', () => {
    it("accept each tool's real result, as the v2 and the v1 SDK clients check it", async () => {
        const v1 = await connectV1ForTest(sa.app);
        const { tools } = await sa.client.listTools();
        await v1.client.listTools();
        type Call = (name: string, args: Record<string, unknown>) => Promise<{ isError?: boolean; content?: unknown; structuredContent?: unknown }>;
        const clients: [string, Call][] = [
            ['v2', (name, args) => sa.client.callTool({ name, arguments: args })],
            ['v1', async (name, args) => (await v1.client.callTool({ name, arguments: args })) as { content?: unknown }]
        ];
        for (const t of tools) {
            // A change tool only plans here (no token, no elicitation): the plan is its result.
            const { args } = rowOf(t.name);
            for (const [label, call] of clients) {
                const result = await call(t.name, args);
                expect(result.isError, `${t.name} (${label}): ${textOf(result)}`).toBeFalsy();
                expect(result.structuredContent, `${t.name} (${label})`).toBeTypeOf('object');
            }
        }
    });

    it('still say which results are null, in the form a client validates', async () => {
        const { tools } = await sa.client.listTools();
        const inspect = tools.find(t => t.name === 'acr_inspect_image');
        const props = inspect?.outputSchema?.properties as Record<string, { type?: unknown }> | undefined;
        expect(props?.lastOperation?.type).toEqual(['object', 'null']);
        expect(props?.predictedFailureCode?.type).toEqual(['string', 'null']);
        expect(props?.digest?.type).toBe('string');
    });
});
