import { describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createServer } from 'node:net';
import { runCli, startCli } from '../helpers/cli.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { waitFor } from '../helpers/wait-for.js';

describe('--transport http from the built CLI', () => {
    it('listens on a free loopback port, requires the token, and serves a tool call', async () => {
        const token = 'e2e-token-0123456789abcdef';
        const cli = startCli(['--transport', 'http', '--port', '0', '--http-token', token]);
        try {
            const url = await waitFor(() => /serving MCP on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(cli.stderr())?.[1], 15_000, 'the listening line');
            expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
            const client = new Client({ name: 'e2e-http', version: '1' });
            const close = closeAfterTest(client);
            await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
            const r = await client.callTool({ name: 'streaming_search_docs', arguments: { query: 'Premium SKU' } });
            expect(r.isError).toBeFalsy();
            await close();
            expect(cli.stdout()).toBe(''); // logs never go to stdout
            expect(cli.stderr()).not.toContain(token);
        } finally {
            cli.kill();
        }
    });
});

describe('--transport http when the port is taken', () => {
    it('exits 1 with a clear line, and stops the sandbox it had started instead of hanging', async () => {
        const blocker = createServer();
        await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', () => resolve()));
        const port = (blocker.address() as { port: number }).port;
        try {
            const { code, stderr } = await runCli(['--sandbox', '--transport', 'http', '--port', String(port)], { timeoutMs: 20_000 });
            expect(code).toBe(1);
            expect(stderr).toContain(`cannot listen on 127.0.0.1:${port}: the port is already in use; pass another --port`);
            expect(stderr).not.toMatch(/\n\s+at /);
        } finally {
            blocker.close();
        }
    });
});
