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

export interface NodePoolFacts {
    name: string;
    osType: string;
    osSKU?: string;
    vmSize: string;
    workloadRuntime?: string;
    /** Azure Linux with OS Guard; no ARM field exists for it in public API versions, so usually undefined. */
    osGuard?: boolean;
    /** securityType ConfidentialVM where the API reports it; otherwise derived from the VM size. */
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
    if (pool.osSKU && UNSUPPORTED_OS_SKUS.some(sku => sku.toLowerCase() === pool.osSKU!.toLowerCase())) {
        reasons.push(reason('NODEPOOL_OS_UNSUPPORTED', `node OS ${pool.osSKU} does not support artifact streaming`));
    }
    if (pool.osGuard) {
        reasons.push(reason('NODEPOOL_OS_UNSUPPORTED', 'Azure Linux with OS Guard does not support artifact streaming'));
    }
    reasons.push(...kubernetesVersionReasons(pool.orchestratorVersion ?? clusterVersion, `node pool ${pool.name}`));
    if (pool.workloadRuntime && KATA_RUNTIMES.includes(pool.workloadRuntime)) {
        reasons.push(reason('NODEPOOL_KATA_RUNTIME', `workload runtime ${pool.workloadRuntime} (pod sandboxing) is not documented as supported with artifact streaming`));
    }
    if (pool.confidentialVm ?? isConfidentialVmSize(pool.vmSize)) {
        reasons.push(reason('NODEPOOL_CONFIDENTIAL_VM', 'confidential VM node pools are not documented as supported with artifact streaming'));
    }
    if (pool.provisioningState?.toLowerCase() === 'updating') {
        reasons.push(reason('NODEPOOL_UPDATING', 'the node pool is updating (a streaming toggle reimages nodes)'));
    }
    return { architecture, supported: !hasBlocker(reasons), reasons };
}
