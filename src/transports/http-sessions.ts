/**
 * Sessionful serving for 2025-era HTTP clients. createMcpHandler serves them stateless only, which loses
 * elicitation, cancellation and logging levels; with one transport + server per session they work.
 * Sessions are capped and expire when idle (no request for idleMs and no response still open, so a long
 * tool call or a listening GET stream is not cut off) so a client that never sends DELETE cannot exhaust memory.
 * At the cap a newcomer is not refused while some session is idle: the idlest one is evicted (sessions that
 * never got past `initialize` first, then the least recently used), so a flood of bare `initialize` requests
 * cannot lock real clients out. An evicted client's next request gets 404, which tells a 2025-era client to
 * start a new session (spec: basic/transports, "Session Management"). Only when every session has a response
 * open is the newcomer refused with 503.
 */
import { randomUUID } from 'node:crypto';
import { WebStandardStreamableHTTPServerTransport, type McpServer } from '@modelcontextprotocol/server';
import { authInfoOf, type Caller } from '../auth/caller.js';

interface Session {
    transport: WebStandardStreamableHTTPServerTransport;
    server: McpServer;
    lastSeen: number;
    /** Requests whose response is still open (a running tool's SSE answer, the GET stream): not idle. */
    open: number;
    /** Any request after `initialize`: a flood's sessions never get one, so they are evicted first. */
    used: boolean;
    /** --auth entra: the oid of the user who opened it; nobody else may use it. */
    owner?: string;
}

/** Evicting a session with no response open loses nothing in flight; unused ones go before used ones. */
function evictionOrder(a: Session, b: Session): number {
    return Number(a.used) - Number(b.used) || a.lastSeen - b.lastSeen;
}

/** How often a sustained flood may repeat its warning in the log (each eviction is also logged at debug). */
const EVICTION_WARN_EVERY_MS = 60_000;

export interface SessionStoreOptions {
    maxSessions: number;
    idleMs: number;
    /** Passed on to each transport, whose own default (4 MiB) would otherwise win over --http-max-body-bytes. */
    maxBodyBytes: number;
    /** The signed-in user (--auth entra) decides which tools the session's server registers. */
    createServer: (caller?: Caller) => McpServer;
    onerror: (e: Error) => void;
    log: { warn(msg: string): void; debug(msg: string): void };
    now?: () => number;
}

export function createSessionStore(opts: SessionStoreOptions) {
    const now = opts.now ?? Date.now;
    const sessions = new Map<string, Session>();
    /** Sessions being opened: counted against the cap so concurrent initialize requests cannot overshoot it. */
    let opening = 0;

    const drop = async (id: string) => {
        const s = sessions.get(id);
        if (!s) return;
        sessions.delete(id);
        await s.transport.close().catch(() => undefined);
        await s.server.close().catch(() => undefined);
    };

    const sweep = async () => {
        const cutoff = now() - opts.idleMs;
        for (const [id, s] of sessions) if (s.open === 0 && s.lastSeen < cutoff) await drop(id);
    };
    let evicted = 0;
    let warnedAt: number | undefined;
    /** Frees one slot at the cap: false when every session has a response open. */
    const evictIdlest = async (): Promise<boolean> => {
        let victim: [string, Session] | undefined;
        for (const entry of sessions) if (entry[1].open === 0 && (!victim || evictionOrder(entry[1], victim[1]) < 0)) victim = entry;
        if (!victim) return false;
        const [id, s] = victim;
        await drop(id);
        evicted++;
        const idleS = Math.round((now() - s.lastSeen) / 1000);
        opts.log.debug(`http: evicted session ${id.slice(0, 8)}… (${s.used ? 'used' : 'never used after initialize'}, idle ${idleS} s) to admit a new one`);
        if (warnedAt === undefined || now() - warnedAt >= EVICTION_WARN_EVERY_MS) {
            warnedAt = now();
            opts.log.warn(`http: session cap (${opts.maxSessions}) reached: evicted the idlest session to admit a new client (${evicted} so far); raise --http-max-sessions if real clients are being evicted`);
        }
        return true;
    };

    const timer = setInterval(() => void sweep(), Math.max(1000, Math.min(opts.idleMs / 2, 60_000)));
    timer.unref();

    const jsonError = (status: number, code: number, message: string) =>
        Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status });

    /** `parsedBody`: the JSON body when the caller has parsed it already (http.ts), so the transport does not again. */
    async function handle(request: Request, caller?: Caller, parsedBody?: unknown): Promise<Response> {
        const sid = request.headers.get('mcp-session-id');
        // Each request carries the user's current token (tools use it for on-behalf-of calls).
        const extra = caller || parsedBody !== undefined ? { ...(caller ? { authInfo: authInfoOf(caller) } : {}), ...(parsedBody !== undefined ? { parsedBody } : {}) } : undefined;
        if (sid) {
            const s = sessions.get(sid);
            // Another user's session answers as an unknown one: its existence is not revealed.
            if (!s || s.owner !== caller?.oid) return jsonError(404, -32001, 'Session not found or expired: reconnect (send initialize again).');
            s.lastSeen = now();
            s.used = true;
            s.open++;
            let response: Response;
            try {
                response = await s.transport.handleRequest(request, extra);
            } catch (e) {
                s.open--;
                throw e;
            }
            return whenFinished(response, () => {
                s.open--;
                s.lastSeen = now();
            });
        }
        if (request.method !== 'POST') return jsonError(400, -32000, 'Missing Mcp-Session-Id header.');
        await sweep();
        while (sessions.size + opening >= opts.maxSessions) {
            if (opening >= opts.maxSessions || !(await evictIdlest())) {
                return jsonError(503, -32000, `Too many open sessions (limit ${opts.maxSessions}), all with a request in progress; try again shortly.`);
            }
        }
        opening++;
        let server: McpServer | undefined;
        let transport: WebStandardStreamableHTTPServerTransport | undefined;
        try {
            server = opts.createServer(caller);
            const t: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
                sessionIdGenerator: () => randomUUID(),
                maxRequestBodySize: opts.maxBodyBytes,
                onsessioninitialized: id => void sessions.set(id, { transport: t, server: server!, lastSeen: now(), open: 0, used: false, ...(caller ? { owner: caller.oid } : {}) }),
                onsessionclosed: id => void drop(id)
            });
            transport = t;
            transport.onerror = opts.onerror;
            await server.connect(transport);
            return await transport.handleRequest(request, extra);
        } finally {
            opening--;
            // A request that did not open a session (a stray notification, or a failure) leaves nothing behind.
            if (!transport?.sessionId || !sessions.has(transport.sessionId)) await server?.close().catch(() => undefined);
        }
    }

    return {
        handle,
        size: () => sessions.size,
        ids: () => [...sessions.keys()],
        sweep,
        close: async () => {
            clearInterval(timer);
            for (const id of [...sessions.keys()]) await drop(id);
        }
    };
}

/** Calls `done` once the response body has been sent or abandoned (at once when there is no body). */
function whenFinished(response: Response, done: () => void): Response {
    if (!response.body) {
        done();
        return response;
    }
    let called = false;
    const once = () => {
        if (!called) {
            called = true;
            done();
        }
    };
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
            try {
                const { done: finished, value } = await reader.read();
                if (finished) {
                    once();
                    controller.close();
                } else {
                    controller.enqueue(value);
                }
            } catch (e) {
                once();
                controller.error(e);
            }
        },
        cancel(reason) {
            once();
            return reader.cancel(reason);
        }
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

