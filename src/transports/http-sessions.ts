/**
 * Sessionful serving for 2025-era HTTP clients. createMcpHandler serves them stateless only, which loses
 * elicitation, cancellation and logging levels; with one transport + server per session they work.
 * Sessions are capped and expire when idle so a client that never sends DELETE cannot exhaust memory.
 */
import { randomUUID } from 'node:crypto';
import { WebStandardStreamableHTTPServerTransport, type McpServer } from '@modelcontextprotocol/server';

interface Session {
    transport: WebStandardStreamableHTTPServerTransport;
    server: McpServer;
    lastSeen: number;
}

export interface SessionStoreOptions {
    maxSessions: number;
    idleMs: number;
    createServer: () => McpServer;
    onerror: (e: Error) => void;
    now?: () => number;
}

export function createSessionStore(opts: SessionStoreOptions) {
    const now = opts.now ?? Date.now;
    const sessions = new Map<string, Session>();

    const drop = async (id: string) => {
        const s = sessions.get(id);
        if (!s) return;
        sessions.delete(id);
        await s.transport.close().catch(() => undefined);
        await s.server.close().catch(() => undefined);
    };

    const sweep = async () => {
        const cutoff = now() - opts.idleMs;
        for (const [id, s] of sessions) if (s.lastSeen < cutoff) await drop(id);
    };
    const timer = setInterval(() => void sweep(), Math.max(1000, Math.min(opts.idleMs / 2, 60_000)));
    timer.unref();

    const jsonError = (status: number, code: number, message: string) =>
        Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status });

    async function handle(request: Request): Promise<Response> {
        const sid = request.headers.get('mcp-session-id');
        if (sid) {
            const s = sessions.get(sid);
            if (!s) return jsonError(404, -32001, 'Session not found or expired: reconnect (send initialize again).');
            s.lastSeen = now();
            return s.transport.handleRequest(request);
        }
        if (request.method !== 'POST') return jsonError(400, -32000, 'Missing Mcp-Session-Id header.');
        await sweep();
        if (sessions.size >= opts.maxSessions) {
            return jsonError(503, -32000, `Too many open sessions (limit ${opts.maxSessions}); close one or try again later.`);
        }
        const server = opts.createServer();
        const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
            sessionIdGenerator: () => randomUUID(),
            onsessioninitialized: id => void sessions.set(id, { transport, server, lastSeen: now() }),
            onsessionclosed: id => void drop(id)
        });
        transport.onerror = opts.onerror;
        await server.connect(transport);
        const response = await transport.handleRequest(request);
        // A request that did not open a session (e.g. a stray notification) leaves nothing behind.
        if (!transport.sessionId) await server.close().catch(() => undefined);
        return response;
    }

    return {
        handle,
        size: () => sessions.size,
        sweep,
        close: async () => {
            clearInterval(timer);
            for (const id of [...sessions.keys()]) await drop(id);
        }
    };
}
