/**
 * Change tools through the built CLI over stdio on the demo sandbox: a plan made by one process is applied by
 * another that shares --confirmation-key (read from a file), refused by one with another key, and the applied
 * change writes exactly one JSON audit line to stderr that carries neither the token nor the key.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { assertBuilt, childEnv, CLI, ROOT } from '../helpers/cli.js';
import { closeAfterTest } from '../helpers/close-after-test.js';

const dir = mkdtempSync(join(tmpdir(), 'acr-streaming-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const KEY = 'k8s-secret-confirmation-key-0123456789abcdef';
const keyFile = join(dir, 'confirmation-key');
writeFileSync(keyFile, KEY + '\n');

async function replica(key: string) {
    const client = new Client({ name: 'e2e', version: '1' }, { versionNegotiation: { mode: 'legacy' } });
    const stderr: string[] = [];
    const transport = new StdioClientTransport({
        command: process.execPath,
        args: [CLI, '--sandbox', '--confirm', 'token'],
        cwd: ROOT,
        env: childEnv({ ACR_STREAMING_MCP_CONFIRMATION_KEY: key }),
        stderr: 'pipe'
    });
    transport.stderr?.on('data', d => stderr.push(String(d)));
    const close = closeAfterTest(client);
    await client.connect(transport);
    const call = async (args: Record<string, unknown>) =>
        (await client.callTool({ name: 'acr_set_repository_streaming', arguments: args })) as { isError?: boolean; structuredContent?: any; content: { text?: string }[] };
    return { call, close, stderr: () => stderr.join('') };
}

describe('change tools through the built CLI', () => {
    it('replicas sharing --confirmation-key (file:) accept each other\'s tokens; another key does not; one audit line', async () => {
        assertBuilt();
        const args = { registry: 'contosoacr', repository: 'ml/inference', enabled: true };
        const a = await replica(`file:${keyFile}`);
        const b = await replica(`file:${keyFile}`);
        const c = await replica('a-different-confirmation-key-of-32-chars!!');
        const plan = (await a.call(args)).structuredContent;
        expect(plan).toMatchObject({ status: 'plan', confirmationToken: expect.any(String) });
        const refused = await c.call({ ...args, confirmationToken: plan.confirmationToken });
        expect(refused.isError).toBe(true);
        expect(refused.content[0]?.text).toMatch(/not valid/);
        const applied = await b.call({ ...args, confirmationToken: plan.confirmationToken });
        expect(applied.structuredContent).toMatchObject({ status: 'applied', result: { convertPushedImages: true } });
        await Promise.all([a.close(), b.close(), c.close()]);

        const audit = b
            .stderr()
            .split('\n')
            .filter(l => l.startsWith('{'))
            .map(l => JSON.parse(l) as Record<string, unknown>);
        expect(audit).toEqual([
            expect.objectContaining({ audit: 'acr-streaming-mcp/change', tool: 'acr_set_repository_streaming', target: 'contosoacr.azurecr.io/ml/inference', before: { convertPushedImages: false } })
        ]);
        for (const r of [a, b, c]) {
            expect(r.stderr()).not.toContain(plan.confirmationToken);
            expect(r.stderr()).not.toContain(KEY);
        }
        expect(a.stderr()).not.toContain('"audit"');
    });
});
