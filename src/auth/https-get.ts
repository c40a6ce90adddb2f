/**
 * GET over https with an optional extra CA (a private authority, e.g. an emulator on loopback), as a
 * fetch-shaped function for jose's remote JWKS and for OpenID discovery. TLS checks stay on.
 */
import { Agent, request } from 'node:https';

export type FetchLike = (url: string, init: { headers?: Headers; signal?: AbortSignal }) => Promise<Response>;

/** Larger answers are refused: a discovery document or JWKS is a few KiB. */
const MAX_BYTES = 512 * 1024;

export function httpsFetch(caPem?: string): FetchLike {
    const agent = caPem ? new Agent({ ca: caPem, keepAlive: true }) : undefined;
    if (!agent) return (url, init) => fetch(url, { headers: init.headers, signal: init.signal, redirect: 'manual' });
    return (url, init) =>
        new Promise<Response>((resolve, reject) => {
            const req = request(url, { agent, method: 'GET', headers: Object.fromEntries(init.headers ?? []), signal: init.signal }, res => {
                const chunks: Buffer[] = [];
                let size = 0;
                res.on('data', (c: Buffer) => {
                    size += c.length;
                    if (size > MAX_BYTES) req.destroy(new Error(`answer from ${url} is larger than ${MAX_BYTES} bytes`));
                    else chunks.push(c);
                });
                res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500 })));
                res.on('error', reject);
            });
            req.on('error', reject);
            req.end();
        });
}
