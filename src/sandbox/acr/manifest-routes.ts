/**
 * `/v2/{repo}/manifests/{reference}` (GET, HEAD, PUT, DELETE) and `/v2/{repo}/tags/list`. Manifests
 * are served byte for byte as stored, so `Docker-Content-Digest` is the sha256 of what the client reads.
 */
import { json, type SandboxRequest, type SandboxResponse } from '../http/types.js';
import type { AcrContext } from './acr-context.js';
import { acrError, digestInvalid, manifestUnknown, nameUnknown } from './acr-errors.js';
import { sha256 } from './content-builder.js';
import { DIGEST_RE, INDEX_MEDIA_TYPES, STREAMING_ARTIFACT_TYPE, TAG_RE } from './media-types.js';
import { byName, isResponse, linkHeader, pageOf, pageParams } from './paging.js';
import { parseManifestJson, type StoredManifest } from './registry-state.js';

export const V2_HEADERS = { 'docker-distribution-api-version': 'registry/2.0' };

/**
 * Assumption: a manifest is refused (404 MANIFEST_UNKNOWN) only when `Accept` lists manifest media
 * types and none matches; `*\/*`, `application/json` or no Accept get the stored type, so generic
 * HTTP clients still read manifests.
 */
function acceptable(req: SandboxRequest, mediaType: string): boolean {
    const accept = String(req.headers.accept ?? '')
        .split(',')
        .map(a => (a.split(';')[0] ?? '').trim().toLowerCase())
        .filter(Boolean);
    const manifestTypes = accept.filter(a => a.startsWith('application/vnd.'));
    return manifestTypes.length === 0 || accept.includes('*/*') || manifestTypes.includes(mediaType);
}

export function manifestHeaders(m: StoredManifest): Record<string, string> {
    return { ...V2_HEADERS, 'content-type': m.mediaType, 'docker-content-digest': m.digest, 'content-length': String(m.bytes.length), etag: `"${m.digest}"` };
}

export function getManifest(ctx: AcrContext, req: SandboxRequest, repoName: string, reference: string): SandboxResponse {
    const repo = ctx.state.repo(repoName);
    if (!repo) return nameUnknown(repoName);
    const m = ctx.state.resolve(repo, reference);
    if (!m) return manifestUnknown(repoName, reference);
    if (!acceptable(req, m.mediaType)) {
        return acrError(404, 'MANIFEST_UNKNOWN', `manifest of type ${m.mediaType} found, but the Accept header does not allow it`, {
            Name: repoName,
            Revision: reference
        });
    }
    return { status: 200, headers: manifestHeaders(m), body: req.method === 'HEAD' ? undefined : m.bytes };
}

/** Checks what a manifest references exists in the repository, as distribution does before storing. */
function missingReference(ctx: AcrContext, repoName: string, doc: Record<string, unknown>, mediaType: string): SandboxResponse | undefined {
    const repo = ctx.state.repo(repoName);
    const descs = (v: unknown): Array<{ digest?: unknown }> => (Array.isArray(v) ? v : []);
    if (INDEX_MEDIA_TYPES.has(mediaType)) {
        for (const d of descs(doc.manifests)) {
            if (typeof d.digest !== 'string' || !repo?.manifests.has(d.digest)) return manifestUnknown(repoName, String(d.digest));
        }
        return undefined;
    }
    const blobs = [...(doc.config ? [doc.config as { digest?: unknown }] : []), ...descs(doc.layers)];
    for (const b of blobs) {
        if (typeof b.digest !== 'string' || !repo?.blobs.has(b.digest)) {
            return acrError(400, 'MANIFEST_BLOB_UNKNOWN', 'blob unknown to registry', { digest: b.digest });
        }
    }
    return undefined;
}

export function putManifest(ctx: AcrContext, req: SandboxRequest, repoName: string, reference: string): SandboxResponse {
    const isDigest = DIGEST_RE.test(reference);
    if (!isDigest && !TAG_RE.test(reference)) return acrError(400, 'TAG_INVALID', 'manifest tag did not match URI', { tag: reference });
    const doc = parseManifestJson(req.body);
    if (!doc) return acrError(400, 'MANIFEST_INVALID', 'manifest invalid: the body is not a JSON object');
    const ctype = (String(req.headers['content-type'] ?? '').split(';')[0] ?? '').trim();
    const declared = typeof doc.mediaType === 'string' ? doc.mediaType : undefined;
    const mediaType = ctype || declared;
    if (!mediaType) return acrError(400, 'MANIFEST_INVALID', 'manifest invalid: no media type (Content-Type or mediaType)');
    if (declared && ctype && declared !== ctype) {
        return acrError(400, 'MANIFEST_INVALID', `manifest invalid: mediaType ${declared} does not match Content-Type ${ctype}`);
    }
    const digest = sha256(req.body);
    if (isDigest && digest !== reference) return digestInvalid(reference);
    const missing = missingReference(ctx, repoName, doc, mediaType);
    if (missing) return missing;
    const nowIso = ctx.nowIso();
    const repo = ctx.state.ensureRepo(repoName, nowIso);
    const existed = repo.manifests.has(digest);
    const stored = ctx.state.putManifest(repo, digest, Buffer.from(req.body), mediaType, nowIso, isDigest ? undefined : reference);
    maybeAutoConvert(ctx, repoName, stored, isDigest, existed);
    const headers: Record<string, string> = { ...V2_HEADERS, 'docker-content-digest': digest, location: `/v2/${repoName}/manifests/${digest}`, 'content-length': '0' };
    if (stored.subject) headers['oci-subject'] = stored.subject.digest;
    return { status: 201, headers };
}

/**
 * Auto-conversion (`convertPushedImages`): assumption — it starts for a manifest pushed by tag that is
 * an image (no `subject`, not a streaming artifact) and not already converting, on a registry that can
 * stream. Children of an index are pushed by digest and are covered by the index's conversion.
 */
function maybeAutoConvert(ctx: AcrContext, repoName: string, m: StoredManifest, byDigest: boolean, existed: boolean): void {
    const repo = ctx.state.repo(repoName);
    if (!repo?.convertPushedImages || byDigest || m.subject || m.artifactType === STREAMING_ARTIFACT_TYPE) return;
    if (ctx.streamingRefusal()) return;
    const last = ctx.ops.lastFor(repoName, m.digest);
    if (existed && last) return;
    ctx.ops.startConversion(repoName, m.digest, ctx.now());
}

export function deleteManifest(ctx: AcrContext, repoName: string, reference: string): SandboxResponse {
    const repo = ctx.state.repo(repoName);
    if (!repo) return nameUnknown(repoName);
    if (!DIGEST_RE.test(reference)) {
        return acrError(400, 'UNSUPPORTED', 'delete a manifest by digest; to remove a tag use DELETE /acr/v1/{repo}/_tags/{tag}');
    }
    if (!ctx.state.deleteManifest(repo, reference)) return manifestUnknown(repoName, reference);
    repo.lastUpdateTime = ctx.nowIso();
    return { status: 202, headers: { ...V2_HEADERS, 'content-length': '0' } };
}

export function listV2Tags(ctx: AcrContext, req: SandboxRequest, repoName: string): SandboxResponse {
    const repo = ctx.state.repo(repoName);
    if (!repo) return nameUnknown(repoName);
    const p = pageParams(req.url);
    if (isResponse(p)) return p;
    const page = pageOf([...repo.tags.keys()].sort(byName), t => t, p, true);
    const last = page.items.at(-1);
    const headers = page.hasMore && last !== undefined ? linkHeader(`/v2/${repo.name}/tags/list`, last, p.n) : {};
    return json(200, { name: repo.name, tags: page.items }, { ...V2_HEADERS, ...headers });
}
