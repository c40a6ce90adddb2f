/**
 * The ARM JSON of an AKS agent pool (api-version 2026-04-01, what @azure/arm-containerservice 25.3.0
 * sends), used both as the agentPools child resource and inside managedClusters.agentPoolProfiles.
 */
import type { WorldAgentPool, WorldCluster } from '../world/schema.js';
import { nodeImageVersion, OS_GUARD_TAG, poolVersion, SECURITY_TYPE_TAG } from '../pool-facts.js';
import { stableGuid } from '../state.js';
import type { ArmContext } from './arm-common.js';

export function clusterId(ctx: ArmContext, c: WorldCluster): string {
    return `/subscriptions/${ctx.state.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${c.name}`;
}

/**
 * Where the AKS API has no field, the sandbox still shows the world's intent:
 * - securityType: the GA AgentPool model only has securityProfile.{enableVTPM, enableSecureBoot, sshAccess}.
 *   Trusted launch and confidential VMs both run with vTPM + secure boot, so those two are true; the exact
 *   type goes into the tag `sandbox-security-type` (kept by the SDK) and into the raw
 *   `securityProfile.securityType` (dropped by the GA SDK's deserializer, visible to raw REST callers).
 *   On real AKS a confidential pool is recognised by its VM size (DCasv5/ECasv5 families).
 * - OS Guard: no ARM field (facts §3.1); shown as the tag `sandbox-os-guard: "true"`.
 */
export function poolProperties(c: WorldCluster, p: WorldAgentPool): Record<string, unknown> {
    const version = poolVersion(c, p);
    const tags: Record<string, string> = {};
    if (p.osGuard) tags[OS_GUARD_TAG] = 'true';
    if (p.securityType) tags[SECURITY_TYPE_TAG] = p.securityType;
    const secure = p.securityType !== null;
    return {
        eTag: stableGuid('etag', c.name, p.name, p.provisioningState, String(p.artifactStreaming), String(p.count)),
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
        tags,
        nodeLabels: {},
        osType: p.osType,
        osSKU: p.osSKU,
        enableEncryptionAtHost: false,
        enableUltraSSD: false,
        enableFIPS: false,
        securityProfile: {
            enableVTPM: secure,
            enableSecureBoot: secure,
            sshAccess: 'LocalUser',
            ...(p.securityType ? { securityType: p.securityType } : {})
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
