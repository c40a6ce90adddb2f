import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1HttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AppContext } from '../../src/app-context.js';
import { createHttpApp, startHttpServer } from '../../src/transports/http.js';
import { testApp } from '../helpers/mcp.js';

const TOKEN = 'test-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}` };
const opts = { host: '127.0.0.1', token: TOKEN, maxBodyBytes: 64 * 1024, maxSessions: 3, sessionIdleMs: 60_000 };

let app: AppContext;
let srv: Awaited<ReturnType<typeof startHttpServer>>;
beforeAll(async () => {
    app = await testApp();
    srv = await startHttpServer(app, { ...opts, port: 0 });
});
afterAll(() => srv.close());

/** Raw node:http so the Host header can be forged (fetch() cannot). */
function raw(method: string, path: string, headers: Record<string, string>, body?: string) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: srv.port, method, path, headers }, res => {
            let data = '';
            res.on('data', c => (data += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
        });
        req.on('error', reject);
        req.end(body);
    });
}

const initialize = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } }
});
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('Streamable HTTP at /mcp', () => {
    it.each(['auto', 'legacy'] as const)('serves a v2 client in %s mode and calls a tool', async mode => {
        const client = new Client({ name: 't', version: '1' }, { versionNegotiation: { mode } });
        await client.connect(new StreamableHTTPClientTransport(srv.url, { requestInit: { headers: auth } }));
        expect(client.getProtocolEra()).toBe(mode === 'auto' ? 'modern' : 'legacy');
        const r = await client.callTool({ name: 'streaming_search_docs', arguments: { query: 'customer-managed key' } });
        expect(r.isError).toBeFalsy();
        await client.close();
    });

    it('serves a 2025-era @modelcontextprotocol/sdk 1.x client with a session, and ends it on DELETE', async () => {
        const client = new V1Client({ name: 'v1', version: '1' });
        const transport = new V1HttpTransport(srv.url, { requestInit: { headers: auth } });
        await client.connect(transport);
        expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
        const before = (await (await fetch(new URL('/healthz', srv.url))).json()) as { sessions: number };
        expect(before.sessions).toBeGreaterThanOrEqual(1);
        const { tools } = await client.listTools();
        expect(tools.length).toBeGreaterThan(0);
        await transport.terminateSession();
        const res = await raw('POST', '/mcp', { ...mcpHeaders, ...auth, 'mcp-session-id': transport.sessionId ?? 'gone' }, '{"jsonrpc":"2.0","id":2,"method":"tools/list"}');
        expect(res.status).toBe(404);
        await client.close();
    });

    it('answers /healthz without a token', async () => {
        const res = await fetch(new URL('/healthz', srv.url));
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ status: 'ok' });
    });

    it('refuses a foreign Host header (DNS rebinding) with 403', async () => {
        const res = await raw('POST', '/mcp', { ...mcpHeaders, ...auth, host: 'evil.example' }, initialize);
        expect(res.status).toBe(403);
        expect(res.body).toContain('Invalid Host');
    });

    it('refuses a foreign Origin with 403', async () => {
        const res = await raw('POST', '/mcp', { ...mcpHeaders, ...auth, origin: 'http://evil.example' }, initialize);
        expect(res.status).toBe(403);
    });

    it('answers 401 without the token, and with a wrong one', async () => {
        expect((await raw('POST', '/mcp', mcpHeaders, initialize)).status).toBe(401);
        expect((await raw('POST', '/mcp', { ...mcpHeaders, Authorization: 'Bearer wrong' }, initialize)).status).toBe(401);
        expect((await raw('POST', '/mcp', { ...mcpHeaders, Authorization: `Bearer ${TOKEN}x` }, initialize)).status).toBe(401);
    });

    it('refuses an oversized body with 413 before parsing it', async () => {
        const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(100 * 1024) } });
        expect((await raw('POST', '/mcp', { ...mcpHeaders, ...auth }, big)).status).toBe(413);
        // Chunked (no Content-Length) is bounded too.
        const chunked = await raw('POST', '/mcp', { ...mcpHeaders, ...auth, 'transfer-encoding': 'chunked' }, big);
        expect(chunked.status).toBe(413);
    });

    it('answers 404 off /mcp', async () => {
        expect((await raw('GET', '/other', auth)).status).toBe(404);
    });
});

describe('2025-era HTTP sessions are capped and expire when idle', () => {
    it('refuses a session beyond the cap with 503, and frees idle ones', async () => {
        let clock = 0;
        const web = createHttpApp(app, { ...opts, token: undefined, maxSessions: 2, sessionIdleMs: 1000, now: () => clock });
        const post = (headers: Record<string, string> = {}) =>
            web.fetch(new Request('http://localhost/mcp', { method: 'POST', headers: { ...mcpHeaders, host: 'localhost', ...headers }, body: initialize }));
        try {
            expect((await post()).status).toBe(200);
            expect((await post()).status).toBe(200);
            expect(web.sessions.size()).toBe(2);
            expect((await post()).status).toBe(503);
            clock += 5000;
            expect((await post()).status).toBe(200);
            expect(web.sessions.size()).toBe(1);
        } finally {
            await web.close();
        }
    });
});
