/**
 * Forwards `/v2/{repo}/manifests|blobs|tags` to the upstream registry after the sandbox's own auth
 * check, so a real registry sits behind the ACR token front. The client's bearer token is not
 * forwarded (the upstream runs without auth); upload `Location`s pointing at the upstream are rewritten
 * to relative paths so the next request of the upload comes back through the front.
 */
import type { SandboxRequest, SandboxResponse } from '../http/types.js';
import type { UpstreamClient } from './upstream-client.js';

const REQUEST_HEADERS = ['accept', 'content-type', 'range', 'content-range'];
const RESPONSE_HEADERS = ['content-type', 'content-length', 'docker-content-digest', 'docker-distribution-api-version', 'docker-upload-uuid', 'location', 'range', 'etag', 'link', 'oci-subject'];

export async function proxyToUpstream(client: UpstreamClient, req: SandboxRequest): Promise<SandboxResponse> {
    const headers: Record<string, string> = {};
    for (const h of REQUEST_HEADERS) {
        const v = req.headers[h];
        if (typeof v === 'string') headers[h] = v;
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    // The raw (still percent-encoded) path is forwarded: distribution accepts `a%2Fb` as well as `a/b`.
    const res = await client.request(req.method, `${req.url.pathname}${req.url.search}`, headers, hasBody ? req.body : undefined);
    const out: Record<string, string> = {};
    for (const h of RESPONSE_HEADERS) if (res.headers[h] !== undefined) out[h] = res.headers[h];
    if (out.location) out.location = relativeTo(client.base, out.location);
    return { status: res.status, headers: out, body: req.method === 'HEAD' ? undefined : res.body };
}

function relativeTo(base: URL, location: string): string {
    const abs = new URL(location, base);
    return abs.origin === base.origin ? `${abs.pathname}${abs.search}` : location;
}
