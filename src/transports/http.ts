/**
 * Streamable HTTP at /mcp for both protocol eras (modern: stateless per request; 2025-era: sessions),
 * plus /healthz. Guards run before any MCP code: Host/Origin against DNS rebinding, an optional static
 * bearer token compared in constant time, and a request body limit.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname as machineName, networkInterfaces } from 'node:os';
import {
    createMcpHandler,
    isLegacyRequest,
    localhostAllowedHostnames,
    localhostAllowedOrigins,
    validateHostHeader,
    validateOriginHeader
} from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import type { AppContext } from '../app-context.js';
import type { Caller } from '../auth/caller.js';
import { AuthFailure, type EntraValidator } from '../auth/entra-validator.js';
import { challengeHeader, METADATA_PATHS, protectedResourceMetadata } from '../auth/protected-resource.js';
import { isLoopback } from '../config.js';
import { authInfoOf, callerFromAuthInfo } from '../auth/caller.js';
import { createServer, featuresFor } from '../server.js';
import { PACKAGE_VERSION } from '../version.js';
import { DEFAULT_HTTP_LIMITS, nodeServerOptions, type HttpLimits } from './http-limits.js';
import { finishResponse, forbidden, forbiddenScope, methodNotAllowed, readLimited, sendEarly, tooLarge, unauthorized } from './http-responses.js';
import { createSessionStore } from './http-sessions.js';

/** Streamable HTTP uses POST (messages), GET (the listening stream) and DELETE (end a session). */
const MCP_METHODS = ['GET', 'POST', 'DELETE'] as const;
const HEALTH_METHODS = ['GET', 'HEAD'] as const;

export interface HttpAppOptions {
    host: string;
    token?: string;
    /** --auth entra: every /mcp request carries an Entra access token validated here (docs/team-server.md). */
    entra?: EntraValidator;
    /** The origin clients reach us at (--public-url), for the OAuth metadata; default http://<Host>. */
    publicOrigin?: string;
    /** More Host names to accept (--allowed-host: e.g. a Kubernetes Service's DNS names), lowercase. */
    allowedHosts?: readonly string[];
    maxBodyBytes: number;
    maxSessions: number;
    sessionIdleMs: number;
    /** Connection timeouts and cap of the node:http listener (small values in tests). */
    limits?: Partial<HttpLimits>;
    /** Clock for session expiry (tests). */
    now?: () => number;
}

export function httpOptionsFrom(app: AppContext): HttpAppOptions {
    const c = app.config;
    return {
        host: c.host,
        token: c.httpToken,
        entra: app.entra,
        publicOrigin: c.publicUrl ? new URL(c.publicUrl).origin : undefined,
        allowedHosts: c.allowedHost,
        maxBodyBytes: c.httpMaxBodyBytes,
        maxSessions: c.httpMaxSessions,
        sessionIdleMs: c.httpSessionIdleSeconds * 1000
    };
}

/** The web-standard face of the server: usable in-process (tests) and behind node:http (startHttpServer). */
export function createHttpApp(app: AppContext, opts: HttpAppOptions) {
    const onerror = (e: Error) => app.log.warn(`http: ${e.message}`);
    // Each 2026-07-28 request gets a server of its own, with only what its method needs (featuresFor).
    const methods = new WeakMap<Request, unknown>();
    const modern = createMcpHandler(
        ctx => createServer(app, callerFromAuthInfo(ctx.authInfo), featuresFor(ctx.requestInfo && methods.get(ctx.requestInfo))),
        { legacy: 'reject', onerror, maxRequestBodySize: opts.maxBodyBytes }
    );
    const sessions = createSessionStore({
        maxSessions: opts.maxSessions,
        idleMs: opts.sessionIdleMs,
        maxBodyBytes: opts.maxBodyBytes,
        createServer: caller => createServer(app, caller),
        onerror,
        log: app.log,
        now: opts.now
    });
    // The public URL's host too: behind an ingress that keeps Host (deploy/README.md) requests arrive under it;
    // and the names in-cluster clients call the Service by (--allowed-host), which no bind address implies.
    const allowedHosts = [...allowedHostnames(opts.host), ...(opts.publicOrigin ? [new URL(opts.publicOrigin).hostname] : []), ...(opts.allowedHosts ?? [])];
    const allowedOrigins = localhostAllowedOrigins();
    const tokenDigest = opts.token ? sha256(opts.token) : undefined;

    /**
     * Everything that can be decided from the request line and headers alone: refusals (Host, Origin, path,
     * token, declared size) and /healthz. startHttpServer runs it before reading any body byte, so an
     * unauthenticated or foreign request never makes us buffer a body. `undefined` means: serve MCP.
     */
    async function answerFromHeaders(method: string, path: string, headers: Headers): Promise<Response | undefined> {
        const decided = await decide(method, path, headers);
        return decided instanceof Response ? decided : undefined;
    }

    /** The header decisions; when MCP may be served, the signed-in caller (--auth entra) comes back. */
    async function decide(method: string, path: string, headers: Headers): Promise<Response | { caller?: Caller }> {
        const host = validateHostHeader(headers.get('host'), allowedHosts);
        if (!host.ok) return forbidden(host.message);
        const origin = validateOriginHeader(headers.get('origin'), allowedOrigins);
        if (!origin.ok) return forbidden(origin.message);
        const publicOrigin = opts.publicOrigin ?? `http://${headers.get('host') ?? 'localhost'}`;
        if (opts.entra && (METADATA_PATHS as readonly string[]).includes(path)) {
            if (!(HEALTH_METHODS as readonly string[]).includes(method)) return methodNotAllowed(HEALTH_METHODS);
            return Response.json(protectedResourceMetadata(publicOrigin, opts.entra), { headers: { 'cache-control': 'max-age=3600' } });
        }
        const signedIn = opts.entra ? await signIn(opts.entra, headers.get('authorization'), publicOrigin) : undefined;
        const authorized = opts.entra ? !(signedIn instanceof Response) : !tokenDigest || bearerMatches(headers.get('authorization'), tokenDigest);
        if (path === '/healthz') {
            if (!(HEALTH_METHODS as readonly string[]).includes(method)) return methodNotAllowed(HEALTH_METHODS);
            // Unauthenticated for probes, so status only; details for whoever may use /mcp anyway.
            return Response.json(authorized ? { status: 'ok', version: PACKAGE_VERSION, sessions: sessions.size() } : { status: 'ok' });
        }
        if (path !== '/mcp') return new Response('Not found. The MCP endpoint is /mcp.', { status: 404 });
        if (!(MCP_METHODS as readonly string[]).includes(method)) return methodNotAllowed(MCP_METHODS);
        if (signedIn instanceof Response) return signedIn;
        if (!authorized) return unauthorized();
        if (Number(headers.get('content-length') ?? '0') > opts.maxBodyBytes) return tooLarge(opts.maxBodyBytes);
        return signedIn ? { caller: signedIn } : {};
    }

    async function fetch(request: Request): Promise<Response> {
        // Repeated behind node:http (startHttpServer checked already): a few header comparisons, kept so this
        // fetch face is safe on its own, e.g. in-process in tests or behind another adapter.
        const decided = await decide(request.method, new URL(request.url).pathname, request.headers);
        if (decided instanceof Response) return decided;
        const { caller } = decided;
        let routed = request;
        let parsedBody: unknown;
        if (request.method === 'POST') {
            // Read the body ourselves under the limit: a chunked body has no Content-Length to check.
            const body = await readLimited(request, opts.maxBodyBytes);
            if (body === undefined) return tooLarge(opts.maxBodyBytes);
            // Parsed once here and handed on as `parsedBody`: otherwise the SDK clones, reads and parses the body
            // again for the era check and once more to serve it. A body that is not JSON goes on as bytes, so
            // the SDK gives its own answer (parse error, or the 2025-era fallback) exactly as before.
            parsedBody = parseJson(body);
            // Keep the signal: it is how a modern client's disconnect (its cancellation) reaches the tool.
            if (parsedBody === undefined) routed = new Request(request.url, { method: 'POST', headers: request.headers, body: new Uint8Array(body), signal: request.signal });
        }
        const legacy = request.headers.has('mcp-session-id') || (await isLegacyRequest(routed, parsedBody, { maxRequestBodySize: opts.maxBodyBytes }));
        const authInfo = caller ? authInfoOf(caller) : undefined;
        const options = { ...(authInfo ? { authInfo } : {}), ...(parsedBody !== undefined ? { parsedBody } : {}) };
        if (!legacy && parsedBody !== null && typeof parsedBody === 'object') methods.set(routed, (parsedBody as { method?: unknown }).method);
        return finishResponse(request, await (legacy ? sessions.handle(routed, caller, parsedBody) : modern.fetch(routed, options)));
    }

    return {
        fetch,
        answerFromHeaders,
        sessions,
        close: async () => {
            await sessions.close();
            await modern.close();
        }
    };
}

export async function startHttpServer(app: AppContext, opts: HttpAppOptions & { port: number }) {
    const web = createHttpApp(app, opts);
    // The adapter buffers the body before calling web.fetch, under its own limit (4 MiB unless told).
    const node = toNodeHandler(web, { maxRequestBodySize: opts.maxBodyBytes, onerror: e => app.log.error(`http: ${e.message}`) });
    const limits = { ...DEFAULT_HTTP_LIMITS, ...opts.limits };
    const server = createHttpServer(nodeServerOptions(limits), (req, res) => {
        if (!toOriginForm(req)) {
            void sendEarly(res, new Response('Bad request target: use /mcp or http://host:port/mcp.', { status: 400 }));
            return;
        }
        void web.answerFromHeaders(req.method ?? 'GET', new URL(req.url ?? '/', 'http://localhost').pathname, nodeHeaders(req.headers)).then(
            early => (early ? sendEarly(res, early) : node(req, res)),
            (e: unknown) => {
                app.log.error(`http: ${(e as Error).message}`);
                res.destroy();
            }
        );
    });
    server.maxConnections = limits.maxConnections;
    await new Promise<void>((resolve, reject) => {
        server.once('error', (e: NodeJS.ErrnoException) => reject(listenError(e, opts.host, opts.port)));
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

/**
 * Host names a legitimate request may carry (DNS-rebinding defence: a rebound page sends the attacker's
 * name). Loopback binds accept the localhost names only. A named or addressed bind adds that name. A
 * wildcard bind (0.0.0.0, ::) has no single name, so it adds this machine's interface addresses and host
 * name: LAN clients that connect by address work, while a rebinding page's foreign name is still refused.
 * Non-loopback binds always require the bearer token as well (config.ts), which a rebinding page lacks.
 */
export function allowedHostnames(host: string, interfaces = networkInterfaces(), name = machineName()): string[] {
    const extra: string[] = [];
    if (host === '0.0.0.0' || host === '::') {
        for (const list of Object.values(interfaces)) for (const i of list ?? []) extra.push(i.address);
        extra.push(name);
    } else if (!isLoopback(host)) {
        extra.push(host);
    }
    // The same normal form validateHostHeader compares: lowercase, IPv6 in brackets, no zone index.
    const normal = extra.flatMap(h => {
        try {
            return [new URL(`http://${h.includes(':') ? `[${h.replace(/%.*$/, '')}]` : h}`).hostname];
        } catch {
            return [];
        }
    });
    return [...new Set([...localhostAllowedHostnames(), ...normal])];
}

/**
 * An absolute-form target (`POST http://127.0.0.1:8080/mcp`, as proxies send) becomes origin form, and its
 * authority replaces Host, as RFC 9112 §3.2.2 requires: so Host validation checks the authority the client
 * named, and the adapter, which glues Host and target together, builds a valid URL. False: not a usable target.
 */
function toOriginForm(req: IncomingMessage): boolean {
    const target = req.url ?? '/';
    if (target.startsWith('/')) return true;
    if (!/^https?:\/\//i.test(target)) return false;
    try {
        const url = new URL(target);
        req.url = url.pathname + url.search;
        req.headers.host = url.host;
        return true;
    } catch {
        return false;
    }
}

/** The Entra token step: the caller, or the 401/403 whose challenge points at our metadata (RFC 9728 §5.1). */
async function signIn(entra: EntraValidator, header: string | null, publicOrigin: string): Promise<Caller | Response> {
    const [, token] = /^Bearer\s+(\S+)$/i.exec(header ?? '') ?? [];
    if (token === undefined) return unauthorized(challengeHeader(publicOrigin), 'Sign in: this server needs a Microsoft Entra access token.');
    try {
        return await entra.validate(token);
    } catch (e) {
        if (!(e instanceof AuthFailure)) throw e;
        if (e.error === 'temporarily_unavailable') {
            return Response.json({ error: e.error, error_description: e.message }, { status: 503, headers: { 'retry-after': '5' } });
        }
        const header = challengeHeader(publicOrigin, { error: e.error, message: e.message }, entra.scopes);
        return e.error === 'insufficient_scope' ? forbiddenScope(header, e.message) : unauthorized(header, e.message);
    }
}

/** The body as JSON, or `undefined` when it is empty or not JSON (the SDK then reads the bytes and answers). */
function parseJson(body: Buffer): unknown {
    if (body.length === 0) return undefined;
    try {
        return JSON.parse(body.toString('utf8')) as unknown;
    } catch {
        return undefined;
    }
}

function nodeHeaders(raw: IncomingHttpHeaders): Headers {
    const headers = new Headers();
    for (const [name, value] of Object.entries(raw)) {
        if (value === undefined || name.startsWith(':')) continue;
        for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    return headers;
}

function sha256(text: string): Buffer {
    return createHash('sha256').update(text).digest();
}

/** Hashing both sides first makes the comparison constant-time regardless of the presented length. */
function bearerMatches(header: string | null, expected: Buffer): boolean {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    return m !== null && timingSafeEqual(sha256(m[1]!), expected);
}

/** The two listen failures a user can fix themselves, said in their terms. */
function listenError(e: NodeJS.ErrnoException, host: string, port: number): Error {
    if (e.code === 'EADDRINUSE') return new Error(`cannot listen on ${host}:${port}: the port is already in use; pass another --port (0 picks a free one)`);
    if (e.code === 'EADDRNOTAVAIL') return new Error(`cannot listen on ${host}:${port}: ${host} is not an address of this machine; check --host`);
    if (e.code === 'EACCES') return new Error(`cannot listen on ${host}:${port}: permission denied (ports below 1024 need privileges); pass another --port`);
    return e;
}
