/**
 * The HTTPS front: one `node:https` listener per endpoint (ARM, each registry, each cluster's API server),
 * always on 127.0.0.1 and a random port. For every request it reads the body, decodes the path once,
 * applies latency, then the first matching fault, then the registry rate limit, then asks the route
 * handlers, and logs the outcome.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { endpointError, type EndpointKind } from './http/errors.js';
import { faultResponse, type Faults } from './http/faults.js';
import { nowMs, type RequestLog, type RequestLogEntry } from './http/request-log.js';
import { type SandboxHandler, type SandboxRequest, type SandboxResponse } from './http/types.js';

export interface ListenerOptions {
    /** 'arm' | 'registry:<name>' | 'kube:<cluster>' (the request log's `listener`). */
    id: string;
    kind: EndpointKind;
    /** Registry name, for faults restricted to one registry. */
    registry?: string;
    keyPem: string;
    certPem: string;
    log: RequestLog;
    faults: Faults;
    /** Read per request so tests can change it at runtime. */
    latencyMs: () => number;
    /** Registry listeners: milliseconds until the request-rate limit admits this request (0 = now). */
    rateLimit?: (method: string, path: string) => number;
    /** Read per request: handlers may be installed after listen() (the registry handler needs the origin). */
    handlers: () => SandboxHandler[];
    /** Largest request body accepted (default MAX_BODY_BYTES). */
    maxBodyBytes?: number;
}

/**
 * Every body is buffered before routing, so one request must not be able to exhaust memory. 64 MiB is
 * far above any manifest, form or test layer chunk; larger blobs are pushed in several PATCH requests.
 * Assumption: the real services' limits differ per endpoint and are not all documented.
 */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface Listener {
    origin: string;
    port: number;
    close(): Promise<void>;
}

/** Waits `ms`, resolving early (false) if the signal aborts. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(!signal.aborted);
    return new Promise(resolve => {
        const timer = setTimeout(() => {
            signal.removeEventListener('abort', onAbort);
            resolve(true);
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            resolve(false);
        };
        signal.addEventListener('abort', onAbort, { once: true });
    });
}

/** The whole body, or undefined as soon as it exceeds `limit` (the rest is never buffered). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
        req.resume(); // discard what arrives until the connection closes
        return Promise.resolve(undefined);
    }
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const onData = (c: Buffer) => {
            size += c.length;
            if (size > limit) {
                req.off('data', onData); // the stream keeps flowing: the rest is discarded
                chunks.length = 0;
                resolve(undefined);
            } else chunks.push(c);
        };
        req.on('data', onData);
        req.on('end', () => resolve(Buffer.concat(chunks)));
        req.on('error', reject);
    });
}

function decodePath(pathname: string): string {
    try {
        return decodeURIComponent(pathname);
    } catch {
        return pathname; // a malformed escape stays as sent; handlers answer 404
    }
}

function notFound(kind: EndpointKind, method: string, path: string): SandboxResponse {
    const code = kind === 'arm' ? 'InvalidResourceType' : kind === 'registry' ? 'UNSUPPORTED' : undefined;
    return endpointError(kind, 404, `The sandbox does not model ${method} ${path}.`, code);
}

function internalError(kind: EndpointKind, err: unknown): SandboxResponse {
    return endpointError(kind, 500, `Sandbox handler failed: ${(err as Error)?.message ?? String(err)}`);
}

/** Assumption: the ACR code for an oversized request is not documented; SIZE_INVALID is distribution's nearest. */
function tooLarge(kind: EndpointKind, limit: number): SandboxResponse {
    const code = kind === 'registry' ? 'SIZE_INVALID' : undefined;
    // The unread rest of the body makes the connection unusable for another request.
    return endpointError(kind, 413, `The request body exceeds the sandbox limit of ${limit} bytes.`, code, { connection: 'close' });
}

function send(res: ServerResponse, method: string, r: SandboxResponse): void {
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    let body: Buffer | undefined;
    if (r.body === undefined) body = undefined;
    else if (Buffer.isBuffer(r.body)) body = r.body;
    else if (typeof r.body === 'string') body = Buffer.from(r.body, 'utf8');
    else {
        body = Buffer.from(JSON.stringify(r.body), 'utf8');
        if (!Object.keys(headers).some(h => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json; charset=utf-8';
    }
    if (!Object.keys(headers).some(h => h.toLowerCase() === 'content-length')) headers['content-length'] = String(body?.length ?? 0);
    res.writeHead(r.status, headers);
    // Node drops the body of a HEAD answer itself; the headers (length, digest) still describe it.
    res.end(method === 'HEAD' ? undefined : body);
}

async function handle(opts: ListenerOptions, origin: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const start = nowMs();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', origin);
    const path = decodePath(url.pathname);
    let fault: RequestLogEntry['fault'];
    const gone = new AbortController();
    res.on('close', () => {
        if (!res.writableFinished) gone.abort();
    });
    let logged = false;
    let caller: string | undefined;
    const record = (status: number) => {
        if (logged) return;
        logged = true;
        const end = nowMs();
        opts.log.record({
            listener: opts.id,
            method,
            path,
            query: url.search.replace(/^\?/, ''),
            status,
            durationMs: end - start,
            start,
            end,
            ...(fault ? { fault } : {}),
            ...(caller ? { caller } : {})
        });
    };
    // Logged just before the answer is written (see reply), so a client that has its response always finds
    // it in the log ('finish' can fire after the client already parsed the answer). 'close' with nothing
    // logged is a reset or a client that went away.
    res.on('close', () => record(0));
    const reply = (r: SandboxResponse) => {
        record(r.status);
        send(res, method, r);
    };

    const limit = opts.maxBodyBytes ?? MAX_BODY_BYTES;
    const body = await readBody(req, limit);
    if (body === undefined) {
        reply(tooLarge(opts.kind, limit));
        return;
    }
    if (!(await pause(opts.latencyMs(), gone.signal))) return;

    const taken = opts.faults.take(method, path, opts.registry);
    // An `after` fault lets the handler run (the write happens) and then replaces its answer.
    const after = taken?.after && taken.action !== 'slow' ? taken : undefined;
    const f = after ? undefined : taken;
    if (f?.action === 'reset') {
        fault = 'reset';
        record(0);
        req.socket.destroy();
        return;
    }
    if (f?.action === 'slow') {
        fault = 'slow';
        if (!(await pause(f.delayMs ?? 10_000, gone.signal))) return;
    } else if (f) {
        fault = 'status';
        reply(faultResponse(opts.kind, f, { origin, ...(opts.registry ? { registry: opts.registry } : {}) }));
        return;
    }
    const waitMs = opts.rateLimit?.(method, path) ?? 0;
    if (waitMs > 0) {
        fault = 'throttled';
        // Retry-After is whole seconds (RFC 9110 delay-seconds).
        const seconds = String(Math.max(1, Math.ceil(waitMs / 1000)));
        reply(endpointError(opts.kind, 429, 'Too many requests: the registry request-rate limit of its service tier was exceeded.', undefined, { 'retry-after': seconds }));
        return;
    }

    const sreq: SandboxRequest = { method, url, path, headers: req.headers, body };
    let answer: SandboxResponse | undefined;
    try {
        for (const h of opts.handlers()) {
            answer = await h(sreq);
            if (answer) break;
        }
    } catch (e) {
        answer = internalError(opts.kind, e);
    }
    if (gone.signal.aborted) return;
    caller = sreq.caller;
    if (after?.action === 'reset') {
        fault = 'reset';
        record(0);
        req.socket.destroy();
        return;
    }
    if (after) {
        fault = 'status';
        reply(faultResponse(opts.kind, after, { origin, ...(opts.registry ? { registry: opts.registry } : {}) }));
        return;
    }
    reply(answer ?? notFound(opts.kind, method, path));
}

export async function startListener(opts: ListenerOptions): Promise<Listener> {
    const server: Server = createServer({ key: opts.keyPem, cert: opts.certPem });
    let origin = '';
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        handle(opts, origin, req, res).catch(err => {
            if (!res.headersSent && !res.destroyed) send(res, req.method ?? 'GET', internalError(opts.kind, err));
        });
    });
    // Clients that go away mid-handshake must not crash the process.
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    origin = `https://127.0.0.1:${port}`;
    return {
        origin,
        port,
        close: () =>
            new Promise<void>(resolve => {
                server.close(() => resolve());
                // Keep-alive sockets (the Azure SDK pools them) would hold close() open forever.
                server.closeAllConnections();
            })
    };
}
