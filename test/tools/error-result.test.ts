/**
 * The error contract (docs/tools.md): every isError result of our tools says what, why, fix and a code in
 * its text, and carries the same as data in `_meta["acr-streaming-mcp/error"]`, for clients of both eras and
 * for a v1 SDK client (which would reject structuredContent on an error result that misses the output schema).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_META_KEY } from '../../src/tools/register-tools.js';
import { connect, connectV1, itEachEra, testApp, textOf } from '../helpers/mcp.js';
import { startSandboxApp, type SandboxApp } from '../helpers/sandbox-app.js';

let t: SandboxApp | undefined;
afterEach(async () => {
    await t?.close();
    t = undefined;
});

describe('error results', () => {
    itEachEra('bad input: the code is in the text and in _meta', () => testApp(), async client => {
        const r = await client.callTool({ name: 'acr_inspect_image', arguments: { image: 'https://evil.example/x:1' } });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/is not accepted\.\nWhy: .+\nFix: .+\nCode: INVALID_INPUT$/);
        expect(r.structuredContent).toBeUndefined();
        expect(r._meta?.[ERROR_META_KEY]).toEqual({ code: 'INVALID_INPUT', what: expect.stringContaining('Image reference'), why: expect.any(String), fix: expect.stringContaining('azurecr.io') });
    });

    itEachEra('arguments that fail the input schema: INVALID_INPUT naming each bad one, before the tool runs', () => testApp(), async client => {
        const r = await client.callTool({ name: 'streaming_search_docs', arguments: { limit: 50 } });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/^Invalid arguments for streaming_search_docs: query, limit\.\nWhy: query: missing \(required\); limit: Too big: expected number to be <=10\nFix: .+\nCode: INVALID_INPUT$/);
        const error = r._meta?.[ERROR_META_KEY] as { code: string; fix: string };
        expect(error.code).toBe('INVALID_INPUT');
        // The fix repeats what tools/list says of each bad argument that has a description (limit's bounds are
        // in its schema and in the why).
        const listed = (await client.listTools()).tools.find(t => t.name === 'streaming_search_docs');
        const query = (listed?.inputSchema.properties?.query as { description?: string } | undefined)?.description;
        expect(query).toMatch(/keywords/);
        expect(error.fix).toContain(`query: ${query}`);

        // testApp wires no Azure access, so a handler that ran would answer INTERNAL: this one never started.
        const typed = await client.callTool({ name: 'acr_list_registries', arguments: { limit: 'many', resourceGroup: 7 } });
        expect(typed._meta?.[ERROR_META_KEY]).toMatchObject({
            code: 'INVALID_INPUT',
            what: 'Invalid arguments for acr_list_registries: resourceGroup, limit',
            why: 'resourceGroup: Invalid input: expected string, received number; limit: Invalid input: expected number, received string'
        });
    });

    it('a v1 SDK client gets the same error data for arguments that fail the input schema', async () => {
        const { client, close } = await connectV1(await testApp());
        try {
            const r = await client.callTool({ name: 'acr_set_repository_streaming', arguments: { registry: 'contosoacr', repository: 'ml/trainer', enabled: 'yes' } });
            expect(r.isError).toBe(true);
            expect(textOf(r as { content?: unknown })).toContain('Code: INVALID_INPUT');
            expect((r._meta as Record<string, unknown>)[ERROR_META_KEY]).toMatchObject({ code: 'INVALID_INPUT', what: 'Invalid arguments for acr_set_repository_streaming: enabled', why: 'enabled: Invalid input: expected boolean, received string' });
        } finally {
            await close();
        }
    });

    it('a v1 SDK client gets the same error data', async () => {
        const { client, close } = await connectV1(await testApp());
        try {
            const r = await client.callTool({ name: 'aks_get_streaming_status', arguments: { cluster: 'bad name!' } });
            expect(r.isError).toBe(true);
            expect((r._meta as Record<string, { code: string }>)[ERROR_META_KEY]?.code).toBe('INVALID_INPUT');
        } finally {
            await close();
        }
    });

    it('an Azure failure carries its code: a persistent 500 is SERVER_ERROR, and the sandbox marker stays', async () => {
        t = await startSandboxApp();
        t.sb.faults.add({ method: 'GET', path: '/acr/v1/*/_streaming', registry: 'contosoacr', status: 500 });
        const r = await t.call('acr_get_repository_streaming', { registry: 'contosoacr', repository: 'ml/trainer' });
        expect(r.isError).toBe(true);
        const meta = (r as { _meta?: Record<string, unknown> })._meta;
        expect(meta?.[ERROR_META_KEY]).toMatchObject({ code: 'SERVER_ERROR', why: expect.stringMatching(/contosoacr\.azurecr\.io answered 500/) });
        expect(textOf(r)).toContain('Code: SERVER_ERROR');
    });

    it('a failure that is nobody\'s fault in particular is INTERNAL, without a stack', async () => {
        const { client, close } = await connect(await testApp());
        try {
            // testApp wires no Azure access: app.azure() throws a plain Error.
            const r = await client.callTool({ name: 'acr_list_registries', arguments: {} });
            expect(r.isError).toBe(true);
            expect(textOf(r)).toMatch(/acr_list_registries failed unexpectedly\.\nWhy: this test has no Azure access wired[\s\S]*Code: INTERNAL/);
            expect(textOf(r)).not.toMatch(/\bat .*\.(ts|js):\d+/);
            expect(r._meta?.[ERROR_META_KEY]).toMatchObject({ code: 'INTERNAL' });
        } finally {
            await close();
        }
    });
});
