/**
 * ACR metadata: `/acr/v1/{repo}/_tags[/{tag}]` and `/acr/v1/{repo}/_manifests[/{digest}]`, shaped as
 * the ACR data-plane spec and the azure-cli recording of `_tags/{tag}` (docs/sources.md).
 */
import { json, type SandboxRequest, type SandboxResponse } from '../http/types.js';
import type { AcrContext } from './acr-context.js';
import { manifestUnknown, nameUnknown, tagUnknown } from './acr-errors.js';
import { CHANGEABLE } from './catalog-routes.js';
import { byName, isResponse, linkHeader, pageOf, pageParams } from './paging.js';
import type { RepoState, StoredManifest, TagState } from './registry-state.js';

const tagView = (t: TagState) => ({
    name: t.name,
    digest: t.digest,
    createdTime: t.createdTime,
    lastUpdateTime: t.lastUpdateTime,
    signed: false,
    changeableAttributes: { ...CHANGEABLE }
});

function manifestView(ctx: AcrContext, repo: RepoState, m: StoredManifest) {
    return {
        digest: m.digest,
        imageSize: m.imageSize,
        createdTime: m.createdTime,
        lastUpdateTime: m.lastUpdateTime,
        architecture: m.architecture,
        os: m.os,
        mediaType: m.mediaType,
        configMediaType: m.configMediaType,
        tags: ctx.state.tagsOf(repo, m.digest),
        ...(m.references.length > 0
            ? { references: m.references.map(r => ({ digest: r.digest, architecture: r.platform?.architecture, os: r.platform?.os })) }
            : {}),
        changeableAttributes: { ...CHANGEABLE }
    };
}

/** `orderby`: `timedesc` | `timeasc` (by lastUpdateTime) or absent (by name/digest). */
function ordered<T extends { lastUpdateTime: string }>(items: T[], key: (t: T) => string, orderby: string | null): T[] {
    if (orderby === 'timedesc') return [...items].sort((a, b) => b.lastUpdateTime.localeCompare(a.lastUpdateTime) || byName(key(a), key(b)));
    if (orderby === 'timeasc') return [...items].sort((a, b) => a.lastUpdateTime.localeCompare(b.lastUpdateTime) || byName(key(a), key(b)));
    return [...items].sort((a, b) => byName(key(a), key(b)));
}

/** One page of a repository's `/acr/v1` listing: `orderby`, `n`/`last` paging, and the Link header to the next page. */
function listPage<T extends { lastUpdateTime: string }>(
    ctx: AcrContext,
    req: SandboxRequest,
    repository: string,
    l: { items: T[]; key: (t: T) => string; path: '_tags' | '_manifests'; field: 'tags' | 'manifests'; view: (t: T) => unknown }
): SandboxResponse {
    const p = pageParams(req.url);
    if (isResponse(p)) return p;
    const orderby = req.url.searchParams.get('orderby');
    const page = pageOf(ordered(l.items, l.key, orderby), l.key, p, !orderby);
    const last = page.items.at(-1);
    const headers = page.hasMore && last ? linkHeader(`/acr/v1/${repository}/${l.path}`, l.key(last), p.n, orderby ? { orderby } : {}) : {};
    return json(200, { registry: ctx.loginServer, imageName: repository, [l.field]: page.items.map(l.view) }, headers);
}

export function listTags(ctx: AcrContext, req: SandboxRequest, repoName: string): SandboxResponse {
    const repo = ctx.state.repo(repoName);
    if (!repo) return nameUnknown(repoName);
    const digest = req.url.searchParams.get('digest');
    const tags = [...repo.tags.values()].filter(t => !digest || t.digest === digest);
    return listPage(ctx, req, repo.name, { items: tags, key: t => t.name, path: '_tags', field: 'tags', view: tagView });
}

export function getTag(ctx: AcrContext, repoName: string, tag: string): SandboxResponse {
    const repo = ctx.state.repo(repoName);
    if (!repo) return nameUnknown(repoName);
    const t = repo.tags.get(tag);
    if (!t) return tagUnknown(repoName, tag);
    return json(200, { registry: ctx.loginServer, imageName: repo.name, tag: tagView(t) });
}

/** Untag only; the manifest stays (as `az acr repository untag`). */
export function deleteTag(ctx: AcrContext, repoName: string, tag: string): SandboxResponse {
    const repo = ctx.state.repo(repoName);
    if (!repo) return nameUnknown(repoName);
    if (!repo.tags.delete(tag)) return tagUnknown(repoName, tag);
    repo.lastUpdateTime = ctx.nowIso();
    return { status: 202, headers: { 'content-length': '0' } };
}

export function listManifests(ctx: AcrContext, req: SandboxRequest, repoName: string): SandboxResponse {
    const repo = ctx.state.repo(repoName);
    if (!repo) return nameUnknown(repoName);
    return listPage(ctx, req, repo.name, { items: [...repo.manifests.values()], key: m => m.digest, path: '_manifests', field: 'manifests', view: m => manifestView(ctx, repo, m) });
}

export function getManifestProperties(ctx: AcrContext, repoName: string, reference: string): SandboxResponse {
    const repo = ctx.state.repo(repoName);
    if (!repo) return nameUnknown(repoName);
    const m = ctx.state.resolve(repo, reference);
    if (!m) return manifestUnknown(repoName, reference);
    return json(200, { registry: ctx.loginServer, imageName: repo.name, manifest: manifestView(ctx, repo, m) });
}
