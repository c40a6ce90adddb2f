/**
 * Read calls against one registry's data plane (ACR data-plane spec and the azure-cli recording,
 * docs/sources.md): catalog, repository streaming setting,
 * manifests, config blobs, referrers (with the OCI tag-schema fallback), last streaming operation and
 * operation status. Each call asks for the narrowest scope (`pull`, or `registry:catalog:*`), and a 401 on
 * a cached token triggers one re-exchange and one retry.
 */
import { createHash } from 'node:crypto';
import type { PipelineResponse } from '@azure/core-rest-pipeline';
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST } from '../streaming/media-types.js';
import type { AcrSession } from './acr-auth.js';
import type { AcrTransport } from './acr-transport.js';
import { answerError } from './errors.js';
import { OPERATION_ID, assertOperationId } from './names.js';
import type { CallOptions, RepositoryPage } from './types.js';

export const MANIFEST_ACCEPT = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, 'application/vnd.oci.artifact.manifest.v1+json', '*/*;q=0.1'].join(', ');

export interface FetchedManifest {
    digest: string;
    mediaType: string;
    body: Record<string, unknown>;
}

export interface Descriptor {
    mediaType?: string;
    digest: string;
    size?: number;
    artifactType?: string;
    platform?: { os?: string; architecture?: string; variant?: string };
    annotations?: Record<string, string>;
}

const pull = (repo: string) => `repository:${repo}:pull`;
/** ACR's /acr/v1 metadata routes need metadata_read, which a pull-only scope does not include. */
const metadata = (repo: string) => `repository:${repo}:metadata_read`;
const CATALOG = 'registry:catalog:*';

export class AcrClient {
    constructor(
        private readonly session: AcrSession,
        private readonly transport: AcrTransport
    ) {}

    get loginServer(): string {
        return this.session.loginServer;
    }

    /** An authenticated GET; on 401 the cached tokens are dropped, re-exchanged once, and the call repeated. */
    private get(path: string, scope: string, opts: CallOptions, accept = 'application/json'): Promise<PipelineResponse> {
        return this.send('GET', path, scope, { ...opts, accept });
    }

    /**
     * An authenticated request with the narrowest `scope` (the writes are in acr-writes.ts). A 401 on a cached
     * token re-exchanges once and repeats the call; a write is safe to repeat then, since a 401 applied nothing.
     */
    async send(method: 'GET' | 'POST' | 'DELETE', path: string, scope: string, opts: CallOptions & { accept?: string; json?: unknown }): Promise<PipelineResponse> {
        const url = `https://${this.loginServer}${path}`;
        const body = opts.json === undefined ? undefined : JSON.stringify(opts.json);
        for (let attempt = 0; ; attempt++) {
            const token = await this.session.accessToken(scope, opts);
            const headers: Record<string, string> = { accept: opts.accept ?? 'application/json', authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
            const res = await this.transport.send({ url, method, headers, ...(body !== undefined ? { body } : {}), abortSignal: opts.abortSignal });
            if (res.status !== 401 || attempt > 0) return res;
            this.session.invalidate(scope, token);
        }
    }

    private fail(res: PipelineResponse): never {
        throw answerError(res.status, res.bodyAsText, res);
    }

    /** The JSON body of a 200/202 answer; anything else throws the answer's error. */
    json<T>(res: PipelineResponse, path: string): T {
        if (res.status !== 200 && res.status !== 202) this.fail(res);
        try {
            return JSON.parse(res.bodyAsText ?? '') as T;
        } catch {
            throw answerError(502, `unreadable JSON from ${path}`, res);
        }
    }

    /** GET /acr/v1/_catalog?n=&last= ; `last` in the answer is set when a Link header says more follow. */
    async listRepositories(opts: CallOptions & { n: number; last?: string }): Promise<RepositoryPage> {
        const q = new URLSearchParams({ n: String(opts.n), ...(opts.last ? { last: opts.last } : {}) });
        const path = `/acr/v1/_catalog?${q}`;
        const res = await this.get(path, CATALOG, opts);
        const body = this.json<{ repositories?: string[] }>(res, '/acr/v1/_catalog');
        const repositories = body.repositories ?? [];
        const more = /rel="?next"?/i.test(res.headers.get('link') ?? '');
        const last = repositories[repositories.length - 1];
        return { repositories, ...(more && last !== undefined ? { last } : {}) };
    }

    /** A (cached) access token for `scope`, to read what the registry granted (acr-conversions.ts). */
    accessToken(scope: string, opts: CallOptions): Promise<string> {
        return this.session.accessToken(scope, opts);
    }

    /** One token request for the pull scopes of many repositories about to be read (a listing page). */
    async authorizeRepositories(repos: readonly string[], opts: CallOptions): Promise<void> {
        await this.session.accessTokensFor(repos.map(pull), opts);
    }

    /** One token request for the metadata scopes of many repositories about to be listed. */
    async authorizeMetadata(repos: readonly string[], opts: CallOptions): Promise<void> {
        await this.session.accessTokensFor(repos.map(metadata), opts);
    }

    /** GET /acr/v1/{repo}/_manifests?n=&last= : one page of manifest metadata (sizes, platforms, tags); `last` set when more follow. */
    async manifestPage(repo: string, opts: CallOptions & { n: number; last?: string }): Promise<{ manifests: unknown[]; last?: string }> {
        const q = new URLSearchParams({ n: String(opts.n), ...(opts.last ? { last: opts.last } : {}) });
        const res = await this.get(`/acr/v1/${repo}/_manifests?${q}`, metadata(repo), opts);
        const body = this.json<{ manifests?: unknown }>(res, `/acr/v1/${repo}/_manifests`);
        const manifests = Array.isArray(body.manifests) ? body.manifests : [];
        const next = /rel="?next"?/i.test(res.headers.get('link') ?? '') ? (manifests[manifests.length - 1] as { digest?: unknown } | undefined)?.digest : undefined;
        return { manifests, ...(typeof next === 'string' ? { last: next } : {}) };
    }

    /** GET /acr/v1/{repo}/_streaming → the repository's auto-conversion flag. */
    async repositoryStreaming(repo: string, opts: CallOptions): Promise<{ convertPushedImages: boolean }> {
        const path = `/acr/v1/${repo}/_streaming`;
        const body = this.json<{ convertPushedImages?: boolean }>(await this.get(path, pull(repo), opts), path);
        return { convertPushedImages: body.convertPushedImages === true };
    }

    /** GET /v2/{repo}/manifests/{ref}; the digest is verified against the bytes received. Null on 404. */
    async manifest(repo: string, ref: string, opts: CallOptions): Promise<FetchedManifest | null> {
        const path = `/v2/${repo}/manifests/${ref}`;
        const res = await this.get(path, pull(repo), opts, MANIFEST_ACCEPT);
        if (res.status === 404) return null;
        if (res.status !== 200) this.fail(res);
        const text = res.bodyAsText ?? '';
        const actual = `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
        const claimed = res.headers.get('docker-content-digest');
        if ((ref.startsWith('sha256:') && ref !== actual) || (claimed && claimed !== actual)) {
            throw answerError(502, `manifest bytes do not match digest ${ref.startsWith('sha256:') ? ref : claimed}`, res);
        }
        let body: Record<string, unknown>;
        try {
            body = JSON.parse(text) as Record<string, unknown>;
        } catch {
            throw answerError(502, 'manifest is not JSON', res);
        }
        const mediaType = String(body.mediaType ?? res.headers.get('content-type') ?? '').split(';')[0]!.trim();
        return { digest: actual, mediaType, body };
    }

    /**
     * GET /v2/{repo}/blobs/{digest} for a small JSON blob (an image config). ACR answers with a redirect to
     * storage; it is followed without the registry token.
     */
    async blobJson(repo: string, digest: string, opts: CallOptions): Promise<Record<string, unknown>> {
        const path = `/v2/${repo}/blobs/${digest}`;
        let res = await this.get(path, pull(repo), opts);
        const location = res.headers.get('location');
        if ([301, 302, 303, 307, 308].includes(res.status) && location) {
            res = await this.transport.send({ url: new URL(location, `https://${this.loginServer}`).toString(), method: 'GET', abortSignal: opts.abortSignal, ungated: true });
        }
        return this.json<Record<string, unknown>>(res, path);
    }

    /**
     * Referrers of `digest` with `artifactType`: the OCI 1.1 referrers API, or on 404 the tag-schema fallback
     * (an index tagged `sha256-<hex>`). Filtered here too, since a registry may ignore the filter.
     */
    async referrers(repo: string, digest: string, artifactType: string, opts: CallOptions): Promise<Descriptor[]> {
        const path = `/v2/${repo}/referrers/${digest}?artifactType=${encodeURIComponent(artifactType)}`;
        const res = await this.get(path, pull(repo), opts, OCI_INDEX);
        const index =
            res.status === 404
                ? (await this.manifest(repo, digest.replace(':', '-'), opts))?.body
                : this.json<Record<string, unknown>>(res, `/v2/${repo}/referrers/${digest}`);
        return descriptors(index?.manifests).filter(m => m.artifactType === artifactType);
    }

    /** GET /acr/v1/{repo}/_streaming/{digest}: the last conversion of this digest, or null (404 OPERATION_UNKNOWN). */
    async lastOperation(repo: string, digest: string, opts: CallOptions): Promise<{ id: string; status: string } | null> {
        const path = `/acr/v1/${repo}/_streaming/${digest}`;
        const res = await this.get(path, pull(repo), opts);
        if (res.status === 404) {
            const err = answerError(404, res.bodyAsText, res);
            if (err.code === 'OPERATION_UNKNOWN') return null;
            throw err;
        }
        const body = this.json<{ id?: string; status?: string }>(res, path);
        if (!body.id) return null;
        // The id becomes part of a URL (the operation's status): checked here, where it came from.
        if (typeof body.id !== 'string' || !OPERATION_ID.test(body.id)) throw answerError(502, 'the registry returned a malformed operation id', res);
        return { id: body.id, status: String(body.status ?? 'Unknown') };
    }

    /**
     * GET /acr/v1/{repo}/_operations/{id}, or null on 404 (an operation record the registry no longer keeps).
     * The id came from the registry, so it is checked before it becomes part of a URL.
     */
    async operation(repo: string, id: string, opts: CallOptions): Promise<{ status?: string; progress: string | null; details: string | null } | null> {
        assertOperationId(id);
        const path = `/acr/v1/${repo}/_operations/${id}`;
        const res = await this.get(path, pull(repo), opts);
        if (res.status === 404) return null;
        const body = this.json<{ status?: unknown; progress?: unknown; details?: unknown }>(res, path);
        return {
            ...(typeof body.status === 'string' && body.status ? { status: body.status } : {}),
            progress: typeof body.progress === 'string' ? body.progress : null,
            details: typeof body.details === 'string' ? body.details : null
        };
    }
}

/** The descriptors of an index (`manifests`), whatever the registry sent: a non-array or junk entries count as none. */
export function descriptors(value: unknown): Descriptor[] {
    if (!Array.isArray(value)) return [];
    return value.filter((d): d is Descriptor => typeof d === 'object' && d !== null && typeof (d as Descriptor).digest === 'string');
}
