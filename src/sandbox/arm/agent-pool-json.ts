/**
 * The ARM JSON of an AKS agent pool (api-version 2026-04-01, what @azure/arm-containerservice 25.3.0
 * sends), used both as the agentPools child resource and inside managedClusters.agentPoolProfiles.
 */
import type { WorldAgentPool, WorldCluster } from '../world/schema.js';
import { armOsSku, nodeImageVersion, poolFips, poolSecurityType, poolVersion } from '../pool-facts.js';
import { poolETag } from '../state.js';
import type { ArmContext } from './arm-common.js';

export function clusterId(ctx: ArmContext, c: WorldCluster): string {
    return `/subscriptions/${ctx.state.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${c.name}`;
}

/**
 * The world's OS Guard, confidential VM and Trusted Launch intent, shown only through fields AKS has
 * (docs/sandbox.md, "OS Guard, confidential VM and Trusted Launch"):
 * - OS Guard: `osSKU: AzureLinuxOSGuard`, `enableFIPS: true`, secure boot and vTPM on (all three are required,
 *   Learn: "Add an Azure Linux with OS Guard node pool"), and an OS Guard node image.
 * - Confidential VM: the VM size alone (Learn: "Use CVM in AKS"), plus a `cvm` node image. The GA AgentPool has
 *   no security-type field, so none is invented.
 * - Trusted Launch: `securityProfile.enableSecureBoot` / `enableVTPM` and a `TL` node image (Learn: "Trusted Launch for AKS").
 */
export function poolProperties(c: WorldCluster, p: WorldAgentPool): Record<string, unknown> {
    const version = poolVersion(c, p);
    // Assumption: CVMs run with vTPM and secure boot, so AKS is taken to report both flags as on for them.
    const secure = poolSecurityType(p) !== null;
    return {
        eTag: poolETag(p),
        count: p.count,
        vmSize: p.vmSize,
        osDiskSizeGB: 128,
        osDiskType: 'Managed',
        kubeletDiskType: 'OS',
        workloadRuntime: p.workloadRuntime,
        maxPods: p.osType === 'Windows' ? 30 : 110,
        type: 'VirtualMachineScaleSets',
        enableAutoScaling: false,
        scaleDownMode: 'Delete',
        mode: p.mode,
        orchestratorVersion: version,
        currentOrchestratorVersion: version,
        nodeImageVersion: nodeImageVersion(p),
        upgradeSettings: { maxSurge: '10%' },
        provisioningState: p.provisioningState,
        powerState: { code: 'Running' },
        enableNodePublicIP: false,
        tags: {},
        nodeLabels: {},
        osType: p.osType,
        osSKU: armOsSku(p),
        enableEncryptionAtHost: false,
        enableUltraSSD: false,
        enableFIPS: poolFips(p),
        securityProfile: {
            enableVTPM: secure,
            enableSecureBoot: secure,
            sshAccess: 'LocalUser'
        },
        artifactStreamingProfile: { enabled: p.artifactStreaming }
    };
}

export function agentPoolJson(ctx: ArmContext, c: WorldCluster, p: WorldAgentPool): object {
    return {
        id: `${clusterId(ctx, c)}/agentPools/${p.name}`,
        name: p.name,
        type: 'Microsoft.ContainerService/managedClusters/agentPools',
        properties: poolProperties(c, p)
    };
}
