/** Node pool and cluster support for artifact streaming (AKS artifact-streaming.md and related pages). */
import { reason, hasBlocker, type Reason } from './reasons.js';
import { architectureOfVmSize, isConfidentialVmSize, type Architecture } from './vm-size.js';

/** AKS docs: Kubernetes 1.25+ (artifact-streaming.md, GA 2026). */
export const MIN_KUBERNETES_AKS = [1, 25] as const;
/** ACR docs: Kubernetes 1.26+ (container-registry-artifact-streaming.md); 1.25 is therefore borderline. */
export const MIN_KUBERNETES_ACR = [1, 26] as const;
/** Node OS SKUs documented as unsupported: Flatcar (flatcar-container-linux-for-aks.md), ACL (azure-container-linux-limitations.md). */
export const UNSUPPORTED_OS_SKUS = ['Flatcar', 'AzureContainerLinux'] as const;
const KATA_RUNTIMES = ['KataVmIsolation', 'KataMshvVmIsolation'];
/**
 * Azure Linux with OS Guard is its own OS SKU (Learn: "Add an Azure Linux with OS Guard node pool",
 * `--os-sku AzureLinuxOSGuard`; AKS node-images page). `AzureLinux3OSGuard` appears as an allowed value in
 * Azure's OS Guard quick-start template; both are accepted.
 */
export const OS_GUARD_OS_SKUS = ['AzureLinuxOSGuard', 'AzureLinux3OSGuard'] as const;

const sameText = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();

/** OS Guard from the fields ARM reports: its OS SKU, or an OS Guard node image (`AzureLinuxOSGuard-…`). */
export function isOsGuardPool(pool: { osSKU?: string; nodeImageVersion?: string }): boolean {
    return OS_GUARD_OS_SKUS.some(sku => sameText(pool.osSKU, sku)) || /osguard/i.test(pool.nodeImageVersion ?? '');
}

/**
 * A confidential VM pool from the fields ARM reports: AKS makes a pool confidential by its VM size (Learn: "Use
 * CVM in AKS"), and its node image carries `cvm` (`AKSUbuntu-2004cvmcontainerd-202507.02.0`, same page).
 */
export function isConfidentialVmPool(pool: { vmSize: string; nodeImageVersion?: string }): boolean {
    return isConfidentialVmSize(pool.vmSize) || /cvm/i.test(pool.nodeImageVersion ?? '');
}

export interface NodePoolFacts {
    name: string;
    osType: string;
    osSKU?: string;
    vmSize: string;
    workloadRuntime?: string;
    nodeImageVersion?: string;
    /**
     * Known from elsewhere (e.g. a node's `kubernetes.azure.com/os-sku` label); otherwise recognised from
     * osSKU and nodeImageVersion (isOsGuardPool).
     */
    osGuard?: boolean;
    /**
     * Known from elsewhere (e.g. a node's `kubernetes.azure.com/security-type=ConfidentialVM` label); otherwise
     * recognised from vmSize and nodeImageVersion (isConfidentialVmPool).
     */
    confidentialVm?: boolean;
    orchestratorVersion?: string;
    provisioningState?: string;
}

export interface NodePoolSupport {
    architecture: Architecture;
    supported: boolean;
    reasons: Reason[];
}

export function parseKubernetesVersion(v: string | undefined): [number, number] | undefined {
    const m = /^v?(\d+)\.(\d+)/.exec(v ?? '');
    return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const below = (v: readonly [number, number], min: readonly [number, number]) => v[0] < min[0] || (v[0] === min[0] && v[1] < min[1]);

export function kubernetesVersionReasons(version: string | undefined, subject: string): Reason[] {
    const v = parseKubernetesVersion(version);
    if (!v) return [];
    if (below(v, MIN_KUBERNETES_AKS)) {
        return [reason('CLUSTER_VERSION_UNSUPPORTED', `${subject} runs Kubernetes ${version}; artifact streaming needs 1.25 or later (az aks upgrade)`)];
    }
    if (below(v, MIN_KUBERNETES_ACR)) {
        return [reason('CLUSTER_VERSION_BORDERLINE', `${subject} runs Kubernetes ${version}: the AKS docs allow 1.25, the ACR docs ask for 1.26+`)];
    }
    return [];
}

export function nodePoolSupport(pool: NodePoolFacts, clusterVersion?: string): NodePoolSupport {
    const architecture = architectureOfVmSize(pool.vmSize);
    const reasons: Reason[] = [];
    if (pool.osType.toLowerCase() === 'windows' || pool.osSKU?.toLowerCase().startsWith('windows')) {
        reasons.push(reason('NODEPOOL_WINDOWS', 'Windows node pools do not support artifact streaming'));
    }
    if (architecture === 'arm64') {
        reasons.push(reason('NODEPOOL_ARM64', `${pool.vmSize} is an Arm64 size; only linux/amd64 streams`));
    }
    if (UNSUPPORTED_OS_SKUS.some(sku => sameText(pool.osSKU, sku))) {
        reasons.push(reason('NODEPOOL_OS_UNSUPPORTED', `node OS ${pool.osSKU} does not support artifact streaming`));
    }
    if (pool.osGuard ?? isOsGuardPool(pool)) {
        reasons.push(reason('NODEPOOL_OS_UNSUPPORTED', 'Azure Linux with OS Guard does not support artifact streaming'));
    }
    reasons.push(...kubernetesVersionReasons(pool.orchestratorVersion ?? clusterVersion, `node pool ${pool.name}`));
    if (pool.workloadRuntime && KATA_RUNTIMES.includes(pool.workloadRuntime)) {
        reasons.push(reason('NODEPOOL_KATA_RUNTIME', `workload runtime ${pool.workloadRuntime} (pod sandboxing) is not documented as supported with artifact streaming`));
    }
    if (pool.confidentialVm ?? isConfidentialVmPool(pool)) {
        reasons.push(reason('NODEPOOL_CONFIDENTIAL_VM', 'confidential VM node pools are not documented as supported with artifact streaming'));
    }
    if (pool.provisioningState?.toLowerCase() === 'updating') {
        reasons.push(reason('NODEPOOL_UPDATING', 'the node pool is updating (a streaming toggle reimages nodes)'));
    }
    return { architecture, supported: !hasBlocker(reasons), reasons };
}
