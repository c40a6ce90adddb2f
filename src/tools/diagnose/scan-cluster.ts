/**
 * streaming_scan_cluster: every distinct image running in an AKS cluster (or one namespace), each with its
 * verdict, the first blocker and its fix, the pods and node pools that run it and its last measured pull,
 * ranked by the startup time lost. "Which of my workloads don't stream, and what should I fix first?"
 */
import * as z from 'zod/v4';
import { assertClusterName, assertNamespace, assertResourceGroup } from '../../azure/names.js';
import { clusterPosition, type ClusterImage } from '../../streaming/cluster-ranking.js';
import { comparePositions, pageAfter } from '../../streaming/scan-ranking.js';
import { defineTool, type ToolRuntime } from '../define-tool.js';
import { clusterArg, cursorArg, formatBytes, MAX_ARG_LENGTH, resourceGroupArg } from '../shared.js';
import { estimateSchema, verdictSchema } from '../streaming-schemas.js';
import { clusterSnapshot } from './cluster-snapshot.js';
import { decodeScanCursor, encodeScanCursor } from './scan-cursor.js';
import { blockerSchema } from './scan-schemas.js';
import { usableFix } from './usable-fix.js';

/** Pods named per image at most; the count is always complete. */
export const MAX_PODS_LISTED = 20;

const imageSchema = z.object({
    image: z.string(),
    verdict: verdictSchema,
    firstBlocker: blockerSchema.nullable(),
    pods: z.array(z.string()).describe(`namespace/name, at most ${MAX_PODS_LISTED}`),
    podCount: z.number(),
    nodePools: z.array(z.string()),
    lastPullSeconds: z.number().nullable().describe('Newest measured pull (kubelet Pulled event)'),
    lostSeconds: z.number().describe('Lost per pod start; 0 when it streams'),
    estimate: estimateSchema.nullable()
});

export const scanClusterTool = defineTool({
    name: 'streaming_scan_cluster',
    title: 'Audit which images in a cluster do not stream',
    description:
        'Lists every distinct image running in an AKS cluster, ranked by start-up time lost: verdict, first blocker and ' +
        'fix, the pods and node pools running it, last pull time. Use it for "which workloads don\'t stream, what to fix ' +
        'first?". Paginated. Not for one pod in depth or ranking a registry.',
    toolset: 'diagnose',
    kind: 'read',
    openWorld: true,
    input: z.object({
        cluster: clusterArg,
        resourceGroup: resourceGroupArg.optional(),
        namespace: z.string().max(MAX_ARG_LENGTH).optional().describe('Only pods of this namespace'),
        limit: z.number().int().min(1).max(50).default(10).describe('Images per page'),
        cursor: cursorArg
    }),
    output: z.object({
        cluster: z.string(),
        resourceGroup: z.string(),
        namespace: z.string().nullable(),
        images: z.array(imageSchema),
        scanned: z.object({ pods: z.number(), images: z.number(), notStreaming: z.number(), otherImages: z.number().describe('Not in ACR') }),
        nextCursor: z.string().nullable().describe('null on the last page')
    }),
    async handler(args, rt) {
        assertClusterName(args.cluster);
        const resourceGroup = assertResourceGroup(args.resourceGroup);
        if (args.namespace !== undefined) assertNamespace(args.namespace);
        const scope = `cluster:${(resourceGroup ?? '').toLowerCase()}/${args.cluster.toLowerCase()}/${args.namespace ?? ''}`;
        const after = decodeScanCursor(args.cursor, scope)?.position;
        const azure = await rt.azure();
        const snap = await clusterSnapshot(azure, { cluster: args.cluster, ...(resourceGroup ? { resourceGroup } : {}), ...(args.namespace ? { namespace: args.namespace } : {}) }, rt.signal, rt.registeredTools);
        const ranked = [...snap.images].sort((a, b) => comparePositions(clusterPosition(a), clusterPosition(b)));
        const { page, more } = pageAfter(ranked, clusterPosition, args.limit, after);
        const last = page[page.length - 1];
        const images = page.map(i => row(i, rt));
        const scanned = { pods: snap.pods, images: snap.images.length, notStreaming: snap.images.filter(i => i.verdict !== 'streams').length, otherImages: snap.otherImages };
        return {
            data: {
                cluster: snap.cluster.name,
                resourceGroup: snap.cluster.resourceGroup,
                namespace: args.namespace ?? null,
                images,
                scanned,
                nextCursor: more && last ? encodeScanCursor({ scope, position: clusterPosition(last) }) : null
            },
            summary: summarize(snap.cluster.name, args.namespace, scanned, page, more)
        };
    }
});

function row(i: ClusterImage, rt: Pick<ToolRuntime, 'registeredTools'>) {
    return {
        image: i.image,
        verdict: i.verdict,
        firstBlocker: i.firstBlocker ? { code: i.firstBlocker.code, fix: usableFix(i.firstBlocker.fix, rt) } : null,
        pods: i.pods.slice(0, MAX_PODS_LISTED),
        podCount: i.pods.length,
        nodePools: i.nodePools,
        lastPullSeconds: i.lastPullSeconds,
        lostSeconds: i.lostSeconds,
        estimate: i.estimate
    };
}

function summarize(cluster: string, namespace: string | undefined, s: { pods: number; images: number; notStreaming: number; otherImages: number }, page: ClusterImage[], more: boolean): string {
    const where = namespace ? `namespace ${namespace} of ${cluster}` : cluster;
    const head = `${s.images} distinct Azure Container Registry image${s.images === 1 ? '' : 's'} in ${s.pods} pods of ${where}; ${s.notStreaming} do not stream (or could not be confirmed).${s.otherImages ? ` ${s.otherImages} other images (not in ACR) cannot stream.` : ''}`;
    const rows = page
        .slice(0, 5)
        .map((i, n) => {
            const size = i.estimate ? `, ${formatBytes(i.estimate.sizeBytes)}` : '';
            const why = i.firstBlocker ? `: ${i.firstBlocker.code} (${i.firstBlocker.fix.azCommand ?? i.firstBlocker.fix.explanation})` : '';
            return `${n + 1}. ${i.image}${size}, ${i.pods.length} pod${i.pods.length === 1 ? '' : 's'}, ${i.verdict}${i.lostSeconds ? `, ~${i.lostSeconds} s lost per start` : ''}${why}`;
        })
        .join('\n');
    return `${head}${rows ? `\n${rows}` : ''}${more ? '\nMore: pass nextCursor.' : ''}`;
}
