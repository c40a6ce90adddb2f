/**
 * Microsoft.Authorization/roleAssignments at any scope: `GET <scope>/providers/Microsoft.Authorization/roleAssignments`.
 * The world grants AcrPull (built-in role 7f951dda-4ed3-4680-a7ca-43fe172d538d) at registry scope to the
 * kubelet identity of every cluster whose `acrPull` lists that registry (what `az aks update --attach-acr` does).
 *
 * Scope semantics follow the documented List-for-scope behaviour: without a filter, and with
 * `principalId eq '…'` / `assignedTo('…')`, assignments at, above and below the scope are returned;
 * `atScope()` keeps only those at or above it.
 */
import type { SandboxRequest } from '../http/types.js';
import { stableGuid } from '../state.js';
import { list, pastIso, type ArmContext, type ArmRoute } from './arm-common.js';
import { registryId } from './registries.js';

export const ACR_PULL_ROLE_ID = '7f951dda-4ed3-4680-a7ca-43fe172d538d';

interface Assignment {
    id: string;
    name: string;
    scope: string;
    principalId: string;
}

function assignments(ctx: ArmContext): Assignment[] {
    const out: Assignment[] = [];
    for (const c of ctx.state.world.clusters) {
        for (const regName of c.acrPull) {
            const reg = ctx.state.registry(regName);
            if (!reg) continue;
            const scope = registryId(ctx, reg);
            const name = stableGuid('acrpull', c.kubeletIdentityObjectId, scope.toLowerCase());
            out.push({ id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, name, scope, principalId: c.kubeletIdentityObjectId });
        }
    }
    return out;
}

function toJson(ctx: ArmContext, a: Assignment): object {
    return {
        id: a.id,
        name: a.name,
        type: 'Microsoft.Authorization/roleAssignments',
        properties: {
            roleDefinitionId: `/subscriptions/${ctx.state.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${ACR_PULL_ROLE_ID}`,
            principalId: a.principalId,
            principalType: 'ServicePrincipal',
            scope: a.scope,
            condition: null,
            conditionVersion: null,
            createdOn: pastIso(ctx, 90),
            updatedOn: pastIso(ctx, 90),
            createdBy: null,
            updatedBy: null,
            delegatedManagedIdentityResourceId: null,
            description: null
        }
    };
}

function parseFilter(filter: string | null): { principal?: string; atScope: boolean } {
    if (!filter) return { atScope: false };
    const principal = /principalId\s+eq\s+'([^']+)'/i.exec(filter)?.[1] ?? /assignedTo\('([^']+)'\)/i.exec(filter)?.[1];
    return { principal, atScope: /atScope\(\)/i.test(filter) };
}

/** Assumption: a scope that does not exist answers an empty list (the sandbox does not check the scope resource). */
function handle(req: SandboxRequest, scopeRaw: string, ctx: ArmContext) {
    const scope = scopeRaw.toLowerCase().replace(/\/+$/, '');
    const { principal, atScope } = parseFilter(req.url.searchParams.get('$filter'));
    const found = assignments(ctx).filter(a => {
        const s = a.scope.toLowerCase();
        const aboveOrAt = scope === s || scope.startsWith(s + '/');
        const below = s.startsWith(scope + '/');
        if (!(aboveOrAt || (below && !atScope))) return false;
        return principal === undefined || a.principalId.toLowerCase() === principal.toLowerCase();
    });
    return list(found.map(a => toJson(ctx, a)));
}

/** One pattern for every scope: subscription, resource group, or resource (the registry). */
export const roleAssignmentRoutes: ArmRoute[] = [
    {
        method: 'GET',
        re: /^(?<scope>\/subscriptions\/[^/]+(?:\/.+)?)\/providers\/Microsoft\.Authorization\/roleAssignments$/i,
        // `scope` is the pattern's one required group, so a match always sets it.
        handle: (req, p, ctx) => handle(req, p.scope!, ctx)
    }
];
