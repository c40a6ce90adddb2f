/**
 * Streamable HTTP at /mcp for both protocol eras (modern: stateless per request; 2025-era: sessions),
 * plus /healthz. Guards run before any MCP code: Host/Origin against DNS rebinding, an optional static
 * bearer token compared in constant time, and a request body limit.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
    createMcpHandler,
    hostHeaderValidationResponse,
    isLegacyRequest,
    localhostAllowedHostnames,
    localhostAllowedOrigins,
    originValidationResponse
} from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { AppContext } from '../app-context.js';
import { isLoopback } from '../config.js';
import { createServer } from '../server.js';
import { PACKAGE_VERSION } from '../version.js';
import { createSessionStore } from './http-sessions.js';

export interface HttpAppOptions {
    host: string;
    token?: string;
    maxBodyBytes: number;
    maxSessions: number;
    sessionIdleMs: number;
    /** Clock for session expiry (tests). */
    now?: () => number;
}

export function httpOptionsFrom(app: AppContext): HttpAppOptions {
    const c = app.config;
    return {
        host: c.host,
        token: c.httpToken,
        maxBodyBytes: c.httpMaxBodyBytes,
        maxSessions: c.httpMaxSessions,
        sessionIdleMs: c.httpSessionIdleSeconds * 1000
    };
}

/** The web-standard face of the server: usable in-process (tests) and behind node:http (startHttpServer). */
export function createHttpApp(app: AppContext, opts: HttpAppOptions) {
    const onerror = (e: Error) => app.log.warn(`http: ${e.message}`);
    const modern = createMcpHandler(() => createServer(app), { legacy: 'reject', onerror, maxRequestBodySize: opts.maxBodyBytes });
    const sessions = createSessionStore({
        maxSessions: opts.maxSessions,
        idleMs: opts.sessionIdleMs,
        createServer: () => createServer(app),
        onerror,
        now: opts.now
    });
    // A bound host name is a legitimate Host header too (e.g. --host myvm.internal with a token).
    const allowedHosts = [...new Set([...localhostAllowedHostnames(), ...(isLoopback(opts.host) ? [] : [opts.host])])];
    const allowedOrigins = localhostAllowedOrigins();
    const tokenDigest = opts.token ? sha256(opts.token) : undefined;

    async function fetch(request: Request): Promise<Response> {
        const rejected = hostHeaderValidationResponse(request, allowedHosts) ?? originValidationResponse(request, allowedOrigins);
        if (rejected) return rejected;
        const path = new URL(request.url).pathname;
        if (path === '/healthz') return Response.json({ status: 'ok', version: PACKAGE_VERSION, sessions: sessions.size() });
        if (path !== '/mcp') return new Response('Not found. The MCP endpoint is /mcp.', { status: 404 });
        if (tokenDigest && !bearerMatches(request.headers.get('authorization'), tokenDigest)) {
            return new Response(JSON.stringify({ error: 'invalid_token', error_description: 'Missing or wrong bearer token.' }), {
                status: 401,
                headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"' }
            });
        }
        const declared = Number(request.headers.get('content-length') ?? '0');
        if (declared > opts.maxBodyBytes) return tooLarge(opts.maxBodyBytes);
        let routed = request;
        if (request.method === 'POST') {
            // Read the body ourselves under the limit: a chunked body has no Content-Length to check.
            const body = await readLimited(request, opts.maxBodyBytes);
            if (body === undefined) return tooLarge(opts.maxBodyBytes);
            // Keep the signal: it is how a modern client's disconnect (its cancellation) reaches the tool.
            routed = new Request(request.url, { method: 'POST', headers: request.headers, body: new Uint8Array(body), signal: request.signal });
        }
        const legacy = request.headers.has('mcp-session-id') || (await isLegacyRequest(routed, undefined, { maxRequestBodySize: opts.maxBodyBytes }));
        return legacy ? sessions.handle(routed) : modern.fetch(routed);
    }

    return {
        fetch,
        sessions,
        close: async () => {
            await sessions.close();
            await modern.close();
        }
    };
}

export async function startHttpServer(app: AppContext, opts: HttpAppOptions & { port: number }) {
    const web = createHttpApp(app, opts);
    const node = toNodeHandler(web);
    const server = createHttpServer((req, res) => void node(req, res));
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port, opts.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const shownHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
    return {
        url: new URL(`http://${shownHost}:${port}/mcp`),
        port,
        close: async () => {
            await web.close();
            server.closeAllConnections();
            await new Promise<void>(resolve => server.close(() => resolve()));
        }
    };
}

function sha256(text: string): Buffer {
    return createHash('sha256').update(text).digest();
}

/** Hashing both sides first makes the comparison constant-time regardless of the presented length. */
function bearerMatches(header: string | null, expected: Buffer): boolean {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    return m !== null && timingSafeEqual(sha256(m[1]!), expected);
}

function tooLarge(limit: number): Response {
    return Response.json(
        { jsonrpc: '2.0', error: { code: -32600, message: `Request body larger than ${limit} bytes.` }, id: null },
        { status: 413 }
    );
}

async function readLimited(request: Request, limit: number): Promise<Buffer | undefined> {
    if (!request.body) return Buffer.alloc(0);
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = request.body.getReader();
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > limit) {
            await reader.cancel().catch(() => undefined);
            return undefined;
        }
        chunks.push(value);
    }
    return Buffer.concat(chunks);
}
