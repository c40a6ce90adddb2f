/** streaming_diagnose: does this image stream on this cluster (for this pod), exactly why not, and the fix. */
import * as z from 'zod/v4';
import { assertClusterName, assertNamespace, assertNodePoolName, assertPodName, assertResourceGroup, parseImageRef } from '../../azure/names.js';
import { diagnose } from '../../streaming/diagnosis.js';
import { diagnosisSummary } from '../../streaming/report.js';
import { renderTimeline } from '../../streaming/timeline.js';
import { ToolError } from '../../tool-error.js';
import { defineTool } from '../define-tool.js';
import { clusterArg, imageArg, nodePoolArg, resourceGroupArg } from '../shared.js';
import { checkedSchema, estimateSchema, findingSchema, fixStepSchema, verdictSchema } from '../streaming-schemas.js';
import { gatherFacts } from './gather-facts.js';

/** Pasted kubectl output can be long (a describe with many events); bounded against abuse. */
export const MAX_POD_DESCRIPTION = 256 * 1024;

export const diagnoseTool = defineTool({
    name: 'streaming_diagnose',
    title: 'Diagnose image streaming',
    description:
        'Why an image does not stream / a pod starts slowly; podDescription takes pasted kubectl output. ' +
        'Verdict, findings, fix plan, start-up estimate.',
    toolset: 'diagnose',
    kind: 'read',
    openWorld: true,
    input: z.object({
        image: imageArg,
        cluster: clusterArg.optional(),
        resourceGroup: resourceGroupArg.optional(),
        nodePool: nodePoolArg.optional(),
        namespace: z.string().optional(),
        pod: z.string().optional(),
        podDescription: z.string().max(MAX_POD_DESCRIPTION).optional()
    }),
    output: z.object({
        image: z.string(),
        verdict: verdictSchema,
        findings: z.array(findingSchema),
        checked: z.array(checkedSchema),
        fixPlan: z.array(fixStepSchema),
        estimate: estimateSchema.nullable()
    }),
    async handler(args, rt) {
        const ref = parseImageRef(args.image, rt.cloud);
        const cluster = args.cluster === undefined ? undefined : assertClusterName(args.cluster);
        const resourceGroup = assertResourceGroup(args.resourceGroup);
        const nodePool = args.nodePool === undefined ? undefined : assertNodePoolName(args.nodePool);
        const namespace = args.namespace === undefined ? undefined : assertNamespace(args.namespace);
        const pod = args.pod === undefined ? undefined : assertPodName(args.pod);
        if (pod && !cluster && !args.podDescription) {
            throw new ToolError('A pod needs its cluster', 'the pod is read from the Kubernetes API of the cluster', 'pass cluster (and resourceGroup), or paste `kubectl describe pod` output as podDescription', 'INVALID_INPUT');
        }
        const azure = await rt.azure();
        const facts = await gatherFacts(azure, { ref, cluster, resourceGroup, nodePool, namespace, pod, podDescription: args.podDescription }, rt.signal);
        const d = diagnose(facts, { registeredTools: rt.registeredTools });
        return {
            data: { image: ref.text, verdict: d.verdict, findings: d.findings, checked: d.checked, fixPlan: d.fixPlan, estimate: d.estimate },
            summary: diagnosisSummary(ref.text, d) + (d.estimate ? `\n${renderTimeline(d.estimate)}` : '')
        };
    }
});
