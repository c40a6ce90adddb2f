/**
 * aks_set_nodepool_streaming: `az aks nodepool update --enable-artifact-streaming | --disable-artifact-streaming`.
 * Reads the pool, changes only artifactStreamingProfile.enabled, and writes it back with the pool's ETag
 * (azure/agent-pool-writes.ts). Toggling reimages the pool's nodes (Learn: AKS node disruption policy), so the
 * plan says so with the node count. Windows pools are refused here, before any write: AKS refuses them too.
 */
import * as z from 'zod/v4';
import type { AgentPoolInfo, ClusterInfo, PoolForChange } from '../../azure/azure-access.js';
import { assertClusterName, assertNodePoolName, assertResourceGroup } from '../../azure/names.js';
import { NODEPOOL_ROLE } from '../../streaming/change-roles.js';
import { sh } from '../../streaming/fixes.js';
import { nodePoolSupport } from '../../streaming/nodepool-rules.js';
import { isAbortError } from '../../azure/errors.js';
import { ToolError } from '../../tool-error.js';
import { defineChangeTool } from '../change/define-change-tool.js';
import { clusterArg, nodePoolArg, resourceGroupArg } from '../shared.js';

/** Findings that do not stop the switch but mean this pool will not (or may not) stream images. */
const WARN_CODES = new Set(['NODEPOOL_ARM64', 'NODEPOOL_OS_UNSUPPORTED', 'NODEPOOL_KATA_RUNTIME', 'NODEPOOL_CONFIDENTIAL_VM']);

interface Context {
    cluster: ClusterInfo;
    pool: PoolForChange;
}

const poolState = (p: AgentPoolInfo) => ({ enabled: p.artifactStreaming, provisioningState: p.provisioningState ?? null });

export const setNodePoolStreamingTool = defineChangeTool({
    name: 'aks_set_nodepool_streaming',
    title: 'Turn streaming on or off for an AKS node pool',
    description:
        "Sets a node pool's artifactStreamingProfile.enabled. Reimages the pool's nodes. With wait, reports progress until provisioning settles. " +
        'Returns a plan; applies only with its confirmationToken.',
    toolset: 'aks',
    kind: 'change',
    input: z.object({
        cluster: clusterArg,
        nodePool: nodePoolArg,
        enabled: z.boolean(),
        resourceGroup: resourceGroupArg.optional(),
        wait: z.boolean().default(false).describe('Wait until provisioning settles')
    }),
    notConfirmed: ['wait'],
    async plan(args, rt) {
        const clusterName = assertClusterName(args.cluster);
        const poolName = assertNodePoolName(args.nodePool);
        const resourceGroup = assertResourceGroup(args.resourceGroup);
        const azure = await rt.azure();
        const cluster = await azure.findCluster(clusterName, { resourceGroup, abortSignal: rt.signal });
        const pool = await azure.getPoolForChange(cluster, poolName, { abortSignal: rt.signal });
        const info = pool.info;
        const ref = { cluster: cluster.name, resourceGroup: cluster.resourceGroup };
        const findings = nodePoolSupport(info, cluster.kubernetesVersion, ref).findings;
        const noChange = info.artifactStreaming === args.enabled;
        if (!noChange && args.enabled && findings.some(f => f.code === 'NODEPOOL_WINDOWS')) {
            throw new ToolError(
                `Node pool ${info.name} is a Windows pool`,
                'artifact streaming works on Linux node pools only; AKS refuses to enable it on Windows pools',
                `run the workload on a Linux amd64 pool with streaming on, e.g. \`az aks nodepool add -g ${sh(cluster.resourceGroup)} --cluster-name ${sh(cluster.name)} -n <new pool> --os-type Linux --enable-artifact-streaming\`; nothing was changed`,
                'NODEPOOL_WINDOWS'
            );
        }
        if (!noChange && info.provisioningState && !['Succeeded', 'Failed', 'Canceled'].includes(info.provisioningState)) {
            throw new ToolError(
                `Node pool ${info.name} is busy (${info.provisioningState})`,
                'AKS accepts no other change while an operation runs on the pool',
                `wait until provisioningState is Succeeded (\`az aks nodepool show -g ${sh(cluster.resourceGroup)} --cluster-name ${sh(cluster.name)} -n ${sh(info.name)} --query provisioningState\`), then plan again`,
                'NODEPOOL_BUSY'
            );
        }
        const nodes = info.count ?? 0;
        const flag = args.enabled ? '--enable-artifact-streaming' : '--disable-artifact-streaming';
        return {
            action: `Turn artifact streaming ${args.enabled ? 'on' : 'off'} for node pool ${info.name}`,
            target: `${cluster.name}/${info.name} (resource group ${cluster.resourceGroup})`,
            current: poolState(info),
            desired: { enabled: args.enabled },
            sideEffects: [
                `All ${nodes} node(s) of ${info.name} are reimaged to ${args.enabled ? 'install' : 'remove'} the streaming components: their pods are drained and rescheduled, a few nodes at a time (the pool's max surge).`,
                'The pool shows provisioningState Updating until it finishes, typically several minutes per batch of nodes.'
            ],
            ...(args.enabled && findings.some(f => WARN_CODES.has(f.code)) ? { warnings: findings.filter(f => WARN_CODES.has(f.code)).map(f => `${f.title}: ${f.evidence}`) } : {}),
            requiredRole: NODEPOOL_ROLE,
            azCommand: `az aks nodepool update --resource-group ${sh(cluster.resourceGroup)} --cluster-name ${sh(cluster.name)} --name ${sh(info.name)} ${flag}`,
            noChange,
            // The ETag changes on any change of the pool, so a plan is stale as soon as anyone touched it.
            fingerprint: { enabled: info.artifactStreaming, eTag: pool.eTag ?? null, provisioningState: info.provisioningState ?? null },
            context: { cluster, pool } satisfies Context
        };
    },
    async apply(args, planned, rt) {
        const { cluster, pool } = planned.context;
        const azure = await rt.azure();
        const after = await azure.setPoolStreaming(cluster, pool, args.enabled, { abortSignal: rt.signal, requiredRole: planned.requiredRole });
        let final = after.info;
        let stoppedWaiting = false;
        if (args.wait) {
            try {
                final = await azure.waitForPool(cluster, pool.info.name, {
                    abortSignal: rt.signal,
                    onState: (p, polls) => rt.progress(polls, undefined, `provisioningState ${p.provisioningState ?? 'unknown'}`)
                });
            } catch (e) {
                // The update is accepted and keeps running in Azure: a cancelled wait still reports (and audits) it.
                if (!isAbortError(e) && !rt.signal.aborted) throw e;
                stoppedWaiting = true;
            }
        }
        const state = final.provisioningState ?? 'unknown';
        const watch = `az aks nodepool show -g ${sh(cluster.resourceGroup)} --cluster-name ${sh(cluster.name)} -n ${sh(pool.info.name)} --query provisioningState`;
        const settled = args.wait && !stoppedWaiting;
        return {
            after: poolState(final),
            operationId: after.operationId ?? null,
            result: { enabled: final.artifactStreaming, provisioningState: state, settled, operationId: after.operationId ?? null, watch },
            summary:
                `Artifact streaming is ${args.enabled ? 'on' : 'off'} for ${cluster.name}/${pool.info.name}; provisioningState ${state}.` +
                (settled ? '' : ` The nodes are being reimaged; watch with aks_get_streaming_status or \`${watch}\`.`)
        };
    }
});
