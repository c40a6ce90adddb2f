/** Cluster and node pool support for artifact streaming (AKS artifact-streaming.md and related pages). */
import type { ClusterFacts, NodePoolFacts, PullGrantFacts, RegistryFacts } from './facts.js';
import { finding, hasBlocker, type Finding } from './findings.js';
import { fixes } from './fixes.js';
import { support, type Support } from './registry-rules.js';
import { MIN_KUBERNETES_ACR, MIN_KUBERNETES_AKS } from './thresholds.js';
import { architectureOfVmSize, isConfidentialVmSize, type Architecture } from './vm-size.js';

export type { NodePoolFacts } from './facts.js';
export { MIN_KUBERNETES_ACR, MIN_KUBERNETES_AKS } from './thresholds.js';

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

/** Names used in the fixes' commands; placeholders when the rule runs without a cluster (e.g. a world check). */
export interface ClusterRef {
    cluster: string;
    resourceGroup: string;
}

const PLACEHOLDER: ClusterRef = { cluster: '<cluster>', resourceGroup: '<resource group>' };

export interface NodePoolSupport extends Support {
    architecture: Architecture;
}

export function parseKubernetesVersion(v: string | undefined): [number, number] | undefined {
    const m = /^v?(\d+)\.(\d+)/.exec(v ?? '');
    return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const below = (v: readonly [number, number], min: readonly [number, number]) => v[0] < min[0] || (v[0] === min[0] && v[1] < min[1]);

export function kubernetesVersionFindings(version: string | undefined, subject: string, ref: ClusterRef = PLACEHOLDER): Finding[] {
    const v = parseKubernetesVersion(version);
    if (!v) return [];
    if (below(v, MIN_KUBERNETES_AKS)) {
        return [finding('CLUSTER_VERSION_UNSUPPORTED', `${subject} runs Kubernetes ${version}`, fixes.upgradeCluster(ref.cluster, ref.resourceGroup))];
    }
    if (below(v, MIN_KUBERNETES_ACR)) {
        return [finding('CLUSTER_VERSION_BORDERLINE', `${subject} runs Kubernetes ${version}`, fixes.upgradeCluster(ref.cluster, ref.resourceGroup))];
    }
    return [];
}

export function clusterFindings(c: ClusterFacts): Finding[] {
    return kubernetesVersionFindings(c.kubernetesVersion, `cluster ${c.name}`, { cluster: c.name, resourceGroup: c.resourceGroup });
}

export function acrPullFindings(grant: PullGrantFacts, c: ClusterFacts, reg: RegistryFacts): Finding[] {
    if (grant.granted) return [];
    const abac = reg.abacRepositoryPermissions === true;
    const evidence = abac
        ? `no Container Registry Repository role for the kubelet identity${grant.principalId ? ` ${grant.principalId}` : ''} on ${reg.name} (an ABAC-enabled registry: AcrPull is not honoured)`
        : `no AcrPull (or a role containing it) for the kubelet identity${grant.principalId ? ` ${grant.principalId}` : ''} on ${reg.name}`;
    return [finding('CLUSTER_NO_ACR_PULL', evidence, abac ? fixes.repositoryReader(reg.name, grant.principalId, reg.id) : fixes.attachAcr(c.name, c.resourceGroup, reg.name))];
}

/** What makes a pool unable to stream (or risky), whether or not streaming is turned on. */
export function nodePoolSupport(pool: NodePoolFacts, clusterVersion?: string, ref: ClusterRef = PLACEHOLDER): NodePoolSupport {
    const architecture = architectureOfVmSize(pool.vmSize);
    const out: Finding[] = [];
    const move = (why: string) => fixes.linuxAmd64Pool(ref.cluster, ref.resourceGroup, why);
    if (pool.osType.toLowerCase() === 'windows' || pool.osSKU?.toLowerCase().startsWith('windows')) {
        out.push(finding('NODEPOOL_WINDOWS', `node pool ${pool.name}: osType ${pool.osType}${pool.osSKU ? `, osSKU ${pool.osSKU}` : ''}`, move('Windows node pools cannot stream.')));
    }
    if (architecture === 'arm64') {
        out.push(finding('NODEPOOL_ARM64', `node pool ${pool.name}: vmSize ${pool.vmSize} is an Arm64 size`, move('Only linux/amd64 streams.')));
    }
    if (UNSUPPORTED_OS_SKUS.some(sku => sameText(pool.osSKU, sku))) {
        out.push(finding('NODEPOOL_OS_UNSUPPORTED', `node pool ${pool.name}: osSKU ${pool.osSKU}`, move(`${pool.osSKU} nodes do not support artifact streaming.`)));
    }
    if (pool.osGuard ?? isOsGuardPool(pool)) {
        out.push(finding('NODEPOOL_OS_UNSUPPORTED', `node pool ${pool.name}: Azure Linux with OS Guard${pool.osSKU ? ` (osSKU ${pool.osSKU})` : ''}`, move('Azure Linux with OS Guard does not support artifact streaming.')));
    }
    if (pool.orchestratorVersion) out.push(...kubernetesVersionFindings(pool.orchestratorVersion, `node pool ${pool.name}`, ref));
    else out.push(...kubernetesVersionFindings(clusterVersion, `node pool ${pool.name}`, ref));
    if (pool.workloadRuntime && KATA_RUNTIMES.includes(pool.workloadRuntime)) {
        out.push(finding('NODEPOOL_KATA_RUNTIME', `node pool ${pool.name}: workloadRuntime ${pool.workloadRuntime}`, fixes.info('Test a pull on this pool before relying on streaming, or run the workload on an OCIContainer pool.')));
    }
    if (pool.confidentialVm ?? isConfidentialVmPool(pool)) {
        const seen = isConfidentialVmSize(pool.vmSize) ? `vmSize ${pool.vmSize} is a confidential VM size` : pool.nodeImageVersion && /cvm/i.test(pool.nodeImageVersion) ? `node image ${pool.nodeImageVersion}` : 'a confidential VM pool';
        out.push(finding('NODEPOOL_CONFIDENTIAL_VM', `node pool ${pool.name}: ${seen}`, fixes.info('Test a pull on this pool before relying on streaming.')));
    }
    if (pool.provisioningState?.toLowerCase() === 'updating') {
        out.push(finding('NODEPOOL_UPDATING', `node pool ${pool.name}: provisioningState Updating`, fixes.waitForPool(ref.cluster, ref.resourceGroup, pool.name)));
    }
    return { architecture, ...support(out) };
}

/** Support plus the pool's switch: artifactStreamingProfile.enabled must be true. */
export function nodePoolFindings(pool: NodePoolFacts, clusterVersion: string | undefined, ref: ClusterRef): Finding[] {
    const s = nodePoolSupport(pool, clusterVersion, ref);
    if (pool.artifactStreaming === false) {
        const canEnable = !s.findings.some(f => f.code === 'NODEPOOL_WINDOWS');
        const fix = canEnable ? fixes.enablePool(ref.cluster, ref.resourceGroup, pool.name) : fixes.linuxAmd64Pool(ref.cluster, ref.resourceGroup, 'AKS refuses to enable artifact streaming on Windows pools.');
        return [finding('NODEPOOL_STREAMING_DISABLED', `node pool ${pool.name}: artifactStreamingProfile.enabled is false`, fix), ...s.findings];
    }
    return s.findings;
}

export const poolStreams = (pool: NodePoolFacts, clusterVersion: string | undefined, ref: ClusterRef) => !hasBlocker(nodePoolFindings(pool, clusterVersion, ref));
