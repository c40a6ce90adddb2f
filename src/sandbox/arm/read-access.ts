/**
 * Reads by a signed-in world user (emulated Entra) need a role that grants the resource type's `read`
 * action, as in Azure: Owner, Contributor and Reader do for registries; AcrPull, AcrPush, AcrDelete and the
 * Container Registry Repository roles grant data-plane actions only; for clusters the AKS Contributor Role
 * does too (Learn: Azure built-in roles, docs/sources.md). A user's world roles apply to every registry or
 * cluster alike, so a user without such a role reads none.
 *
 * Assumption (docs/sandbox.md): a list (subscription or resource-group scope) answers 200 with only what the
 * caller may read, here nothing, the way `az acr list` shows a user only the registries they can read; a
 * GET of one resource, or of anything below it, is 403 AuthorizationFailed naming the read action. Callers
 * that did not sign in keep the world's default roles, which only gate writes.
 */
import type { SandboxRequest, SandboxResponse } from '../http/types.js';
import { authorizationFailed, list, type ArmContext } from './arm-common.js';

const TYPES = [
    { provider: 'Microsoft.ContainerRegistry', type: 'registries', readers: new Set(['Owner', 'Contributor', 'Reader']), roles: (ctx: ArmContext) => ctx.caller?.registryRoles },
    {
        provider: 'Microsoft.ContainerService',
        type: 'managedClusters',
        readers: new Set(['Owner', 'Contributor', 'Reader', 'Azure Kubernetes Service Contributor Role']),
        roles: (ctx: ArmContext) => ctx.caller?.clusterRoles
    }
];

export function readDenied(ctx: ArmContext, req: SandboxRequest, path: string): SandboxResponse | undefined {
    if (!ctx.caller || req.method !== 'GET') return undefined;
    for (const t of TYPES) {
        const m = new RegExp(`/providers/${t.provider}/${t.type}(/[^/]+)?`, 'i').exec(path);
        if (!m) continue;
        if ((t.roles(ctx) ?? []).some(r => t.readers.has(r))) return undefined;
        if (!m[1]) return list([]);
        return authorizationFailed(ctx, `${t.provider}/${t.type}/read`, path.slice(0, m.index + m[0].length));
    }
    return undefined;
}
