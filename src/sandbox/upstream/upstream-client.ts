/**
 * A minimal client for the real OCI registry behind the sandbox (Debian's docker-registry in tests).
 * TLS is verified against `caPem` (never disabled); when `caPem` is absent Node's default trust applies.
 */
import * as http from 'node:http';
import * as https from 'node:https';

export interface UpstreamOptions {
    url: string;
    caPem?: string;
}

export interface UpstreamResponse {
    status: number;
    headers: Record<string, string>;
    body: Buffer;
}

export interface UpstreamClient {
    readonly base: URL;
    request(method: string, pathAndQuery: string, headers?: Record<string, string>, body?: Buffer): Promise<UpstreamResponse>;
    close(): void;
}

export function createUpstreamClient(opts: UpstreamOptions): UpstreamClient {
    const base = new URL(opts.url);
    const secure = base.protocol === 'https:';
    const agent = secure ? new https.Agent({ keepAlive: true, ca: opts.caPem }) : new http.Agent({ keepAlive: true });
    return {
        base,
        request(method, pathAndQuery, headers = {}, body) {
            const target = new URL(pathAndQuery, base);
            const send = secure ? https.request : http.request;
            return new Promise((resolve, reject) => {
                const req = send(target, { method, agent, headers: body ? { ...headers, 'content-length': String(body.length) } : headers }, res => {
                    const chunks: Buffer[] = [];
                    res.on('data', (c: Buffer) => chunks.push(c));
                    res.on('end', () => {
                        const out: Record<string, string> = {};
                        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
                        resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) });
                    });
                    res.on('error', reject);
                });
                req.on('error', reject);
                req.end(body);
            });
        },
        close() {
            agent.destroy();
        }
    };
}
