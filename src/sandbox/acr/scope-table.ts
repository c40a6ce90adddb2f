/**
 * Which token scope each route and method needs, in one table. Sources: the CLI's requested scopes
 * (azure-cli recording, docs/sources.md) and the Docker token spec. Assumptions where Azure documents nothing:
 * - ACR metadata routes (/acr/v1/{repo}, _tags, _manifests) need `metadata_read` (writes:
 *   `metadata_write`); a plain `pull` token is refused, as scope-map tokens with only content/read are.
 * - `_streaming` reads and operation reads need `pull`; starting a conversion, changing the repository
 *   setting and cancelling need `push` (the CLI asks for `pull,push` for those).
 * - Deleting a manifest (including a streaming referrer, i.e. disabling streaming for an image) or
 *   untagging needs `delete`.
 */
import type { Route } from './route-match.js';
import { CATALOG_NEED, repoNeed, type ScopeNeed } from './scopes.js';

/** `false` = no bearer needed (token endpoints); `true` = any valid bearer; else the scope needed. */
export type Requirement = false | true | ScopeNeed;

/** undefined = this method is not allowed on the route (405). */
export function requirementFor(route: Route, method: string): Requirement | undefined {
    const read = method === 'GET' || method === 'HEAD';
    switch (route.kind) {
        case 'exchange':
            return method === 'POST' ? false : undefined;
        case 'token':
            return method === 'POST' || method === 'GET' ? false : undefined;
        case 'v2-base':
            return read ? true : undefined;
        case 'catalog':
            return read ? CATALOG_NEED : undefined;
        case 'v2-manifest':
            if (read) return repoNeed(route.repo, ['pull']);
            if (method === 'PUT') return repoNeed(route.repo, ['push'], 'pull,push');
            if (method === 'DELETE') return repoNeed(route.repo, ['delete']);
            return undefined;
        case 'v2-blob':
            if (read) return repoNeed(route.repo, ['pull']);
            if (method === 'DELETE') return repoNeed(route.repo, ['delete']);
            return undefined;
        case 'v2-upload':
            return ['POST', 'PATCH', 'PUT', 'GET', 'DELETE'].includes(method) ? repoNeed(route.repo, ['push'], 'pull,push') : undefined;
        case 'v2-tags':
        case 'v2-referrers':
            return read ? repoNeed(route.repo, ['pull']) : undefined;
        case 'acr-repo':
        case 'acr-manifests':
            return read ? metadataRead(route.repo) : undefined;
        case 'acr-tags':
            if (read) return metadataRead(route.repo);
            if (method === 'DELETE' && route.tag) return repoNeed(route.repo, ['delete']);
            return undefined;
        case 'acr-streaming':
            if (read) return repoNeed(route.repo, ['pull']);
            if (method === 'POST') return repoNeed(route.repo, ['push'], 'pull,push');
            return undefined;
        case 'acr-operation':
            if (route.cancel) return method === 'POST' ? repoNeed(route.repo, ['push'], 'pull,push') : undefined;
            return read ? repoNeed(route.repo, ['pull']) : undefined;
        case 'unknown':
            return undefined;
    }
}

const metadataRead = (repo: string): ScopeNeed => repoNeed(repo, ['metadata_read']);
