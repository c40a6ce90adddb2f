/**
 * Nodes, computed from the cluster's agent pools on every request, so a pool update through ARM (count,
 * streaming toggle) shows on the Kubernetes side at once. Labels are the ones AKS sets (Learn: "Use labels in an
 * AKS cluster", "Trusted Launch for AKS"), derived from the same pool facts as the ARM side (pool-facts.ts).
 */
import type { WorldAgentPool, WorldCluster } from '../world/schema.js';
import { armOsSku, nodeImageVersion, nodeNames, osImageName, poolArchitecture, poolFips, poolSecurityType, poolVersion, workloadRuntimeLabel } from '../pool-facts.js';
import { stableGuid, type SandboxState } from '../state.js';

export interface NodeRef {
    name: string;
    pool: WorldAgentPool;
    index: number;
}

export function clusterNodes(cluster: WorldCluster): NodeRef[] {
    return cluster.agentPools.flatMap(pool => nodeNames(cluster, pool).map((name, index) => ({ name, pool, index })));
}

export function nodeInternalIp(cluster: WorldCluster, ref: NodeRef): string {
    const poolIndex = cluster.agentPools.indexOf(ref.pool);
    return `10.224.${poolIndex}.${4 + ref.index}`;
}

export function nodeJson(state: SandboxState, cluster: WorldCluster, ref: NodeRef): object {
    const { pool, name } = ref;
    const arch = poolArchitecture(pool);
    const os = pool.osType === 'Windows' ? 'windows' : 'linux';
    const version = `v${poolVersion(cluster, pool)}`;
    const labels: Record<string, string> = {
        agentpool: pool.name,
        'beta.kubernetes.io/arch': arch,
        'beta.kubernetes.io/instance-type': pool.vmSize,
        'beta.kubernetes.io/os': os,
        'kubernetes.azure.com/agentpool': pool.name,
        'kubernetes.azure.com/cluster': `MC_${cluster.resourceGroup}_${cluster.name}_${cluster.location}`,
        'kubernetes.azure.com/mode': pool.mode.toLowerCase(),
        'kubernetes.azure.com/node-image-version': nodeImageVersion(pool),
        'kubernetes.azure.com/os-sku': armOsSku(pool),
        'kubernetes.azure.com/role': 'agent',
        'kubernetes.io/arch': arch,
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': os,
        'kubernetes.io/role': 'agent',
        'node.kubernetes.io/instance-type': pool.vmSize,
        'topology.kubernetes.io/region': cluster.location,
        'topology.kubernetes.io/zone': '0'
    };
    const security = poolSecurityType(pool);
    if (security) labels['kubernetes.azure.com/security-type'] = security;
    if (poolFips(pool)) labels['kubernetes.azure.com/fips_enabled'] = 'true';
    const runtime = workloadRuntimeLabel(pool);
    if (runtime) labels[runtime] = 'true';
    const created = new Date(state.startedAt - 14 * 86_400_000).toISOString();
    const vmss = pool.osType === 'Windows' ? `aks${pool.name}` : name.replace(/vmss[0-9a-z]{6}$/, 'vmss');
    const updating = pool.provisioningState === 'Updating';
    return {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name, uid: stableGuid('node', cluster.name, name), resourceVersion: '1', creationTimestamp: created, labels, annotations: {} },
        spec: {
            providerID: `azure:///subscriptions/${state.subscriptionId}/resourceGroups/mc_${cluster.resourceGroup}_${cluster.name}_${cluster.location}/providers/Microsoft.Compute/virtualMachineScaleSets/${vmss}/virtualMachines/${ref.index}`.toLowerCase(),
            // While AKS reimages a pool (streaming toggle), nodes are cordoned one by one; the sandbox cordons them all.
            ...(updating ? { unschedulable: true } : {})
        },
        status: {
            conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: new Date(state.now()).toISOString(), lastTransitionTime: created }],
            addresses: [
                { type: 'InternalIP', address: nodeInternalIp(cluster, ref) },
                { type: 'Hostname', address: name }
            ],
            nodeInfo: {
                architecture: arch,
                operatingSystem: os,
                osImage: osImageName(pool),
                kernelVersion: os === 'windows' ? '10.0.20348.2849' : '5.15.0-1079-azure',
                containerRuntimeVersion: 'containerd://1.7.28-1',
                kubeletVersion: version,
                kubeProxyVersion: version,
                machineID: stableGuid('machine', name).replace(/-/g, ''),
                systemUUID: stableGuid('system', name),
                bootID: stableGuid('boot', name)
            },
            capacity: { cpu: '4', memory: '16365120Ki', pods: pool.osType === 'Windows' ? '30' : '110' },
            allocatable: { cpu: '3860m', memory: '12880448Ki', pods: pool.osType === 'Windows' ? '30' : '110' }
        }
    };
}
