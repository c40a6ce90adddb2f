/** A local HTTPS server that must never be contacted: it counts connections and requests. */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCertificate } from '../../src/sandbox/tls.js';

export interface Canary {
    origin: string;
    caPem: string;
    connections: number;
    requests: string[];
    /** Optional responder (the default answers 401 with a challenge pointing back at the canary). */
    close(): Promise<void>;
}

export interface CannedResponse {
    status: number;
    headers?: Record<string, string>;
    body?: string;
}

export async function startCanary(respond?: (path: string, origin: string) => CannedResponse | Promise<CannedResponse>): Promise<Canary> {
    const cert = await createCertificate([]);
    const state = { connections: 0, requests: [] as string[] };
    let origin = '';
    const server = createServer({ key: cert.keyPem, cert: cert.certPem }, async (req, res) => {
        state.requests.push(`${req.method} ${req.url}`);
        const r = (await respond?.(req.url ?? '/', origin)) ?? { status: 404 };
        if (res.destroyed) return;
        res.writeHead(r.status, r.headers ?? {});
        res.end(r.body ?? '');
    });
    server.on('connection', () => state.connections++);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        origin,
        caPem: cert.caPem,
        get connections() {
            return state.connections;
        },
        get requests() {
            return state.requests;
        },
        close: async () => {
            server.closeAllConnections();
            await new Promise<void>(resolve => server.close(() => resolve()));
            await cert.dispose();
        }
    };
}
