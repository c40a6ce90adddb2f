/**
 * Idle and slow connections are reaped, and the number of connections is capped. Raw sockets on 127.0.0.1;
 * the server runs with small limits so each reaping is observed by polling, never by a timed assertion.
 */
import { describe, expect, it } from 'vitest';
import { INITIALIZED_BODY, initializeBody, MCP_HEADERS as mcpHeaders, rawSocket } from '../helpers/http-raw.js';
import { serveHttpForSuite } from '../helpers/http-suite.js';
import { waitFor } from '../helpers/wait-for.js';

const limits = { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300, maxConnections: 4, connectionsCheckingIntervalMs: 50 };
const opts = { host: '127.0.0.1', maxBodyBytes: 64 * 1024, maxSessions: 10, sessionIdleMs: 60_000, limits };

const http = serveHttpForSuite(opts);

const probe = (first?: string) => rawSocket(http.port, first);

const WAIT = 15_000;

/** A 2025-era session past its handshake; returns its id. */
async function openSession(): Promise<string> {
    const init = await fetch(http.url, { method: 'POST', headers: mcpHeaders, body: initializeBody() });
    await init.body?.cancel();
    const id = init.headers.get('mcp-session-id')!;
    const headers = { ...mcpHeaders, 'mcp-session-id': id, 'mcp-protocol-version': '2025-06-18' };
    await (await fetch(http.url, { method: 'POST', headers, body: INITIALIZED_BODY })).body?.cancel();
    return id;
}

describe('HTTP connection limits', () => {
    it('closes a connection that never sends a request', async () => {
        const p = await probe();
        await waitFor(() => p.closed(), WAIT, 'the silent connection to be closed');
        expect(p.received()).toMatch(/^$|^HTTP\/1\.1 408/);
    });

    it('closes a connection whose headers trickle in, with 408', async () => {
        const p = await probe('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        const drip = setInterval(() => p.socket.write('x-pad: 1\r\n'), 50);
        try {
            await waitFor(() => p.closed(), WAIT, 'the slow-header connection to be closed');
        } finally {
            clearInterval(drip);
        }
        expect(p.received()).toContain('408');
    });

    it('closes a connection whose body never completes, with 408', async () => {
        const p = await probe('POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"jsonrpc"');
        await waitFor(() => p.closed(), WAIT, 'the slow-body connection to be closed');
        expect(p.received()).toContain('408');
    });

    it('closes an idle keep-alive connection after its answer', async () => {
        const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { _meta: {} } });
        const p = await probe(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
        await waitFor(() => /^HTTP\/1\.1 \d{3}/.test(p.received()), WAIT, 'the answer');
        expect(p.received()).toMatch(/keep-alive/i);
        await waitFor(() => p.closed(), WAIT, 'the idle keep-alive connection to be closed');
    });

    it('drops connections beyond the cap, and serves again once the idle ones are reaped', async () => {
        const held = await Promise.all(Array.from({ length: limits.maxConnections }, () => probe()));
        const extra = await probe();
        await waitFor(() => extra.closed(), WAIT, 'the connection beyond the cap to be dropped');
        expect(extra.received()).toBe('');
        await waitFor(() => held.every(p => p.closed()), WAIT, 'the held connections to be reaped');
        expect((await fetch(new URL('/healthz', http.url))).status).toBe(200);
    });

    it('leaves a listening GET stream open however long it lasts (request timeouts cover receiving the request only)', async () => {
        const session = await openSession();
        const stream = await probe(`GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nMcp-Session-Id: ${session}\r\nMcp-Protocol-Version: 2025-06-18\r\n\r\n`);
        try {
            await waitFor(() => /^HTTP\/1\.1 200/.test(stream.received()), WAIT, 'the stream to open');
            // Outlive every limit: by the time two later silent connections are reaped, the stream is older than all of them.
            for (let i = 0; i < 2; i++) {
                const later = await probe();
                await waitFor(() => later.closed(), WAIT, 'a later silent connection to be reaped');
            }
            expect(stream.closed()).toBe(false);
        } finally {
            stream.socket.destroy();
        }
    });
});
