/**
 * A flood of bare 2025-era `initialize` POSTs (sessions opened and never used) must not lock real clients
 * out: at the cap the server evicts an idle session (unused ones first, then the least recently used),
 * never one with a request in flight, and says so in the log.
 */
import { describe, expect, it } from 'vitest';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1HttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createLogger } from '../../src/log.js';
import { createHttpApp } from '../../src/transports/http.js';
import { INITIALIZED_BODY, initializeBody, MCP_HEADERS as mcpHeaders } from '../helpers/http-raw.js';
import { serveHttpForSuite } from '../helpers/http-suite.js';
import { testApp } from '../helpers/mcp.js';

const CAP = 5;
const opts = { host: '127.0.0.1', maxBodyBytes: 64 * 1024, maxSessions: CAP, sessionIdleMs: 60_000 };
const initialize = initializeBody('flood');

const logLines: string[] = [];
const http = serveHttpForSuite(opts, () => testApp({}, { log: createLogger('debug', line => logLines.push(line)) }));

async function flood(n: number) {
    const res = await Promise.all(Array.from({ length: n }, () => fetch(http.url, { method: 'POST', headers: mcpHeaders, body: initialize })));
    await Promise.all(res.map(r => r.body?.cancel()));
    return res.map(r => r.status);
}

async function v1Client() {
    const client = new V1Client({ name: 'real', version: '1' });
    const transport = new V1HttpTransport(http.url);
    await client.connect(transport);
    return { client, transport };
}

describe('a flood of bare initialize requests', () => {
    it('does not lock out the next real 2025-era client, and the log says sessions were evicted', async () => {
        const statuses = await flood(4 * CAP);
        expect(statuses.every(s => s === 200 || s === 503)).toBe(true);
        const { client } = await v1Client();
        expect((await client.listTools()).tools.length).toBeGreaterThan(0);
        await client.close();
        expect(logLines.join('\n')).toMatch(/session cap \(5\) reached: evicted/);
    });

    it('evicts the flood before a real client that is already using its session', async () => {
        const { client, transport } = await v1Client();
        const sid = transport.sessionId;
        await flood(4 * CAP);
        expect((await client.listTools()).tools.length).toBeGreaterThan(0);
        expect(transport.sessionId).toBe(sid);
        await client.close();
    });
});

describe('eviction at the session cap (in-process, own clock)', () => {
    it('evicts the least recently used idle session, answers its next request 404, and never evicts one with a response open', async () => {
        let clock = 0;
        const web = createHttpApp(http.app, { ...opts, maxSessions: 2, now: () => clock });
        const post = (body: string, headers: Record<string, string> = {}) =>
            web.fetch(new Request('http://localhost/mcp', { method: 'POST', headers: { ...mcpHeaders, host: 'localhost', ...headers }, body }));
        const open = async () => {
            const res = await post(initialize);
            await res.body?.cancel();
            expect(res.status).toBe(200);
            return { 'mcp-session-id': res.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-06-18' };
        };
        try {
            const a = await open();
            clock += 10;
            const b = await open();
            await post(INITIALIZED_BODY, a);
            clock += 10;
            await post(INITIALIZED_BODY, b);
            // a is now the least recently used: a third session takes its place.
            clock += 10;
            const c = await open();
            expect(web.sessions.size()).toBe(2);
            expect((await post(INITIALIZED_BODY, a)).status).toBe(404);
            // b listens on its GET stream, c holds nothing open: c goes, b stays.
            const stream = await web.fetch(new Request('http://localhost/mcp', { method: 'GET', headers: { ...mcpHeaders, host: 'localhost', ...b, accept: 'text/event-stream' } }));
            expect(stream.status).toBe(200);
            clock += 10;
            await open();
            expect((await post(INITIALIZED_BODY, c)).status).toBe(404);
            expect((await post(INITIALIZED_BODY, b)).status).toBe(202);
            // Every session busy: nothing may be evicted, so the newcomer waits its turn.
            const other = await web.fetch(new Request('http://localhost/mcp', { method: 'GET', headers: { ...mcpHeaders, host: 'localhost', ...(await firstOther(web, b)), accept: 'text/event-stream' } }));
            expect(other.status).toBe(200);
            expect((await post(initialize)).status).toBe(503);
            await stream.body?.cancel();
            await other.body?.cancel();
        } finally {
            await web.close();
        }
    });
});

/** The headers of the one session that is not `b` (the one opened last). */
async function firstOther(web: ReturnType<typeof createHttpApp>, b: Record<string, string>) {
    const id = web.sessions.ids().find(i => i !== b['mcp-session-id'])!;
    return { 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' };
}
