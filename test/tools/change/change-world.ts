/** A small world for the change-tool tests: one registry per permission mode, one cluster with every pool kind. */
import type { WorldInput } from '../../../src/sandbox/world/schema.js';

const amd64 = { os: 'linux' as const, architecture: 'amd64' as const, layerSizes: [50_000_000, 900_000_000] };
const arm64 = { os: 'linux' as const, architecture: 'arm64' as const, layerSizes: [40_000_000] };
const repo = (name: string, convertPushedImages = false) => ({
    name,
    convertPushedImages,
    images: [
        { tags: ['v3'], platforms: [amd64], pushedAt: '2026-11-03T00:00:00Z' },
        { tags: ['v2', 'stable'], platforms: [amd64], streaming: 'converted' as const, pushedAt: '2026-11-02T00:00:00Z' },
        { tags: ['v1-arm'], platforms: [arm64], pushedAt: '2026-11-01T00:00:00Z' },
        { tags: ['v0'], platforms: [amd64], pushedAt: '2026-10-01T00:00:00Z' }
    ]
});

export function changeWorld(overrides: { registryRoles?: string[]; abacRoles?: string[]; clusterRoles?: string[] } = {}): WorldInput {
    return {
        version: 1,
        subscription: { id: '00000000-0000-0000-0000-0000000000c8', tenantId: 'tenant-change' },
        registries: [
            { name: 'changeacr', resourceGroup: 'rg-change', sku: 'Premium', callerRoles: (overrides.registryRoles ?? ['Owner']) as never, repositories: [repo('ml/trainer'), repo('web/app', true)] },
            {
                name: 'abacacr',
                resourceGroup: 'rg-change',
                sku: 'Premium',
                roleAssignmentMode: 'AbacRepositoryPermissions',
                callerRoles: (overrides.abacRoles ?? ['Container Registry Repository Contributor']) as never,
                repositories: [repo('ml/trainer')]
            },
            { name: 'basicacr', resourceGroup: 'rg-change', sku: 'Basic', repositories: [repo('ml/trainer')] },
            { name: 'cmkacr', resourceGroup: 'rg-change', sku: 'Premium', customerManagedKey: true, repositories: [repo('ml/trainer')] }
        ],
        clusters: [
            {
                name: 'aks-change',
                resourceGroup: 'rg-change',
                kubernetesVersion: '1.30.5',
                kubeletIdentityObjectId: 'kubelet-change',
                callerRoles: (overrides.clusterRoles ?? ['Azure Kubernetes Service Contributor Role']) as never,
                agentPools: [
                    { name: 'system', mode: 'System', osType: 'Linux', osSKU: 'AzureLinux', vmSize: 'Standard_D4ds_v5', count: 2 },
                    { name: 'gpupool', osType: 'Linux', osSKU: 'Ubuntu2204', vmSize: 'Standard_NC24ads_A100_v4', count: 3 },
                    { name: 'npwin', osType: 'Windows', osSKU: 'Windows2022', vmSize: 'Standard_D4s_v5', count: 1 },
                    { name: 'armpool', osType: 'Linux', osSKU: 'Ubuntu2204', vmSize: 'Standard_D4ps_v5', count: 2 },
                    { name: 'flatcar', osType: 'Linux', osSKU: 'Flatcar', vmSize: 'Standard_D4s_v5', count: 1 }
                ]
            }
        ],
        behaviour: { conversionSeconds: 0.3, nodePoolUpdateSeconds: 0.3 }
    };
}
