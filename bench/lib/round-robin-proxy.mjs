// A small round-robin HTTP proxy on 127.0.0.1 in front of several server replicas: the one used by
// test/auth/scale-out.test.ts (imported) and by bench/scale-out.bench.mjs (as its own process, so its CPU is
// measured apart from the clients'). Each request goes to the next backend, as an L7 balancer (an ingress, a
// mesh) spreads requests; a Kubernetes Service balances per connection instead, so per request is the stricter
// case for the stateless 2026-07-28 era. It records which backend served which MCP method (the 2026-07-28
// `Mcp-Method` / `Mcp-Name` headers), so a test can show a plan and its confirmation served by different replicas.
//
// affinity 'session': a request carrying an `Mcp-Session-Id` goes to the backend whose answer issued that id
// (what ingress-nginx's `upstream-hash-by: $http_mcp_session_id` or cookie affinity achieve, deploy/README.md);
// 2025-era sessions live in one replica's memory and need it. A Service's ClientIP affinity cannot stand in
// here: every client on loopback has the same address, so it would pin them all to one replica.
//
// As a process: node bench/lib/round-robin-proxy.mjs [--affinity session] PORT... prints `listening <port>`
// on stdout; SIGTERM ends it.
import { Agent, createServer, request } from 'node:http';
import { fileURLToPath } from 'node:url';

export async function startRoundRobinProxy(backends, { affinity = 'none' } = {}) {
    let next = 0;
    const routed = [];
    /** Mcp-Session-Id → backend index, learned from the answers that issued them. */
    const sessions = new Map();
    // Connections to the replicas are kept alive and reused, as any production balancer does.
    const agent = new Agent({ keepAlive: true, maxSockets: 256 });
    const server = createServer((req, res) => {
        const session = req.headers['mcp-session-id'];
        const pinned = affinity === 'session' && typeof session === 'string' ? sessions.get(session) : undefined;
        const backend = pinned ?? next++ % backends.length;
        const port = backends[backend];
        routed.push({ backend, method: req.headers['mcp-method'], name: req.headers['mcp-name'] });
        const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${port}` }, agent }, up => {
            const issued = up.headers['mcp-session-id'];
            if (affinity === 'session' && typeof issued === 'string') sessions.set(issued, backend);
            if (req.method === 'DELETE' && typeof session === 'string') sessions.delete(session);
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
        });
        upstream.on('error', () => {
            if (!res.headersSent) res.writeHead(502);
            res.end();
        });
        // A client that goes away (a cancelled call) ends the upstream request too, as a balancer does.
        res.on('close', () => {
            if (!res.writableFinished) upstream.destroy();
        });
        req.pipe(upstream);
    });
    await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    return {
        url: new URL(`http://127.0.0.1:${port}/mcp`),
        port,
        routed,
        close: () =>
            new Promise(resolve => {
                server.closeAllConnections();
                agent.destroy();
                server.close(() => resolve());
            })
    };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    const args = process.argv.slice(2);
    const at = args.indexOf('--affinity');
    const affinity = at >= 0 ? args.splice(at, 2)[1] : 'none';
    const proxy = await startRoundRobinProxy(args.map(Number), { affinity });
    process.stdout.write(`listening ${proxy.port}\n`);
    process.once('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
}
