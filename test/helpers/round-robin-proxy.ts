/**
 * A small round-robin HTTP proxy on 127.0.0.1 in front of several replicas, as a Kubernetes Service without
 * session affinity spreads requests: each request goes to the next backend. It records which backend served
 * which MCP method (the 2026-07-28 `Mcp-Method` / `Mcp-Name` headers), so a test can show that a plan and its
 * confirmation were served by different replicas.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Routed {
    backend: number;
    method: string | undefined;
    name: string | undefined;
}

export async function startRoundRobinProxy(backends: readonly number[]) {
    let next = 0;
    const routed: Routed[] = [];
    const server = createServer((req, res) => {
        const backend = next++ % backends.length;
        const port = backends[backend]!; // the index is taken modulo the length
        routed.push({ backend, method: req.headers['mcp-method'] as string | undefined, name: req.headers['mcp-name'] as string | undefined });
        const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${port}` } }, up => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
        });
        upstream.on('error', () => {
            if (!res.headersSent) res.writeHead(502);
            res.end();
        });
        req.pipe(upstream);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: new URL(`http://127.0.0.1:${port}/mcp`),
        routed,
        close: () =>
            new Promise<void>(resolve => {
                server.closeAllConnections();
                server.close(() => resolve());
            })
    };
}
