/**
 * Microsoft.ContainerService/managedClusters: get, list (subscription, resource group), and the user /
 * admin credential POSTs whose kubeconfig points at the sandbox's API server for that cluster.
 */
import type { WorldCluster } from '../world/schema.js';
import { buildKubeconfig } from '../kube/kubeconfig.js';
import { stableGuid } from '../state.js';
import { armError, kubeAccessKey, list, ok, RG, resourceGroupNotFound, resourceNotFound, route, SUB, type ArmContext, type ArmRoute } from './arm-common.js';
import { clusterId, poolProperties } from './agent-pool-json.js';

const TYPE = 'Microsoft.ContainerService/managedClusters';

export function nodeResourceGroup(c: WorldCluster): string {
    return `MC_${c.resourceGroup}_${c.name}_${c.location}`;
}

function clusterJson(ctx: ArmContext, c: WorldCluster): object {
    const hash = stableGuid('fqdn', c.name).slice(0, 8);
    const dnsPrefix = `${c.name}-dns`;
    const updating = c.agentPools.some(p => p.provisioningState !== 'Succeeded');
    return {
        id: clusterId(ctx, c),
        location: c.location,
        name: c.name,
        // ARM returns the type with this casing for managed clusters.
        type: 'Microsoft.ContainerService/ManagedClusters',
        tags: {},
        sku: { name: 'Base', tier: 'Free' },
        identity: { type: 'SystemAssigned', principalId: stableGuid('cluster-identity', c.name), tenantId: ctx.state.world.subscription.tenantId },
        properties: {
            // Assumption: the cluster shows Updating while one of its pools is being updated.
            provisioningState: updating ? 'Updating' : 'Succeeded',
            powerState: { code: 'Running' },
            kubernetesVersion: c.kubernetesVersion,
            currentKubernetesVersion: c.kubernetesVersion,
            dnsPrefix,
            fqdn: `${dnsPrefix}-${hash}.hcp.${c.location}.azmk8s.io`,
            azurePortalFQDN: `${dnsPrefix}-${hash}.portal.hcp.${c.location}.azmk8s.io`,
            agentPoolProfiles: c.agentPools.map(p => ({ name: p.name, ...poolProperties(c, p) })),
            nodeResourceGroup: nodeResourceGroup(c),
            enableRBAC: true,
            supportPlan: 'KubernetesOfficial',
            disableLocalAccounts: false,
            networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay', loadBalancerSku: 'standard', outboundType: 'loadBalancer' },
            maxAgentPools: 100,
            identityProfile: {
                kubeletidentity: {
                    resourceId: `/subscriptions/${ctx.state.subscriptionId}/resourcegroups/${nodeResourceGroup(c)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${c.name}-agentpool`,
                    clientId: stableGuid('kubelet-client', c.kubeletIdentityObjectId),
                    objectId: c.kubeletIdentityObjectId
                }
            },
            oidcIssuerProfile: { enabled: false }
        }
    };
}

export function findCluster(ctx: ArmContext, rg: string, name: string): { c: WorldCluster; error?: undefined } | { c?: undefined; error: ReturnType<typeof armError> } {
    if (!ctx.state.hasResourceGroup(rg)) return { error: resourceGroupNotFound(rg) };
    const c = ctx.state.cluster(name, rg);
    return c ? { c } : { error: resourceNotFound(TYPE, name, rg) };
}

function credentials(ctx: ArmContext, rg: string, name: string, kind: 'clusterUser' | 'clusterAdmin') {
    const f = findCluster(ctx, rg, name);
    if (!f.c) return f.error;
    const access = ctx.kube[kubeAccessKey(f.c)];
    // Every world cluster gets an API server at start; one without is a sandbox bug, said as ARM would.
    if (!access) return armError(500, 'InternalServerError', `The cluster '${f.c.name}' has no API server.`);
    const yaml = buildKubeconfig({ cluster: f.c.name, resourceGroup: f.c.resourceGroup, server: access.server, caPem: ctx.caPem, token: access.token, kind });
    return ok({ kubeconfigs: [{ name: kind, value: Buffer.from(yaml, 'utf8').toString('base64') }] });
}

const MC = `${RG}/providers/Microsoft.ContainerService/managedClusters/{name}` as const;

export const managedClusterRoutes: ArmRoute[] = [
    route('GET', `${SUB}/providers/Microsoft.ContainerService/managedClusters`, (_q, _p, ctx) => list(ctx.state.clusters().map(c => clusterJson(ctx, c)))),
    route('GET', `${RG}/providers/Microsoft.ContainerService/managedClusters`, (_q, p, ctx) => {
        if (!ctx.state.hasResourceGroup(p.rg)) return resourceGroupNotFound(p.rg);
        return list(ctx.state.clusters().filter(c => c.resourceGroup.toLowerCase() === p.rg.toLowerCase()).map(c => clusterJson(ctx, c)));
    }),
    route('GET', MC, (_q, p, ctx) => {
        const f = findCluster(ctx, p.rg, p.name);
        return f.c ? ok(clusterJson(ctx, f.c)) : f.error;
    }),
    route('POST', `${MC}/listClusterUserCredential`, (_q, p, ctx) => credentials(ctx, p.rg, p.name, 'clusterUser')),
    route('POST', `${MC}/listClusterAdminCredential`, (_q, p, ctx) => credentials(ctx, p.rg, p.name, 'clusterAdmin'))
];
