/**
 * The one raw HTTPS request of the tests, for what an SDK client would hide (exact status, headers, chunked
 * bodies, the TLS server name). TLS is verified against `ca`, never turned off.
 */
import * as https from 'node:https';

export interface HttpResult {
    status: number;
    /** Lower-case names; repeated headers joined with ", ". */
    headers: Record<string, string>;
    body: Buffer;
    /** The body as UTF-8. */
    text: string;
}

export interface HttpsRequestOptions {
    ca?: string | Buffer;
    headers?: Record<string, string>;
    /** Sent with a Content-Length. */
    body?: Buffer | string;
    /** Sent in these writes, without a Content-Length (chunked). */
    chunks?: Buffer[];
    /** TLS server name and Host header, e.g. a registry's real login server on a 127.0.0.1 listener. */
    servername?: string;
}

export function httpsRequest(url: string, method: string, opts: HttpsRequestOptions = {}): Promise<HttpResult> {
    const body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
    const headers = {
        ...(opts.servername ? { host: opts.servername } : {}),
        ...(opts.headers ?? {}),
        ...(body ? { 'content-length': String(body.length) } : {})
    };
    return new Promise((resolve, reject) => {
        const req = https.request(url, { method, ca: opts.ca, headers, ...(opts.servername ? { servername: opts.servername } : {}) }, res => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
                const h: Record<string, string> = {};
                for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(', ') : v;
                const all = Buffer.concat(chunks);
                resolve({ status: res.statusCode ?? 0, headers: h, body: all, text: all.toString('utf8') });
            });
            res.on('error', reject);
        });
        req.on('error', reject);
        for (const c of opts.chunks ?? []) req.write(c);
        req.end(body);
    });
}
