/** HTTP details of /mcp and /healthz, probed with raw sockets on 127.0.0.1 so nothing is normalised for us. */
import { describe, expect, it } from 'vitest';
import { INITIALIZED_BODY, initializeBody, rawSocket, type Probe } from '../helpers/http-raw.js';
import { serveHttpForSuite } from '../helpers/http-suite.js';
import { waitFor } from '../helpers/wait-for.js';

const TOKEN = 'test-token-0123456789abcdef';
const opts = { host: '127.0.0.1', token: TOKEN, maxBodyBytes: 64 * 1024, maxSessions: 10, sessionIdleMs: 60_000 };
const WAIT = 15_000;

const http = serveHttpForSuite(opts);

/** One raw request (or the start of one) on a new socket. */
const send = (raw: string): Promise<Probe> => rawSocket(http.port, raw);

/** Status line, headers and body of the first response once it has fully arrived (Content-Length or chunked). */
async function response(x: Probe) {
    return waitFor(() => parseResponse(x.received()), WAIT, 'a complete response');
}

function parseResponse(r: string) {
    const end = r.indexOf('\r\n\r\n');
    if (end === -1) return undefined;
    const [statusLine, ...lines] = r.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(lines.map(l => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const rest = r.slice(end + 4);
    let body: string;
    if (headers['transfer-encoding'] === 'chunked') {
        if (!rest.includes('0\r\n\r\n')) return undefined;
        body = '';
        for (let at = 0; ; ) {
            const size = parseInt(rest.slice(at, rest.indexOf('\r\n', at)), 16);
            if (!size) break;
            const start = rest.indexOf('\r\n', at) + 2;
            body += rest.slice(start, start + size);
            at = start + size + 2;
        }
    } else {
        const length = Number(headers['content-length'] ?? 0);
        if (rest.length < length) return undefined;
        body = rest.slice(0, length);
    }
    return { status: Number(statusLine!.split(' ')[1]), headers, body };
}

const initialize = initializeBody();

function post(target: string, body: string, extra = '') {
    return (
        `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1:${http.port}\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\n` +
        `Accept: application/json, text/event-stream\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`
    );
}

async function openSession(): Promise<string> {
    const r = await response(await send(post('/mcp', initialize, 'Connection: close\r\n')));
    expect(r.status).toBe(200);
    const sid = r.headers['mcp-session-id']!;
    const ack = await response(await send(post('/mcp', INITIALIZED_BODY, `Mcp-Session-Id: ${sid}\r\nMcp-Protocol-Version: 2025-06-18\r\nConnection: close\r\n`)));
    expect(ack.status).toBe(202);
    return sid;
}

describe('the listening GET stream', () => {
    it('sends its response headers at once, before any event or keep-alive', async () => {
        const sid = await openSession();
        const x = await send(`GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nAccept: text/event-stream\r\nMcp-Session-Id: ${sid}\r\nMcp-Protocol-Version: 2025-06-18\r\n\r\n`);
        try {
            const head = await waitFor(() => (x.received().includes('\r\n\r\n') ? x.received() : undefined), WAIT, 'the stream headers');
            expect(head).toMatch(/^HTTP\/1\.1 200/);
            expect(head).toMatch(/content-type: text\/event-stream/i);
            expect(head).not.toContain('keepalive');
        } finally {
            x.socket.destroy();
        }
    });
});

describe('request targets', () => {
    it('serves an absolute-form request target (RFC 9112 §3.2.2) like the origin form', async () => {
        const r = await response(await send(post(`http://127.0.0.1:${http.port}/mcp`, initialize, 'Connection: close\r\n')));
        expect(r.status).toBe(200);
        expect(r.headers['mcp-session-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('checks the authority of an absolute-form target, not the Host header, against DNS rebinding', async () => {
        const r = await response(await send(post('http://evil.example/mcp', initialize, 'Connection: close\r\n')));
        expect(r.status).toBe(403);
    });
});

describe('methods', () => {
    it.each(['PUT', 'OPTIONS', 'PATCH'])('%s on /mcp is 405 with Allow', async method => {
        const r = await response(await send(`${method} /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 0\r\n\r\n`));
        expect(r.status).toBe(405);
        expect(r.headers.allow).toBe('GET, POST, DELETE');
    });

    it('POST on /healthz is 405 with Allow', async () => {
        const r = await response(await send('POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n'));
        expect(r.status).toBe(405);
        expect(r.headers.allow).toBe('GET, HEAD');
    });
});

describe('Connection: close', () => {
    it('closes the connection after a 2025-era session answer (an SSE stream) when the client asks to', async () => {
        const sid = await openSession();
        const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
        const x = await send(post('/mcp', list, `Mcp-Session-Id: ${sid}\r\nMcp-Protocol-Version: 2025-06-18\r\nConnection: close\r\n`));
        const r = await response(x);
        expect(r.status).toBe(200);
        expect(r.headers.connection).toBe('close');
        await waitFor(() => x.closed(), WAIT, 'the server to close the connection');
    });

    it('closes the connection after a 2026-07-28 answer when the client asks to', async () => {
        const x = await send(post('/mcp', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { _meta: {} } }), 'Connection: close\r\n'));
        const r = await response(x);
        expect(r.headers.connection).toBe('close');
        await waitFor(() => x.closed(), WAIT, 'the server to close the connection');
    });
});

describe('/healthz', () => {
    it('answers status only without the token', async () => {
        const r = await response(await send('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
        expect(r.status).toBe(200);
        expect(JSON.parse(r.body)).toEqual({ status: 'ok' });
    });

    it('adds version and session count with the token', async () => {
        const r = await response(await send(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`));
        expect(JSON.parse(r.body)).toMatchObject({ status: 'ok', version: expect.any(String), sessions: expect.any(Number) });
    });
});
