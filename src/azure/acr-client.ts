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
import { dataPlaneError } from './acr-auth.js';
import type { AcrTransport } from './acr-transport.js';
import type { RepositoryPage } from './types.js';

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
    private async get(path: string, scope: string, signal: AbortSignal, accept = 'application/json'): Promise<PipelineResponse> {
        const url = `https://${this.loginServer}${path}`;
        for (let attempt = 0; ; attempt++) {
            const token = await this.session.accessToken(scope, signal);
            const res = await this.transport.send({ url, method: 'GET', headers: { accept, authorization: `Bearer ${token}` }, signal });
            if (res.status !== 401 || attempt > 0) return res;
            this.session.invalidate(scope, token);
        }
    }

    private fail(res: PipelineResponse, path: string): never {
        const ra = Number(res.headers.get('retry-after'));
        throw dataPlaneError(res.status, res.bodyAsText, this.loginServer, path, Number.isFinite(ra) ? ra : undefined);
    }

    private json<T>(res: PipelineResponse, path: string): T {
        if (res.status !== 200 && res.status !== 202) this.fail(res, path);
        try {
            return JSON.parse(res.bodyAsText ?? '') as T;
        } catch {
            throw dataPlaneError(502, `unreadable JSON from ${path}`, this.loginServer, path);
        }
    }

    /** GET /acr/v1/_catalog?n=&last= ; `last` in the answer is set when a Link header says more follow. */
    async listRepositories(n: number, last: string | undefined, signal: AbortSignal): Promise<RepositoryPage> {
        const q = new URLSearchParams({ n: String(n), ...(last ? { last } : {}) });
        const path = `/acr/v1/_catalog?${q}`;
        const res = await this.get(path, CATALOG, signal);
        const body = this.json<{ repositories?: string[] }>(res, '/acr/v1/_catalog');
        const repositories = body.repositories ?? [];
        const more = /rel="?next"?/i.test(res.headers.get('link') ?? '');
        return { repositories, ...(more && repositories.length > 0 ? { last: repositories[repositories.length - 1] } : {}) };
    }

    /** One token request for the pull scopes of many repositories about to be read (a listing page). */
    async authorizeRepositories(repos: readonly string[], signal: AbortSignal): Promise<void> {
        await this.session.accessTokensFor(repos.map(pull), signal);
    }

    /** GET /acr/v1/{repo}/_streaming → the repository's auto-conversion flag. */
    async repositoryStreaming(repo: string, signal: AbortSignal): Promise<{ convertPushedImages: boolean }> {
        const path = `/acr/v1/${repo}/_streaming`;
        const body = this.json<{ convertPushedImages?: boolean }>(await this.get(path, pull(repo), signal), path);
        return { convertPushedImages: body.convertPushedImages === true };
    }

    /** GET /v2/{repo}/manifests/{ref}; the digest is verified against the bytes received. Null on 404. */
    async manifest(repo: string, ref: string, signal: AbortSignal): Promise<FetchedManifest | null> {
        const path = `/v2/${repo}/manifests/${ref}`;
        const res = await this.get(path, pull(repo), signal, MANIFEST_ACCEPT);
        if (res.status === 404) return null;
        if (res.status !== 200) this.fail(res, path);
        const text = res.bodyAsText ?? '';
        const actual = `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
        const claimed = res.headers.get('docker-content-digest');
        if ((ref.startsWith('sha256:') && ref !== actual) || (claimed && claimed !== actual)) {
            throw dataPlaneError(502, `manifest bytes do not match digest ${ref.startsWith('sha256:') ? ref : claimed}`, this.loginServer, path);
        }
        let body: Record<string, unknown>;
        try {
            body = JSON.parse(text) as Record<string, unknown>;
        } catch {
            throw dataPlaneError(502, 'manifest is not JSON', this.loginServer, path);
        }
        const mediaType = String(body.mediaType ?? res.headers.get('content-type') ?? '').split(';')[0]!.trim();
        return { digest: actual, mediaType, body };
    }

    /**
     * GET /v2/{repo}/blobs/{digest} for a small JSON blob (an image config). ACR answers with a redirect to
     * storage; it is followed without the registry token.
     */
    async blobJson(repo: string, digest: string, signal: AbortSignal): Promise<Record<string, unknown>> {
        const path = `/v2/${repo}/blobs/${digest}`;
        let res = await this.get(path, pull(repo), signal);
        const location = res.headers.get('location');
        if ([301, 302, 303, 307, 308].includes(res.status) && location) {
            res = await this.transport.send({ url: new URL(location, `https://${this.loginServer}`).toString(), method: 'GET', signal, ungated: true });
        }
        return this.json<Record<string, unknown>>(res, path);
    }

    /**
     * Referrers of `digest` with `artifactType`: the OCI 1.1 referrers API, or on 404 the tag-schema fallback
     * (an index tagged `sha256-<hex>`). Filtered here too, since a registry may ignore the filter.
     */
    async referrers(repo: string, digest: string, artifactType: string, signal: AbortSignal): Promise<Descriptor[]> {
        const path = `/v2/${repo}/referrers/${digest}?artifactType=${encodeURIComponent(artifactType)}`;
        const res = await this.get(path, pull(repo), signal, OCI_INDEX);
        const index =
            res.status === 404
                ? (await this.manifest(repo, digest.replace(':', '-'), signal))?.body
                : this.json<Record<string, unknown>>(res, `/v2/${repo}/referrers/${digest}`);
        return descriptors(index?.manifests).filter(m => m.artifactType === artifactType);
    }

    /** GET /acr/v1/{repo}/_streaming/{digest}: the last conversion of this digest, or null (404 OPERATION_UNKNOWN). */
    async lastOperation(repo: string, digest: string, signal: AbortSignal): Promise<{ id: string; status: string } | null> {
        const path = `/acr/v1/${repo}/_streaming/${digest}`;
        const res = await this.get(path, pull(repo), signal);
        if (res.status === 404) {
            const err = dataPlaneError(404, res.bodyAsText, this.loginServer, path);
            if (err.code === 'OPERATION_UNKNOWN') return null;
            throw err;
        }
        const body = this.json<{ id?: string; status?: string }>(res, path);
        return body.id ? { id: body.id, status: String(body.status ?? 'Unknown') } : null;
    }

    /**
     * GET /acr/v1/{repo}/_operations/{id}, or null on 404 (an operation record the registry no longer keeps).
     * The id came from the registry, so it is checked before it becomes part of a URL.
     */
    async operation(repo: string, id: string, signal: AbortSignal): Promise<{ status?: string; progress: string | null; details: string | null } | null> {
        if (!/^[A-Za-z0-9-]{1,100}$/.test(id)) throw dataPlaneError(502, 'the registry returned a malformed operation id', this.loginServer, `/acr/v1/${repo}/_streaming`);
        const path = `/acr/v1/${repo}/_operations/${id}`;
        const res = await this.get(path, pull(repo), signal);
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
