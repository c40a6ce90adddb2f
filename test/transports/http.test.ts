import { request as httpRequest } from 'node:http';
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1HttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { AppContext } from '../../src/app-context.js';
import { hostname } from 'node:os';
import { allowedHostnames, createHttpApp, startHttpServer } from '../../src/transports/http.js';
import { INITIALIZED_BODY, initializeBody, MCP_HEADERS as mcpHeaders, rawHttp } from '../helpers/http-raw.js';
import { serveHttpForSuite } from '../helpers/http-suite.js';
import { closeAfterTest } from '../helpers/close-after-test.js';

const TOKEN = 'test-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}` };
const opts = { host: '127.0.0.1', token: TOKEN, maxBodyBytes: 64 * 1024, maxSessions: 3, sessionIdleMs: 60_000 };

const http = serveHttpForSuite(opts);

/** Raw node:http so the Host header can be forged (fetch() cannot). */
const raw = (method: string, path: string, headers: Record<string, string>, body?: string) => rawHttp(http.port, method, path, headers, body);
const initialize = initializeBody();

describe('Streamable HTTP at /mcp', () => {
    it.each(['auto', 'legacy'] as const)('serves a v2 client in %s mode and calls a tool', async mode => {
        const client = new Client({ name: 't', version: '1' }, { versionNegotiation: { mode } });
        closeAfterTest(client);
        await client.connect(new StreamableHTTPClientTransport(http.url, { requestInit: { headers: auth } }));
        expect(client.getProtocolEra()).toBe(mode === 'auto' ? 'modern' : 'legacy');
        const r = await client.callTool({ name: 'streaming_search_docs', arguments: { query: 'customer-managed key' } });
        expect(r.isError).toBeFalsy();
    });

    it('serves every feature to a 2026-07-28 client, each request on a server of its own, as a 2025 session does', async () => {
        const answers = async (mode: 'auto' | 'legacy') => {
            const client = new Client({ name: 't', version: '1' }, { versionNegotiation: { mode } });
            closeAfterTest(client);
            await client.connect(new StreamableHTTPClientTransport(http.url, { requestInit: { headers: auth } }));
            const uri = 'skill://acr-artifact-streaming/references/requirements.md';
            return {
                instructions: client.getInstructions(),
                capabilities: Object.keys(client.getServerCapabilities() ?? {}).sort(),
                tools: (await client.listTools()).tools.map(t => t.name),
                call: (await client.callTool({ name: 'streaming_search_docs', arguments: { query: 'premium sku' } })).structuredContent,
                resources: (await client.listResources()).resources.map(r => r.uri),
                templates: (await client.listResourceTemplates()).resourceTemplates.map(t => t.uriTemplate),
                page: (await client.readResource({ uri })).contents,
                prompts: (await client.listPrompts()).prompts.map(p => p.name),
                prompt: (await client.getPrompt({ name: 'streaming_readiness_review', arguments: { registry: 'contosoacr' } })).messages.length,
                completion: (await client.complete({ ref: { type: 'ref/resource', uri: 'skill://acr-artifact-streaming/references/{page}' }, argument: { name: 'page', value: 'req' } })).completion.values
            };
        };
        const modern = await answers('auto');
        expect(modern.tools).toContain('streaming_search_docs');
        expect(modern.completion).toEqual(['requirements.md']);
        expect(modern).toEqual(await answers('legacy'));
    });

    it('serves a 2025-era @modelcontextprotocol/sdk 1.x client with a session, and ends it on DELETE', async () => {
        const client = new V1Client({ name: 'v1', version: '1' });
        closeAfterTest(client);
        const transport = new V1HttpTransport(http.url, { requestInit: { headers: auth } });
        await client.connect(transport);
        expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
        const before = (await (await fetch(new URL('/healthz', http.url), { headers: auth })).json()) as { sessions: number };
        expect(before.sessions).toBeGreaterThanOrEqual(1);
        const { tools } = await client.listTools();
        expect(tools.length).toBeGreaterThan(0);
        await transport.terminateSession();
        const res = await raw('POST', '/mcp', { ...mcpHeaders, ...auth, 'mcp-session-id': transport.sessionId ?? 'gone' }, '{"jsonrpc":"2.0","id":2,"method":"tools/list"}');
        expect(res.status).toBe(404);
    });

    it('answers /healthz without a token', async () => {
        const res = await fetch(new URL('/healthz', http.url));
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ status: 'ok' });
    });

    it('refuses a foreign Host header (DNS rebinding) with 403', async () => {
        const res = await raw('POST', '/mcp', { ...mcpHeaders, ...auth, host: 'evil.example' }, initialize);
        expect(res.status).toBe(403);
        expect(res.body).toContain('Invalid Host');
    });

    it('accepts the host of --public-url, and still refuses any other', async () => {
        // Behind an ingress that keeps the Host (ingress-nginx does), requests arrive under the public name.
        const behind = await startHttpServer(http.app, { ...opts, port: 0, publicOrigin: 'https://MCP.contoso.example' });
        try {
            expect((await rawHttp(behind.port, 'GET', '/healthz', { host: 'mcp.contoso.example' })).status).toBe(200);
            expect((await rawHttp(behind.port, 'GET', '/healthz', { host: 'evil.example' })).status).toBe(403);
        } finally {
            await behind.close();
        }
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

    it('refuses an unauthenticated request without waiting for (or buffering) its body', async () => {
        // The body never ends: only an answer decided from the headers alone can arrive.
        const answered = new Promise<number>((resolve, reject) => {
            const req = httpRequest({ host: '127.0.0.1', port: http.port, method: 'POST', path: '/mcp', headers: { ...mcpHeaders, 'transfer-encoding': 'chunked' } }, res => {
                resolve(res.statusCode ?? 0);
                req.destroy();
            });
            req.on('error', reject);
            req.write('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"pad":"');
        });
        expect(await answered).toBe(401);
    });

    it('honours a body limit above the node adapter\'s 4 MiB default', async () => {
        const roomy = await startHttpServer(http.app, { ...opts, maxBodyBytes: 8 * 1024 * 1024, port: 0 });
        try {
            const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(5 * 1024 * 1024) } });
            const res = await fetch(roomy.url, { method: 'POST', headers: { ...mcpHeaders, ...auth }, body });
            expect(res.status).not.toBe(413);
        } finally {
            await roomy.close();
        }
    });

    it('answers 404 off /mcp', async () => {
        expect((await raw('GET', '/other', auth)).status).toBe(404);
    });
});

describe('2025-era HTTP sessions expire when idle', () => {
    it('frees sessions that saw no request for the idle time (eviction at the cap: http-session-flood.test.ts)', async () => {
        let clock = 0;
        const web = createHttpApp(http.app, { ...opts, token: undefined, maxSessions: 2, sessionIdleMs: 1000, now: () => clock });
        const post = () =>
            web.fetch(new Request('http://localhost/mcp', { method: 'POST', headers: { ...mcpHeaders, host: 'localhost' }, body: initialize }));
        try {
            expect((await post()).status).toBe(200);
            expect((await post()).status).toBe(200);
            expect(web.sessions.size()).toBe(2);
            clock += 5000;
            await web.sessions.sweep();
            expect(web.sessions.size()).toBe(0);
        } finally {
            await web.close();
        }
    });
});

describe('2025-era HTTP session expiry', () => {
    it('does not expire a session while one of its responses is still open, and does once it closes', async () => {
        let clock = 0;
        const web = createHttpApp(http.app, { ...opts, token: undefined, sessionIdleMs: 1000, now: () => clock });
        const headers = { ...mcpHeaders, host: 'localhost' };
        try {
            const init = await web.fetch(new Request('http://localhost/mcp', { method: 'POST', headers, body: initialize }));
            const sid = init.headers.get('mcp-session-id')!;
            await init.body?.cancel();
            const withSession = { ...headers, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' };
            await web.fetch(new Request('http://localhost/mcp', { method: 'POST', headers: withSession, body: INITIALIZED_BODY }));
            // The GET stream stays open as long as the client listens: that client is not idle.
            const stream = await web.fetch(new Request('http://localhost/mcp', { method: 'GET', headers: { ...withSession, accept: 'text/event-stream' } }));
            expect(stream.status).toBe(200);
            clock += 5000;
            await web.sessions.sweep();
            expect(web.sessions.size()).toBe(1);
            await stream.body!.cancel();
            clock += 5000;
            await web.sessions.sweep();
            expect(web.sessions.size()).toBe(0);
        } finally {
            await web.close();
        }
    });
});

describe('2025-era HTTP sessions under concurrency', () => {
    it('never opens more sessions than the cap, even when initialize requests arrive together', async () => {
        const web = createHttpApp(http.app, { ...opts, token: undefined, maxSessions: 2 });
        const post = () => web.fetch(new Request('http://localhost/mcp', { method: 'POST', headers: { ...mcpHeaders, host: 'localhost' }, body: initialize }));
        try {
            const statuses = (await Promise.all([post(), post(), post(), post()])).map(r => r.status).sort();
            expect(statuses).toEqual([200, 200, 503, 503]);
            expect(web.sessions.size()).toBe(2);
        } finally {
            await web.close();
        }
    });
});

describe('a failure while building the MCP server', () => {
    it('answers 500 in both eras and keeps serving, instead of an unhandled rejection', async () => {
        const broken: AppContext = { ...http.app, knowledge: { ...http.app.knowledge, skills: { attach: () => { throw new Error('boom'); } } as never } };
        const server = await startHttpServer(broken, { ...opts, token: undefined, port: 0 });
        try {
            const legacy = await fetch(server.url, { method: 'POST', headers: mcpHeaders, body: initialize });
            expect(legacy.status).toBe(500);
            expect(await legacy.text()).not.toContain('boom');
            const modern = new Client({ name: 't', version: '1' }, { versionNegotiation: { mode: 'auto' } });
            await expect(modern.connect(new StreamableHTTPClientTransport(server.url))).rejects.toMatchObject({ code: 'ERA_NEGOTIATION_FAILED', message: expect.stringMatching(/HTTP 500/) });
            expect((await fetch(new URL('/healthz', server.url))).status).toBe(200);
        } finally {
            await server.close();
        }
    });
});

describe('which Host headers are legitimate', () => {
    const lan = { eth0: [{ address: '192.168.1.20', family: 'IPv4' }, { address: 'fe80::1%eth0', family: 'IPv6' }] } as unknown as NodeJS.Dict<NetworkInterfaceInfo[]>;

    it('loopback binds accept the localhost names only', () => {
        expect(allowedHostnames('127.0.0.1', lan, 'box').sort()).toEqual(['127.0.0.1', '[::1]', 'localhost']);
    });

    it('a named bind accepts that name too, in the form Host validation compares (lowercase, IPv6 bracketed)', () => {
        expect(allowedHostnames('MyVM.internal', lan, 'box')).toContain('myvm.internal');
        expect(allowedHostnames('fd00::5', lan, 'box')).toContain('[fd00::5]');
    });

    it('a wildcard bind accepts this machine\'s addresses and name, and still no foreign name', () => {
        for (const bind of ['0.0.0.0', '::']) {
            const hosts = allowedHostnames(bind, lan, 'Build-Box');
            expect(hosts).toEqual(expect.arrayContaining(['192.168.1.20', '[fe80::1]', 'build-box', 'localhost']));
            expect(hosts).not.toContain('0.0.0.0');
        }
    });

    it('a server bound to 0.0.0.0 lets a LAN client through to the token check', async () => {
        const web = createHttpApp(http.app, { ...opts, host: '0.0.0.0' });
        const post = (host: string) => web.fetch(new Request('http://x/mcp', { method: 'POST', headers: { ...mcpHeaders, host }, body: initialize }));
        try {
            expect((await post(`${hostname()}:8765`)).status).toBe(401);
            expect((await post('evil.example:8765')).status).toBe(403);
        } finally {
            await web.close();
        }
    });
});

