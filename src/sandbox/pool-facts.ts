/**
 * Facts derived from an agent pool that both the ARM and the Kubernetes side show, kept in one place so
 * they never disagree: node names, node architecture, node image version, and the sandbox's markers for
 * properties ARM has no field for (OS Guard, confidential VM).
 */
import { createHash } from 'node:crypto';
import type { WorldAgentPool, WorldCluster } from './world/schema.js';

/** Prefix of the labels/tags the sandbox invents where Azure exposes nothing (documented in docs/sandbox.md). */
export const SANDBOX_LABEL_PREFIX = 'sandbox.acr-streaming-mcp/';
/** Agent pool tag marking Azure Linux with OS Guard (no ARM field exists, facts §3.1). */
export const OS_GUARD_TAG = 'sandbox-os-guard';
/** Agent pool tag carrying the world's securityType (the GA AgentPool model has no such field). */
export const SECURITY_TYPE_TAG = 'sandbox-security-type';

/**
 * Azure VM naming: `Standard_<family><vCPUs><features>_v<n>`; a `p` among the feature letters after the
 * vCPU count means an Arm64 (Ampere/Cobalt) size, e.g. Standard_D4ps_v5, Standard_E8pds_v6.
 */
export function vmSizeArchitecture(vmSize: string): 'arm64' | 'amd64' {
    const m = /^Standard_[A-Z]+\d+(?:-\d+)?([a-z]*)/i.exec(vmSize);
    return m && m[1].toLowerCase().includes('p') ? 'arm64' : 'amd64';
}

/** AKS names VMSS nodes `aks-<pool>-<8 digits>-vmss<6 base36>`; the digits are a per-cluster hash. */
export function clusterNodeHash(cluster: WorldCluster): string {
    const h = createHash('sha256').update(cluster.name.toLowerCase()).digest();
    return String(h.readUInt32BE(0) % 100_000_000).padStart(8, '0');
}

export function nodeNames(cluster: WorldCluster, pool: WorldAgentPool): string[] {
    const names: string[] = [];
    for (let i = 0; i < pool.count; i++) {
        const idx = i.toString(36).padStart(6, '0');
        // Windows computer names are limited to 15 characters, so AKS uses `aks<pool><index>` there.
        names.push(pool.osType === 'Windows' ? `aks${pool.name}${idx}` : `aks-${pool.name}-${clusterNodeHash(cluster)}-vmss${idx}`);
    }
    return names;
}

export function poolVersion(cluster: WorldCluster, pool: WorldAgentPool): string {
    return pool.orchestratorVersion ?? cluster.kubernetesVersion;
}

/** A plausible node image version per OS SKU (AKS format `<image>-<yyyymm.dd.n>`); informational only. */
export function nodeImageVersion(pool: WorldAgentPool): string {
    const arm = vmSizeArchitecture(pool.vmSize) === 'arm64';
    const image: Record<string, string> = {
        Ubuntu: 'AKSUbuntu-2204gen2containerd',
        Ubuntu2204: 'AKSUbuntu-2204gen2containerd',
        Ubuntu2404: 'AKSUbuntu-2404gen2containerd',
        AzureLinux: 'AKSAzureLinux-V2gen2',
        AzureLinux3: pool.osGuard ? 'AKSAzureLinuxOSGuard-V3gen2' : 'AKSAzureLinux-V3gen2',
        CBLMariner: 'AKSCBLMariner-V2gen2',
        AzureContainerLinux: 'AKSAzureContainerLinux-gen2',
        Flatcar: 'AKSFlatcar-gen2',
        Windows2019: 'AKSWindows-2019-containerd',
        Windows2022: 'AKSWindows-2022-containerd',
        Windows2025: 'AKSWindows-2025-containerd'
    };
    const base = image[pool.osSKU] ?? 'AKSUbuntu-2204gen2containerd';
    return `${arm ? base.replace('gen2', 'gen2arm64') : base}-202510.03.0`;
}

export function osImageName(pool: WorldAgentPool): string {
    switch (pool.osSKU) {
        case 'Ubuntu':
        case 'Ubuntu2204':
            return 'Ubuntu 22.04.5 LTS';
        case 'Ubuntu2404':
            return 'Ubuntu 24.04.3 LTS';
        case 'AzureLinux':
        case 'CBLMariner':
            return 'CBL-Mariner/Linux';
        case 'AzureLinux3':
            return pool.osGuard ? 'Azure Linux 3.0 (OS Guard)' : 'Microsoft Azure Linux 3.0';
        case 'AzureContainerLinux':
            return 'Azure Container Linux';
        case 'Flatcar':
            return 'Flatcar Container Linux by Kinvolk 4152.2.3 (Oklo)';
        default:
            return pool.osSKU.replace('Windows', 'Windows Server ') + ' Datacenter';
    }
}
