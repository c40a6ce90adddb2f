/**
 * How Azure shows a world agent pool, derived once so the ARM side (arm/agent-pool-json.ts) and the
 * Kubernetes side (kube/nodes.ts) never disagree: the OS SKU ARM reports, node names, architecture, security
 * type, FIPS, node image version and OS image. The VM-size facts (architecture, confidential VM) come from the
 * production rule in src/streaming/vm-size.ts, so the emulator cannot drift from what the tools conclude;
 * the strings Azure shows (OS SKU values, image names, labels) are written here independently.
 * Sources and assumptions: docs/sandbox.md ("OS Guard, confidential VM and Trusted Launch").
 */
import { createHash } from 'node:crypto';
import { architectureOfVmSize, isConfidentialVmSize } from '../streaming/vm-size.js';
import type { WorldAgentPool, WorldCluster } from './world/schema.js';

/**
 * The CPU architecture of the pool's nodes. A size the rule cannot read is refused when the world loads
 * (world/schema.ts), so `unknown` cannot reach here; amd64 keeps the type total.
 */
export function poolArchitecture(pool: Pick<WorldAgentPool, 'vmSize'>): 'amd64' | 'arm64' {
    return architectureOfVmSize(pool.vmSize) === 'arm64' ? 'arm64' : 'amd64';
}

/**
 * The `osSKU` ARM reports. Azure Linux with OS Guard is its own OS SKU, `AzureLinuxOSGuard` (Learn: "Add an
 * Azure Linux with OS Guard node pool", `az aks nodepool add --os-sku AzureLinuxOSGuard`); the world spells it
 * as Azure Linux plus `osGuard: true`.
 */
export function armOsSku(pool: Pick<WorldAgentPool, 'osSKU' | 'osGuard'>): string {
    return pool.osGuard ? 'AzureLinuxOSGuard' : pool.osSKU;
}

export type SecurityType = 'ConfidentialVM' | 'TrustedLaunch';

/**
 * What the node label `kubernetes.azure.com/security-type` says. AKS makes a pool confidential by its VM size
 * alone (Learn: "Use Confidential Virtual Machines (CVM) in AKS"), so the size decides; Trusted Launch is the
 * world's `securityType`. OS Guard requires secure boot and vTPM, which AKS provides with its Trusted Launch image
 * (Learn: "Trusted Launch for AKS"); assumption: its nodes carry `TrustedLaunch` too (not documented).
 */
export function poolSecurityType(pool: Pick<WorldAgentPool, 'vmSize' | 'securityType' | 'osGuard'>): SecurityType | null {
    if (isConfidentialVmSize(pool.vmSize)) return 'ConfidentialVM';
    return pool.securityType ?? (pool.osGuard ? 'TrustedLaunch' : null);
}

/** OS Guard requires a FIPS image (Learn: "Add an Azure Linux with OS Guard node pool": `--enable-fips-image`). */
export function poolFips(pool: Pick<WorldAgentPool, 'osGuard'>): boolean {
    return pool.osGuard;
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

const IMAGE_BY_OS_SKU: Record<string, string> = {
    Ubuntu: 'AKSUbuntu-2204gen2containerd',
    Ubuntu2204: 'AKSUbuntu-2204gen2containerd',
    Ubuntu2404: 'AKSUbuntu-2404gen2containerd',
    AzureLinux: 'AKSAzureLinux-V2gen2',
    AzureLinux3: 'AKSAzureLinux-V3gen2',
    CBLMariner: 'AKSCBLMariner-V2gen2',
    AzureContainerLinux: 'AKSAzureContainerLinux-gen2',
    Flatcar: 'AKSFlatcar-gen2',
    Windows2019: 'AKSWindows-2019-containerd',
    Windows2022: 'AKSWindows-2022-containerd',
    Windows2025: 'AKSWindows-2025-containerd'
};

/**
 * A plausible node image version (AKS format `<image>-<yyyymm.dd.n>`). The variant parts follow the examples AKS
 * documents: `TL` for Trusted Launch (`AKSUbuntu-2204gen2TLcontainerd`, Learn: "Trusted Launch for AKS"), `cvm`
 * for confidential VMs (`AKSUbuntu-2004cvmcontainerd-202507.02.0`, Learn: "Use CVM in AKS"), `arm64` for Arm64
 * sizes, and an `AzureLinuxOSGuard` image for OS Guard. Assumption: the exact image names per OS SKU
 * are not published; only these markers are.
 */
export function nodeImageVersion(pool: WorldAgentPool): string {
    let image = pool.osGuard ? 'AKSAzureLinuxOSGuard-V3gen2' : (IMAGE_BY_OS_SKU[pool.osSKU] ?? 'AKSUbuntu-2204gen2containerd');
    const security = poolSecurityType(pool);
    // AKS has no Ubuntu 22.04 CVM image: `Ubuntu` CVM pools get 20.04 (Learn: "Use CVM in AKS", supported OS versions).
    if (security === 'ConfidentialVM') image = pool.osSKU === 'Ubuntu' ? 'AKSUbuntu-2004cvmcontainerd' : image.replace('gen2', 'cvm');
    else if (poolArchitecture(pool) === 'arm64') image = image.replace('gen2', 'gen2arm64');
    else if (security === 'TrustedLaunch') image = image.replace('gen2', 'gen2TL');
    return `${image}-202510.03.0`;
}

export function osImageName(pool: WorldAgentPool): string {
    if (pool.osGuard) return 'Azure Linux 3.0 (OS Guard)';
    if (pool.osSKU === 'Ubuntu' && poolSecurityType(pool) === 'ConfidentialVM') return 'Ubuntu 20.04.6 LTS';
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
            return 'Microsoft Azure Linux 3.0';
        case 'AzureContainerLinux':
            return 'Azure Container Linux';
        case 'Flatcar':
            return 'Flatcar Container Linux by Kinvolk 4152.2.3 (Oklo)';
        default:
            return pool.osSKU.replace('Windows', 'Windows Server ') + ' Datacenter';
    }
}

/** Node labels AKS sets for pod sandboxing (`kubernetes.azure.com/kata-vm-isolation=true` on KataVmIsolation pools). */
export function workloadRuntimeLabel(pool: Pick<WorldAgentPool, 'workloadRuntime'>): string | undefined {
    if (pool.workloadRuntime === 'KataVmIsolation') return 'kubernetes.azure.com/kata-vm-isolation';
    if (pool.workloadRuntime === 'KataMshvVmIsolation') return 'kubernetes.azure.com/kata-mshv-vm-isolation';
    return undefined;
}
