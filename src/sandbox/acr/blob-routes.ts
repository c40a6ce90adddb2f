/**
 * Blobs: `HEAD|GET|DELETE /v2/{repo}/blobs/{digest}` and the upload protocol
 * (`POST /v2/{repo}/blobs/uploads/` [monolithic `?digest=`, cross-repo `?mount=&from=`],
 * `PATCH|PUT|GET|DELETE /v2/{repo}/blobs/uploads/{id}`), enough for a docker-less push script.
 *
 * Layer bytes: world layers never have bytes (their declared sizes may be gigabytes), so
 * `GET` of a layer answers 404 BLOB_UNKNOWN with a detail saying the sandbox does not store layer
 * bytes, while `HEAD` answers 200 with the size. Pushed blobs keep their bytes up to 4 MiB (enough
 * for any config blob and for the small test layers); larger ones keep only digest and size.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SandboxRequest, SandboxResponse } from '../http/types.js';
import type { AcrContext } from './acr-context.js';
import { acrError, digestInvalid, nameUnknown } from './acr-errors.js';
import { guard } from './auth-guard.js';
import { sha256 } from './content-builder.js';
import { DIGEST_RE } from './media-types.js';
import { V2_HEADERS } from './manifest-routes.js';
import type { UploadSession } from './registry-state.js';
import { repoNeed } from './scopes.js';

export const MAX_KEPT_BLOB_BYTES = 4 * 1024 * 1024;

const sessions = (ctx: AcrContext) => ctx.state.uploads;

const blobUnknown = (digest: string, detail?: string): SandboxResponse =>
    acrError(404, 'BLOB_UNKNOWN', 'blob unknown to registry', detail ? { digest, reason: detail } : { digest });

export function getBlob(ctx: AcrContext, req: SandboxRequest, repoName: string, digest: string): SandboxResponse {
    const repo = ctx.state.repo(repoName);
    if (!repo) return nameUnknown(repoName);
    if (!DIGEST_RE.test(digest)) return acrError(400, 'DIGEST_INVALID', 'invalid digest', { digest });
    const blob = repo.blobs.get(digest);
    if (!blob) return req.method === 'HEAD' ? { status: 404, headers: V2_HEADERS } : blobUnknown(digest);
    const headers = { ...V2_HEADERS, 'content-type': 'application/octet-stream', 'docker-content-digest': digest, 'content-length': String(blob.size) };
    if (req.method === 'HEAD') return { status: 200, headers };
    if (!blob.bytes) {
        return blobUnknown(digest, 'The sandbox does not store layer bytes: HEAD reports the size, GET of a layer is not available');
    }
    return { status: 200, headers, body: blob.bytes };
}

export function deleteBlob(ctx: AcrContext, repoName: string, digest: string): SandboxResponse {
    const repo = ctx.state.repo(repoName);
    if (!repo) return nameUnknown(repoName);
    if (!repo.blobs.delete(digest)) return blobUnknown(digest);
    return { status: 202, headers: { ...V2_HEADERS, 'content-length': '0' } };
}

/** What an upload delivered: its sha256 digest, size, and the bytes when small enough to keep. */
interface Received {
    digest: string;
    size: number;
    bytes?: Buffer;
}

const received = (data: Buffer): Received => ({ digest: sha256(data), size: data.length, bytes: data.length <= MAX_KEPT_BLOB_BYTES ? Buffer.from(data) : undefined });

function commit(ctx: AcrContext, repoName: string, data: Received, digest: string): SandboxResponse {
    if (!DIGEST_RE.test(digest) || data.digest !== digest) return digestInvalid(digest);
    const repo = ctx.state.ensureRepo(repoName, ctx.nowIso());
    repo.blobs.set(digest, { size: data.size, bytes: data.bytes });
    return {
        status: 201,
        headers: { ...V2_HEADERS, location: `/v2/${repoName}/blobs/${digest}`, 'docker-content-digest': digest, 'content-length': '0' }
    };
}

function append(session: UploadSession, chunk: Buffer): void {
    session.hash.update(chunk);
    session.size += chunk.length;
    if (session.chunks && session.size <= MAX_KEPT_BLOB_BYTES) session.chunks.push(chunk);
    else session.chunks = undefined;
}

/** The session's content with `last` appended, without consuming the session (a bad final PUT may be retried). */
function finish(session: UploadSession, last: Buffer): Received {
    const size = session.size + last.length;
    const bytes = session.chunks && size <= MAX_KEPT_BLOB_BYTES ? Buffer.concat([...session.chunks, last]) : undefined;
    return { digest: `sha256:${session.hash.copy().update(last).digest('hex')}`, size, bytes };
}

function sessionHeaders(repoName: string, id: string, s: UploadSession): Record<string, string> {
    return {
        ...V2_HEADERS,
        location: `/v2/${repoName}/blobs/uploads/${id}`,
        'docker-upload-uuid': id,
        range: `0-${Math.max(0, s.size - 1)}`,
        'content-length': '0'
    };
}

export function upload(ctx: AcrContext, req: SandboxRequest, repoName: string, id: string | undefined): SandboxResponse {
    const q = req.url.searchParams;
    if (req.method === 'POST' && !id) {
        const mount = q.get('mount');
        const from = q.get('from');
        // Cross-repo mount needs pull on the source; otherwise fall back to a fresh upload, as distribution does.
        if (mount && from && !guard(ctx, req, repoNeed(from, ['pull']))) {
            const blob = ctx.state.repo(from)?.blobs.get(mount);
            if (blob) {
                ctx.state.ensureRepo(repoName, ctx.nowIso()).blobs.set(mount, blob);
                return { status: 201, headers: { ...V2_HEADERS, location: `/v2/${repoName}/blobs/${mount}`, 'docker-content-digest': mount, 'content-length': '0' } };
            }
        }
        const digest = q.get('digest');
        if (digest) return commit(ctx, repoName, received(req.body), digest);
        const session: UploadSession = { repo: repoName, hash: createHash('sha256'), chunks: [], size: 0 };
        append(session, req.body);
        const newId = randomUUID();
        sessions(ctx).set(newId, session);
        return { status: 202, headers: sessionHeaders(repoName, newId, session) };
    }
    const session = id ? sessions(ctx).get(id) : undefined;
    if (!id || !session || session.repo !== repoName) return acrError(404, 'BLOB_UPLOAD_UNKNOWN', 'blob upload unknown to registry', { id });
    switch (req.method) {
        case 'PATCH':
            append(session, req.body);
            return { status: 202, headers: sessionHeaders(repoName, id, session) };
        case 'GET':
            return { status: 204, headers: sessionHeaders(repoName, id, session) };
        case 'DELETE':
            sessions(ctx).delete(id);
            return { status: 204, headers: { ...V2_HEADERS, 'content-length': '0' } };
        case 'PUT': {
            const digest = q.get('digest');
            if (!digest) return acrError(400, 'DIGEST_INVALID', 'the digest query parameter is required to complete an upload');
            const res = commit(ctx, repoName, finish(session, req.body), digest);
            if (res.status === 201) sessions(ctx).delete(id);
            return res;
        }
        default:
            return acrError(405, 'UNSUPPORTED', `The operation is unsupported: ${req.method}`);
    }
}
