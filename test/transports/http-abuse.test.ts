/**
 * Abuse and real work at the same time (issue 10, item 3): while oversized and chunked bodies, slow and idle
 * sockets, a session flood beyond the cap, foreign Host/Origin headers and missing or wrong tokens hit the
 * server, real clients of both eras (and a v1 SDK client) keep calling a tool. Each abusive request gets its
 * status; every normal call succeeds and they go on being served. The single behaviours are asserted one by
 * one in http.test.ts, http-connections.test.ts and http-session-flood.test.ts.
 */
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1HttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { initializeBody, MCP_HEADERS, rawHttp, rawSocket, type Probe } from '../helpers/http-raw.js';
import { serveHttpForSuite } from '../helpers/http-suite.js';
import { waitFor } from '../helpers/wait-for.js';

const TOKEN = 'abuse-test-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };
const CAP = 3;
const MAX_BODY = 64 * 1024;
const limits = { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300, maxConnections: 64, connectionsCheckingIntervalMs: 50 };
const WAIT = 20_000;

const http = serveHttpForSuite({ host: '127.0.0.1', token: TOKEN, maxBodyBytes: MAX_BODY, maxSessions: CAP, sessionIdleMs: 60_000, limits });

interface Worker {
    name: string;
    ok: number;
    errors: string[];
    done: Promise<void>;
    close(): Promise<void>;
}

/** A client calling streaming_search_docs in a loop until `stop()`; every outcome is recorded. */
async function worker(name: string, stop: () => boolean): Promise<Worker> {
    let call: () => Promise<{ isError?: unknown }>;
    let close: () => Promise<void>;
    if (name === 'v1 SDK') {
        const client = new V1Client({ name, version: '1' });
        await client.connect(new V1HttpTransport(http.url, { requestInit: { headers: auth } }));
        call = () => client.callTool({ name: 'streaming_search_docs', arguments: { query: 'pull secret' } }) as Promise<{ isError?: unknown }>;
        close = () => client.close();
    } else {
        const client = new Client({ name, version: '1' }, { versionNegotiation: { mode: name === '2026-07-28' ? 'auto' : 'legacy' } });
        await client.connect(new StreamableHTTPClientTransport(http.url, { requestInit: { headers: auth } }));
        call = () => client.callTool({ name: 'streaming_search_docs', arguments: { query: 'pull secret' } });
        close = () => client.close();
    }
    const w: Worker = { name, ok: 0, errors: [], done: Promise.resolve(), close: () => close().catch(() => undefined) };
    w.done = (async () => {
        while (!stop()) {
            try {
                const r = await call();
                if (r.isError) w.errors.push(JSON.stringify(r).slice(0, 300));
                else w.ok++;
            } catch (e) {
                w.errors.push(String(e));
            }
        }
    })();
    return w;
}

/** A request whose headers trickle in, one line every 50 ms, until the server gives up on it. */
async function slowHeaders(): Promise<Probe> {
    const p = await rawSocket(http.port, 'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const drip = setInterval(() => (p.closed() ? clearInterval(drip) : p.socket.write('x-pad: 1\r\n')), 50);
    return p;
}

/** An unauthenticated POST whose body never ends: the answer can only come from the headers. */
function unauthenticatedEndlessBody(): Promise<number> {
    return new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: http.port, method: 'POST', path: '/mcp', headers: { ...MCP_HEADERS, 'transfer-encoding': 'chunked' } }, res => {
            resolve(res.statusCode ?? 0);
            req.destroy();
        });
        req.on('error', reject);
        req.write('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"pad":"');
    });
}

const times = <T>(n: number, f: () => Promise<T>) => Promise.all(Array.from({ length: n }, f));

describe('abuse while real clients work', () => {
    it('refuses each abusive request with its status, and every normal call of both eras succeeds throughout', async () => {
        let stopped = false;
        const workers = await Promise.all(['2026-07-28', '2025 session', 'v1 SDK'].map(n => worker(n, () => stopped)));
        try {
            await waitFor(() => workers.every(w => w.ok > 0), WAIT, 'every client to be served once');
            const before = workers.map(w => w.ok);

            // Sockets that hog the server: silent, trickling headers, a body that never completes.
            const hogs = [
                ...(await times(10, () => rawSocket(http.port))),
                ...(await times(3, slowHeaders)),
                ...(await times(3, () => rawSocket(http.port, `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"jsonrpc"`)))
            ];
            const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(2 * MAX_BODY) } });
            const statuses = (rs: { status: number }[]) => rs.map(r => r.status);
            const [oversized, chunked, flood, host, origin, missing, wrong, endless] = await Promise.all([
                times(3, () => rawHttp(http.port, 'POST', '/mcp', { ...MCP_HEADERS, ...auth }, big)),
                times(3, () => rawHttp(http.port, 'POST', '/mcp', { ...MCP_HEADERS, ...auth, 'transfer-encoding': 'chunked' }, big)),
                times(CAP * 4, () => rawHttp(http.port, 'POST', '/mcp', { ...MCP_HEADERS, ...auth }, initializeBody('flood'))),
                times(3, () => rawHttp(http.port, 'POST', '/mcp', { ...MCP_HEADERS, ...auth, host: 'evil.example' }, initializeBody())),
                times(3, () => rawHttp(http.port, 'POST', '/mcp', { ...MCP_HEADERS, ...auth, origin: 'http://evil.example' }, initializeBody())),
                times(3, () => rawHttp(http.port, 'POST', '/mcp', MCP_HEADERS, initializeBody())),
                times(3, () => rawHttp(http.port, 'POST', '/mcp', { ...MCP_HEADERS, Authorization: `Bearer ${TOKEN}x` }, initializeBody())),
                times(3, unauthenticatedEndlessBody)
            ]);
            expect(statuses(oversized)).toEqual([413, 413, 413]);
            expect(statuses(chunked)).toEqual([413, 413, 413]);
            // Beyond the cap a newcomer evicts an idle, never-used session: the flood gets in, the workers stay.
            expect(new Set(statuses(flood))).toEqual(new Set([200]));
            expect(statuses(host)).toEqual([403, 403, 403]);
            expect(statuses(origin)).toEqual([403, 403, 403]);
            expect(statuses(missing)).toEqual([401, 401, 401]);
            expect(statuses(wrong)).toEqual([401, 401, 401]);
            expect(endless).toEqual([401, 401, 401]);

            await waitFor(() => hogs.every(p => p.closed()), WAIT, 'the silent and slow sockets to be cut');
            // The two request timeouts answer 408; a socket that never sent a byte may be closed silently.
            for (const p of hogs.slice(10)) expect(p.received()).toContain('408');
            for (const p of hogs.slice(0, 10)) expect(p.received()).toMatch(/^$|^HTTP\/1\.1 408/);

            // Still serving every client, the 2025-era sessions included.
            await waitFor(() => workers.every((w, i) => w.ok >= (before[i] ?? 0) + 3), WAIT, 'every client to be served again');
        } finally {
            stopped = true;
            await Promise.all(workers.map(w => w.done));
            await Promise.all(workers.map(w => w.close()));
        }
        expect(workers.map(w => ({ name: w.name, errors: w.errors }))).toEqual(workers.map(w => ({ name: w.name, errors: [] })));
    });
});
