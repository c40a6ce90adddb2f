/**
 * Microsoft.Resources/resourceGroups: the groups that exist are the ones a world registry or cluster lives
 * in (a world has no separate list of groups). Clients use these to resolve a name given without its group.
 */
import { list, ok, resourceGroupNotFound, route, SUB, type ArmContext, type ArmRoute } from './arm-common.js';

function groups(ctx: ArmContext): Array<{ name: string; location: string }> {
    const seen = new Map<string, { name: string; location: string }>();
    for (const r of [...ctx.state.world.registries, ...ctx.state.world.clusters]) {
        if (!seen.has(r.resourceGroup.toLowerCase())) seen.set(r.resourceGroup.toLowerCase(), { name: r.resourceGroup, location: r.location });
    }
    return [...seen.values()];
}

function groupJson(ctx: ArmContext, g: { name: string; location: string }): object {
    return {
        id: `/subscriptions/${ctx.state.subscriptionId}/resourceGroups/${g.name}`,
        name: g.name,
        type: 'Microsoft.Resources/resourceGroups',
        location: g.location,
        properties: { provisioningState: 'Succeeded' }
    };
}

export const resourceGroupRoutes: ArmRoute[] = [
    route('GET', `${SUB}/resourceGroups`, (_q, _p, ctx) => list(groups(ctx).map(g => groupJson(ctx, g)))),
    route('GET', `${SUB}/resourceGroups/{rg}`, (_q, p, ctx) => {
        const g = groups(ctx).find(x => x.name.toLowerCase() === p.rg.toLowerCase());
        return g ? ok(groupJson(ctx, g)) : resourceGroupNotFound(p.rg);
    })
];
