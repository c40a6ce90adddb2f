/** `GET /acr/v1/_catalog`, `GET /v2/_catalog` and `GET /acr/v1/{repo}` (repository properties). */
import { json, type SandboxRequest, type SandboxResponse } from '../http/types.js';
import type { AcrContext } from './acr-context.js';
import { nameUnknown } from './acr-errors.js';
import { byName, isResponse, linkHeader, pageOf, pageParams } from './paging.js';

export const CHANGEABLE = { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true } as const;

export function catalog(ctx: AcrContext, req: SandboxRequest, api: 'acr' | 'v2'): SandboxResponse {
    const p = pageParams(req.url);
    if (isResponse(p)) return p;
    const names = [...ctx.state.repos.keys()].sort(byName);
    const page = pageOf(names, n => n, p, true);
    const path = api === 'acr' ? '/acr/v1/_catalog' : '/v2/_catalog';
    const last = page.items.at(-1);
    const headers = page.hasMore && last !== undefined ? linkHeader(path, last, p.n) : {};
    return json(200, { repositories: page.items }, headers);
}

export function repositoryProperties(ctx: AcrContext, repoName: string): SandboxResponse {
    const repo = ctx.state.repo(repoName);
    if (!repo) return nameUnknown(repoName);
    return json(200, {
        registry: ctx.loginServer,
        imageName: repo.name,
        createdTime: repo.createdTime,
        lastUpdateTime: repo.lastUpdateTime,
        manifestCount: repo.manifests.size,
        tagCount: repo.tags.size,
        changeableAttributes: { ...CHANGEABLE, teleportEnabled: false }
    });
}
