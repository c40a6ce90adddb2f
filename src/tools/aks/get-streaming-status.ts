/** aks_get_streaming_status: per node pool, is artifact streaming on and can it work; optionally AcrPull. */
import * as z from 'zod/v4';
import { assertClusterName, assertRegistryName, assertResourceGroup } from '../../azure/names.js';
import { toReason } from '../../streaming/findings.js';
import { kubernetesVersionFindings, nodePoolSupport } from '../../streaming/nodepool-rules.js';
import { defineTool } from '../define-tool.js';
import { clusterArg, reasonSchema, registryArg, resourceGroupArg } from '../shared.js';

export const getStreamingStatusTool = defineTool({
    name: 'aks_get_streaming_status',
    title: 'Show an AKS cluster\'s streaming status',
    description:
        'Shows, per node pool of an AKS cluster, whether artifact streaming is on and the pool supports it (OS, ' +
        'architecture, Kubernetes version, runtime); with `registry`, whether the kubelet identity can pull from it. ' +
        'Not for images (acr_inspect_image) or why one pod starts slowly.',
    toolset: 'aks',
    kind: 'read',
    openWorld: true,
    input: z.object({
        cluster: clusterArg,
        resourceGroup: resourceGroupArg.optional(),
        registry: registryArg.optional().describe('Also check the kubelet identity\'s pull rights on it, e.g. "contosoacr"')
    }),
    output: z.object({
        cluster: z.string(),
        resourceGroup: z.string(),
        kubernetesVersion: z.string(),
        nodePools: z.array(
            z.object({
                name: z.string(),
                osType: z.string(),
                osSKU: z.string().nullable(),
                architecture: z.enum(['amd64', 'arm64', 'unknown']),
                vmSize: z.string(),
                artifactStreaming: z.boolean().describe('artifactStreamingProfile.enabled'),
                supported: z.boolean().describe('Can stream once artifactStreaming is on'),
                reasons: z.array(reasonSchema),
                provisioningState: z.string().nullable()
            })
        ),
        acrPull: z.object({ registry: z.string(), granted: z.boolean(), role: z.string().nullable() }).nullable(),
        reasons: z.array(reasonSchema).describe('Cluster-level (Kubernetes version)')
    }),
    async handler(args, rt) {
        const clusterName = assertClusterName(args.cluster);
        const resourceGroup = assertResourceGroup(args.resourceGroup);
        const registryName = args.registry === undefined ? undefined : assertRegistryName(args.registry);
        const azure = await rt.azure();
        const cluster = await azure.findCluster(clusterName, { resourceGroup, abortSignal: rt.signal });
        const [pools, pull] = await Promise.all([
            azure.listAgentPools(cluster, { abortSignal: rt.signal }),
            (async () => {
                if (!registryName) return null;
                const reg = await azure.findRegistry(registryName, { abortSignal: rt.signal });
                const grant = cluster.kubeletObjectId ? await azure.acrPull(cluster.kubeletObjectId, reg, { abortSignal: rt.signal }) : { granted: false, role: null };
                return { acrPull: { registry: reg.name, ...grant }, abac: reg.abacRepositoryPermissions };
            })()
        ]);
        const acrPull = pull?.acrPull ?? null;
        const ref = { cluster: cluster.name, resourceGroup: cluster.resourceGroup };
        const nodePools = pools.map(p => {
            const support = nodePoolSupport(p, cluster.kubernetesVersion, ref);
            return {
                name: p.name,
                osType: p.osType,
                osSKU: p.osSKU ?? null,
                architecture: support.architecture,
                vmSize: p.vmSize,
                artifactStreaming: p.artifactStreaming,
                supported: support.supported,
                reasons: support.reasons,
                provisioningState: p.provisioningState ?? null
            };
        });
        const enabled = nodePools.filter(p => p.artifactStreaming && p.supported).map(p => p.name);
        const blocked = nodePools.filter(p => !p.supported).map(p => `${p.name} (${p.reasons.filter(r => r.severity === 'blocker').map(r => r.code).join(', ')})`);
        const summary =
            `${cluster.name} (Kubernetes ${cluster.kubernetesVersion}, ${nodePools.length} node pools): streaming on and supported in ${enabled.length ? enabled.join(', ') : 'no pool'}` +
            `${blocked.length ? `; unsupported: ${blocked.join('; ')}` : ''}` +
            `${acrPull ? `; kubelet identity ${acrPull.granted ? `holds ${acrPull.role}` : noPullText(pull!.abac, cluster, acrPull.registry)} on ${acrPull.registry}` : ''}.`;
        return {
            data: {
                cluster: cluster.name,
                resourceGroup: cluster.resourceGroup,
                kubernetesVersion: cluster.kubernetesVersion,
                nodePools,
                acrPull,
                reasons: kubernetesVersionFindings(cluster.kubernetesVersion, `cluster ${cluster.name}`, ref).map(toReason)
            },
            summary
        };
    }
});

/** ABAC-enabled registries ignore AcrPull, so the fix differs by role assignment mode. */
function noPullText(abac: boolean, cluster: { name: string; resourceGroup: string }, registry: string): string {
    return abac
        ? 'has no pull role (an ABAC-enabled registry: AcrPull is not honoured there; assign "Container Registry Repository Reader" to the kubelet identity)'
        : `has NO AcrPull (fix: az aks update -n ${cluster.name} -g ${cluster.resourceGroup} --attach-acr ${registry})`;
}
