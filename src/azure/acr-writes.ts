/**
 * Writes to one registry's data plane, shaped as the CLI sends them (azure-cli recording, docs/sources.md):
 * the repository auto-conversion flag (`POST /acr/v1/{repo}/_streaming`), starting a conversion
 * (`POST /acr/v1/{repo}/_streaming/{digest}`, reusing an ongoing one as the CLI does), plus the newest-first
 * image listing a backfill plan needs. Scopes are the CLI's: `pull,push` for writes, `metadata_read` for tags.
 */
import type { PipelineResponse } from '@azure/core-rest-pipeline';
import type { AcrClient } from './acr-client.js';
import { answerError } from './errors.js';
import { DIGEST } from './names.js';
import type { CallOptions } from './types.js';

/** The CLI fixes these (artifact_streaming.py); the service knows no other format. */
export const CONVERSION_BODY = { conversionFormat: 'overlaybd', conversionVersion: 'v1' } as const;
/** Operation statuses during which the CLI reuses an operation instead of starting another. */
export const ONGOING_STATUSES: ReadonlySet<string> = new Set(['NotStarted', 'Running']);

const pullPush = (repo: string) => `repository:${repo}:pull,push`;
const metadataRead = (repo: string) => `repository:${repo}:metadata_read`;

/** The operation id ACR answers with, checked before it is ever put into a URL. */
function operationId(value: unknown, res: PipelineResponse): string {
    if (typeof value === 'string' && /^[A-Za-z0-9-]{1,100}$/.test(value)) return value;
    throw answerError(502, 'the registry returned a malformed operation id', res);
}

/** `az acr artifact-streaming update --repository R --enable-streaming true|false`. */
export async function setRepositoryStreaming(client: AcrClient, repo: string, enabled: boolean, opts: CallOptions): Promise<{ convertPushedImages: boolean; operationId: string | null }> {
    const path = `/acr/v1/${repo}/_streaming`;
    const res = await client.send('POST', path, pullPush(repo), { ...opts, json: { convertPushedImages: enabled, ...CONVERSION_BODY } });
    const body = client.json<{ convertPushedImages?: unknown; id?: unknown }>(res, path);
    return { convertPushedImages: body.convertPushedImages === true, operationId: body.id === undefined ? null : operationId(body.id, res) };
}

export interface StartedConversion {
    operationId: string;
    status: string;
    /** An ongoing conversion was found and reused: no second one was started. */
    reused: boolean;
}

/**
 * `az acr artifact-streaming create --image repo@digest --no-wait`: reuses a NotStarted/Running operation of
 * this digest (the CLI's step c.3) and otherwise starts one. The POST is not retried on a 5xx or a broken
 * connection (http-policies.ts), so a failure here never starts two conversions.
 */
export async function startConversion(client: AcrClient, repo: string, digest: string, opts: CallOptions): Promise<StartedConversion> {
    const last = await client.lastOperation(repo, digest, opts);
    if (last && ONGOING_STATUSES.has(last.status)) return { operationId: last.id, status: last.status, reused: true };
    const path = `/acr/v1/${repo}/_streaming/${digest}`;
    const res = await client.send('POST', path, pullPush(repo), { ...opts, json: CONVERSION_BODY });
    const body = client.json<{ id?: unknown; status?: unknown }>(res, path);
    return { operationId: operationId(body.id, res), status: typeof body.status === 'string' ? body.status : 'NotStarted', reused: false };
}

/**
 * `az acr artifact-streaming operation cancel --repository R --id OPID`: `POST …/_operations/{id}:cancel` (no body).
 * The status after the call (Canceled), as the registry answers it.
 */
export async function cancelOperation(client: AcrClient, repo: string, id: string, opts: CallOptions): Promise<{ status: string }> {
    if (!/^[A-Za-z0-9-]{1,100}$/.test(id)) throw new Error('operation ids are checked before they reach a URL');
    const path = `/acr/v1/${repo}/_operations/${id}:cancel`;
    const res = await client.send('POST', path, pullPush(repo), opts);
    const body = client.json<{ status?: unknown }>(res, path);
    return { status: typeof body.status === 'string' ? body.status : 'Canceled' };
}

/**
 * Deletes one manifest by digest (`DELETE /v2/{repo}/manifests/{digest}`, scope `delete`): for a streaming
 * referrer, this is how Learn says streaming is turned off for one image. True when it existed.
 */
export async function deleteManifest(client: AcrClient, repo: string, digest: string, opts: CallOptions): Promise<boolean> {
    if (!DIGEST.test(digest)) throw new Error('digests are checked before they reach a URL');
    const path = `/v2/${repo}/manifests/${digest}`;
    const res = await client.send('DELETE', path, `repository:${repo}:delete`, opts);
    if (res.status === 404) return false;
    if (res.status !== 202 && res.status !== 200) client.json(res, path);
    return true;
}

export interface TaggedImage {
    digest: string;
    /** Tags pointing at it, newest first. */
    tags: string[];
    lastUpdateTime: string;
}

/** Pages of tags read at most for one listing (bounded against huge repositories). */
const MAX_TAG_PAGES = 20;
const TAG_PAGE = 100;

/**
 * The repository's images by their newest tag, newest first, at most `max` distinct digests
 * (`GET /acr/v1/{repo}/_tags?orderby=timedesc`, following the Link header). `more` says whether older
 * tagged images exist beyond the bound.
 */
export async function listImagesNewestFirst(client: AcrClient, repo: string, max: number, opts: CallOptions): Promise<{ images: TaggedImage[]; more: boolean }> {
    const byDigest = new Map<string, TaggedImage>();
    let more = false;
    let path: string | undefined = `/acr/v1/${repo}/_tags?${new URLSearchParams({ n: String(TAG_PAGE), orderby: 'timedesc' })}`;
    for (let page = 0; path && page < MAX_TAG_PAGES; page++) {
        const res = await client.send('GET', path, metadataRead(repo), opts);
        const body = client.json<{ tags?: { name?: unknown; digest?: unknown; lastUpdateTime?: unknown }[] }>(res, `/acr/v1/${repo}/_tags`);
        for (const t of Array.isArray(body.tags) ? body.tags : []) {
            if (typeof t.name !== 'string' || typeof t.digest !== 'string' || !DIGEST.test(t.digest)) continue;
            const hit = byDigest.get(t.digest);
            if (hit) hit.tags.push(t.name);
            else if (byDigest.size < max) byDigest.set(t.digest, { digest: t.digest, tags: [t.name], lastUpdateTime: String(t.lastUpdateTime ?? '') });
            else more = true;
        }
        if (more) break;
        path = nextLink(res.headers.get('link'), repo);
        if (path && page === MAX_TAG_PAGES - 1) more = true;
    }
    return { images: [...byDigest.values()], more };
}

/** The next page from a Link header, only when it stays on this repository's tag listing. */
function nextLink(link: string | undefined, repo: string): string | undefined {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link ?? '');
    if (!m?.[1]) return undefined;
    const url = new URL(m[1], 'https://registry.invalid');
    return url.pathname === `/acr/v1/${repo}/_tags` ? `${url.pathname}${url.search}` : undefined;
}
