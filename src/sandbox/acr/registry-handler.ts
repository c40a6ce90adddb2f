/**
 * The ACR data plane of one sandbox registry, mounted by the sandbox core on that registry's HTTPS
 * listener (origin `https://127.0.0.1:<port>`). The core applies latency, faults and the request log
 * first; this handler then routes, checks the bearer scope (scope-table.ts), proxies to an upstream
 * registry when configured, and serves the route. It never throws: any unexpected error becomes an
 * ACR-style 500 so the server keeps running.
 */
import type { EntraIdentity } from '../entra/entra-identity.js';
import { json, type SandboxHandler, type SandboxRequest, type SandboxResponse } from '../http/types.js';
import type { World, WorldBehaviour, WorldRegistry } from '../world/schema.js';
import { createUpstreamClient } from '../upstream/upstream-client.js';
import { proxyToUpstream } from '../upstream/upstream-proxy.js';
import { AcrContext } from './acr-context.js';
import { acrError, methodNotAllowed } from './acr-errors.js';
import { guard } from './auth-guard.js';
import { deleteBlob, getBlob, upload } from './blob-routes.js';
import { catalog, repositoryProperties } from './catalog-routes.js';
import { deleteManifest, getManifest, listV2Tags, putManifest, V2_HEADERS } from './manifest-routes.js';
import { deleteTag, getManifestProperties, getTag, listManifests, listTags } from './metadata-routes.js';
import { listReferrers } from './referrer-routes.js';
import { matchRoute, REPO_NAME_RE, type Route } from './route-match.js';
import { requirementFor } from './scope-table.js';
import { imageStreaming, operation, streamingSetting } from './streaming-routes.js';
import { loadRegistryContent } from './world-loader.js';

export interface RegistryHandlerOptions {
    world: World;
    registry: WorldRegistry;
    loginServer: string;
    origin: string;
    behaviour: WorldBehaviour;
    upstream?: { url: string; caPem?: string };
    now?: () => number;
    identity?: EntraIdentity;
}

const PROXIED = new Set<Route['kind']>(['v2-manifest', 'v2-blob', 'v2-upload', 'v2-tags']);

export function createRegistryHandler(opts: RegistryHandlerOptions): { handle: SandboxHandler; close(): Promise<void> } {
    const upstream = opts.upstream ? createUpstreamClient(opts.upstream) : undefined;
    const ctx = new AcrContext({ ...opts, now: opts.now ?? Date.now, upstream });
    loadRegistryContent(ctx);

    async function handle(req: SandboxRequest): Promise<SandboxResponse | undefined> {
        const route = matchRoute(req.path);
        if (!route) return undefined;
        try {
            return await serve(ctx, req, route);
        } catch (err) {
            return acrError(500, 'INTERNAL_ERROR', `sandbox registry error: ${err instanceof Error ? err.message : String(err)}`);
        }
    }

    return {
        handle,
        async close() {
            upstream?.close();
        }
    };
}

async function serve(ctx: AcrContext, req: SandboxRequest, route: Route): Promise<SandboxResponse> {
    if (route.kind === 'unknown') return acrError(404, 'NOT_FOUND', `no data-plane route for ${req.method} ${req.path}`);
    const requirement = requirementFor(route, req.method);
    if (requirement === undefined) return methodNotAllowed(req.method, req.path);
    if ('repo' in route && !REPO_NAME_RE.test(route.repo)) {
        return acrError(400, 'NAME_INVALID', 'invalid repository name', { name: route.repo });
    }
    if (requirement !== false) {
        const refused = guard(ctx, req, requirement === true ? undefined : requirement);
        if (refused) return requirement === true || route.kind.startsWith('v2') ? withV2(refused) : refused;
    }
    ctx.settle();
    if (ctx.upstream && PROXIED.has(route.kind)) return proxyToUpstream(ctx.upstream, req);
    return dispatch(ctx, req, route);
}

const withV2 = (res: SandboxResponse): SandboxResponse => ({ ...res, headers: { ...V2_HEADERS, ...res.headers } });

async function dispatch(ctx: AcrContext, req: SandboxRequest, route: Route): Promise<SandboxResponse> {
    const m = req.method;
    switch (route.kind) {
        case 'exchange':
            return ctx.tokens.exchange(req);
        case 'token':
            return ctx.tokens.token(req);
        case 'v2-base':
            return json(200, {}, V2_HEADERS);
        case 'catalog':
            return catalog(ctx, req, route.api);
        case 'v2-manifest':
            if (m === 'PUT') return putManifest(ctx, req, route.repo, route.reference);
            if (m === 'DELETE') return deleteManifest(ctx, route.repo, route.reference);
            return getManifest(ctx, req, route.repo, route.reference);
        case 'v2-blob':
            return m === 'DELETE' ? deleteBlob(ctx, route.repo, route.digest) : getBlob(ctx, req, route.repo, route.digest);
        case 'v2-upload':
            return upload(ctx, req, route.repo, route.uploadId);
        case 'v2-tags':
            return listV2Tags(ctx, req, route.repo);
        case 'v2-referrers':
            return listReferrers(ctx, req, route.repo, route.digest);
        case 'acr-repo':
            return repositoryProperties(ctx, route.repo);
        case 'acr-tags':
            if (!route.tag) return listTags(ctx, req, route.repo);
            return m === 'DELETE' ? deleteTag(ctx, route.repo, route.tag) : getTag(ctx, route.repo, route.tag);
        case 'acr-manifests':
            return route.digest ? getManifestProperties(ctx, route.repo, route.digest) : listManifests(ctx, req, route.repo);
        case 'acr-streaming':
        case 'acr-operation': {
            const refused = ctx.streamingRefusal();
            if (refused) return refused;
            if (route.kind === 'acr-operation') return operation(ctx, route.repo, route.id, route.cancel);
            return route.digest ? imageStreaming(ctx, req, route.repo, route.digest) : streamingSetting(ctx, req, route.repo);
        }
        case 'unknown':
            return acrError(404, 'NOT_FOUND', `no data-plane route for ${m} ${req.path}`);
    }
}
