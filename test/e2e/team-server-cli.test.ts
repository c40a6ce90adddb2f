/**
 * `--sandbox --auth entra` with no other flag: the built CLI signs users in at the sandbox's Entra tenant,
 * and `sandbox token --user NAME` (another process) mints a token it accepts; each user's Azure calls go
 * on their behalf (the reader has no change tool, the operator does).
 */
import { describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { runCli, startCli } from '../helpers/cli.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { waitFor } from '../helpers/wait-for.js';

describe('the team server on the sandbox (built CLI)', () => {
    it('signs a reader and an operator in with tokens from `sandbox token --user`', async () => {
        const cli = startCli(['--sandbox', '--auth', 'entra', '--transport', 'http', '--port', '0']);
        try {
            const url = await waitFor(() => /serving MCP on (http:\/\/127\.0\.0\.1:\d+\/mcp) \(Microsoft Entra sign-in required\)/.exec(cli.stderr())?.[1], 20_000, 'the listening line');
            expect((await fetch(url, { method: 'POST' })).status).toBe(401);
            const tools: Record<string, string[]> = {};
            for (const user of ['reader', 'operator']) {
                const minted = await runCli(['sandbox', 'token', '--user', user]);
                expect(minted.code, minted.stderr).toBe(0);
                const client = new Client({ name: 'e2e', version: '1' });
                closeAfterTest(client);
                await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${minted.stdout.trim()}` } } }));
                tools[user] = (await client.listTools()).tools.map(t => t.name);
                const listed = await client.callTool({ name: 'acr_list_registries', arguments: {} });
                expect(listed.isError, JSON.stringify(listed.content)).toBeFalsy();
            }
            expect(tools.reader).not.toContain('acr_set_repository_streaming');
            expect(tools.operator).toContain('acr_set_repository_streaming');
            const unknown = await runCli(['sandbox', 'token', '--user', 'mallory']);
            expect(unknown.code).toBe(1);
            expect(unknown.stderr).toMatch(/no user "mallory".*reader, operator/);
        } finally {
            cli.kill();
        }
    });
});
