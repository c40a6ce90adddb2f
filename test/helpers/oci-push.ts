/**
 * A small docker-less OCI client for tests: pushes an image with the distribution push protocol
 * (HEAD blob → POST upload → PUT ?digest= → PUT manifest) and reads manifests/blobs back. It speaks the
 * Docker token flow by itself (401 challenge → GET realm with Basic credentials → Bearer), as skopeo
 * does after `az acr login --expose-token`, so it works both against a plain docker-registry and
 * against the sandbox's ACR front. TLS is verified against `ca`.
 */
import { createHash } from 'node:crypto';
import { httpsRequest, type HttpResult } from './https.js';

export interface OciTarget {
    /** e.g. https://127.0.0.1:5443 */
    baseUrl: string;
    ca?: string | Buffer;
    /** Basic credentials for the token realm (ACR: 00000000-0000-0000-0000-000000000000 + refresh token). */
    credentials?: { username: string; password: string };
    /** A fixed Authorization header instead (e.g. `Bearer <access token>`). */
    authorization?: string;
}

export const sha256 = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Parses `Bearer realm="…",service="…",scope="…"`. */
export function parseChallenge(header: string | undefined): Record<string, string> | undefined {
    if (!header || !/^Bearer\s/i.test(header)) return undefined;
    const out: Record<string, string> = {};
    for (const [, key, value] of header.matchAll(/(\w+)="([^"]*)"/g)) if (key !== undefined && value !== undefined) out[key] = value;
    return out;
}

/** One request with the token dance: a 401 challenge is answered once via the realm, then retried. */
export async function ociRequest(t: OciTarget, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<HttpResult> {
    const url = new URL(path, t.baseUrl).toString();
    const auth: Record<string, string> = t.authorization ? { authorization: t.authorization } : {};
    const first = await httpsRequest(url, method, { ca: t.ca, headers: { ...headers, ...auth }, body });
    const ch = parseChallenge(first.headers['www-authenticate']);
    if (first.status !== 401 || !ch || !t.credentials || !ch.realm) return first;
    const realm = new URL(ch.realm);
    if (ch.service) realm.searchParams.set('service', ch.service);
    if (ch.scope) realm.searchParams.set('scope', ch.scope);
    const basic = Buffer.from(`${t.credentials.username}:${t.credentials.password}`).toString('base64');
    const tok = await httpsRequest(realm.toString(), 'GET', { ca: t.ca, headers: { authorization: `Basic ${basic}` } });
    if (tok.status !== 200) return first;
    const parsed = JSON.parse(tok.body.toString('utf8')) as { token?: string; access_token?: string };
    const bearer = parsed.token ?? parsed.access_token;
    return httpsRequest(url, method, { ca: t.ca, headers: { ...headers, authorization: `Bearer ${bearer}` }, body });
}

export async function pushBlob(t: OciTarget, repo: string, data: Buffer): Promise<string> {
    const digest = sha256(data);
    const head = await ociRequest(t, 'HEAD', `/v2/${repo}/blobs/${digest}`);
    if (head.status === 200) return digest;
    const start = await ociRequest(t, 'POST', `/v2/${repo}/blobs/uploads/`);
    if (start.status !== 202 || !start.headers.location) throw new Error(`upload start: ${start.status} ${start.body.toString()}`);
    const loc = new URL(start.headers.location, t.baseUrl);
    loc.searchParams.set('digest', digest);
    const put = await ociRequest(t, 'PUT', `${loc.pathname}${loc.search}`, { 'content-type': 'application/octet-stream' }, data);
    if (put.status !== 201) throw new Error(`upload PUT: ${put.status} ${put.body.toString()}`);
    return digest;
}

export interface PushImageOptions {
    repo: string;
    tag: string;
    /** Layer contents (small; default one random-ish layer derived from repo:tag). */
    layers?: Buffer[];
    platform?: { os: string; architecture: string };
    /** Extra manifest fields, e.g. artifactType / subject / annotations for referrers. */
    extra?: Record<string, unknown>;
}

export interface PushedImage {
    digest: string;
    manifest: Buffer;
    configDigest: string;
    config: Buffer;
    layerDigests: string[];
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export async function pushImage(t: OciTarget, o: PushImageOptions): Promise<PushedImage> {
    const platform = o.platform ?? { os: 'linux', architecture: 'amd64' };
    const layers = o.layers ?? [Buffer.from(`layer of ${o.repo}:${o.tag}\n`)];
    const layerDigests: string[] = [];
    for (const l of layers) layerDigests.push(await pushBlob(t, o.repo, l));
    const config = Buffer.from(
        JSON.stringify({ ...platform, config: { Cmd: ['/bin/true'] }, rootfs: { type: 'layers', diff_ids: layerDigests } })
    );
    const configDigest = await pushBlob(t, o.repo, config);
    const manifest = Buffer.from(
        JSON.stringify({
            schemaVersion: 2,
            mediaType: OCI_MANIFEST,
            config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
            layers: layers.map((l, i) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigests[i], size: l.length })),
            ...(o.extra ?? {})
        })
    );
    const put = await ociRequest(t, 'PUT', `/v2/${o.repo}/manifests/${o.tag}`, { 'content-type': OCI_MANIFEST }, manifest);
    if (put.status !== 201) throw new Error(`manifest PUT: ${put.status} ${put.body.toString()}`);
    return { digest: put.headers['docker-content-digest'] ?? sha256(manifest), manifest, configDigest, config, layerDigests };
}
