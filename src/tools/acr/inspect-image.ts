/** acr_inspect_image: one image's platforms, sizes, streaming artifact, last conversion and eligibility. */
import * as z from 'zod/v4';
import { parseImageRef } from '../../azure/names.js';
import { estimateStartup } from '../../streaming/estimate.js';
import { imageEligibility, streamedSizeBytes } from '../../streaming/image-rules.js';
import { registrySupport } from '../../streaming/registry-rules.js';
import { defineTool } from '../define-tool.js';
import { ToolError } from '../../tool-error.js';
import { estimateSchema } from '../streaming-schemas.js';
import { formatBytes, imageArg, reasonSchema } from '../shared.js';

export const inspectImageTool = defineTool({
    name: 'acr_inspect_image',
    title: 'Inspect an image for artifact streaming',
    description:
        'Inspects one ACR image: digest, media type, platforms with sizes, streaming artifact, last conversion, and ' +
        'whether it is eligible (with the conversion error code it would hit). Use it for "is this image streamable / ' +
        'converted?". Not for why a pod pulls slowly or ranking a registry.',
    toolset: 'acr',
    kind: 'read',
    openWorld: true,
    input: z.object({
        image: imageArg
    }),
    output: z.object({
        image: z.string(),
        digest: z.string(),
        mediaType: z.string(),
        platforms: z.array(z.object({ os: z.string(), architecture: z.string(), variant: z.string().nullable(), sizeBytes: z.number(), layers: z.number() })),
        sizeBytes: z.number().describe('Compressed layers, all platforms'),
        streamingArtifact: z.object({ present: z.boolean(), digest: z.string().nullable() }),
        lastOperation: z.object({ id: z.string(), status: z.string(), progress: z.string().nullable(), details: z.string().nullable() }).nullable(),
        eligible: z.boolean().describe('The registry and the image allow conversion'),
        predictedFailureCode: z.string().nullable().describe('The error code a conversion would fail with'),
        reasons: z.array(reasonSchema),
        estimate: estimateSchema.nullable()
    }),
    async handler(args, rt) {
        // Parsed before anything else: hostile references never reach the Azure layer.
        const ref = parseImageRef(args.image, rt.cloud);
        const azure = await rt.azure();
        const reg = await azure.findRegistry(ref.registry, { abortSignal: rt.signal });
        if (reg.loginServer !== ref.loginServer) {
            throw new ToolError(`Registry ${reg.name} is served at ${reg.loginServer}`, `Resource Manager reports a different login server than ${ref.loginServer}`, `use ${reg.loginServer}/${ref.repository}…`, 'HOST_NOT_ALLOWED');
        }
        const regVerdict = registrySupport(reg);
        const inspection = await azure.inspectImage(reg, ref, { abortSignal: rt.signal, operations: regVerdict.supported });
        const m = inspection.manifest;
        const imgVerdict = imageEligibility({ mediaType: m.mediaType, platforms: m.platforms, isStreamingArtifact: m.isStreamingArtifact });
        const eligible = regVerdict.supported && imgVerdict.convertible;
        const platforms = m.platforms.map(p => ({ os: p.os, architecture: p.architecture, variant: p.variant, sizeBytes: p.sizeBytes, layers: p.layers }));
        const op = inspection.lastOperation;
        const streaming = inspection.streamingArtifact.present
            ? 'has a streaming artifact'
            : op && ['NotStarted', 'Running'].includes(op.status)
              ? `is being converted (${op.status}${op.progress ? `, ${op.progress}` : ''})`
              : op?.status === 'Failed'
                ? `has no streaming artifact; the last conversion failed${op.details ? ` (${op.details})` : ''}`
                : 'has no streaming artifact';
        const size = streamedSizeBytes(m);
        const estimate = size ? estimateStartup(size) : null;
        const gain = estimate && eligible ? ` Streaming would start it in ~${estimate.streamingStartSeconds[1]} s instead of ${estimate.fullPullSeconds[0]}-${estimate.fullPullSeconds[1]} s (estimate).` : '';
        const summary =
            `${ref.text} (${m.digest.slice(0, 19)}…, ${platforms.map(p => `${p.os}/${p.architecture}`).join(', ') || 'no platform'}, ${formatBytes(m.sizeBytes)}) ${streaming}. ` +
            (eligible ? 'Eligible for streaming.' : `Not eligible${imgVerdict.predictedFailureCode ? ` (conversion would fail with ${imgVerdict.predictedFailureCode})` : ''}: ${[...regVerdict.reasons, ...imgVerdict.reasons].filter(r => r.severity === 'blocker').map(r => r.message).join('; ')}.`) +
            gain;
        return {
            data: {
                image: ref.text,
                digest: m.digest,
                mediaType: m.mediaType,
                platforms,
                sizeBytes: m.sizeBytes,
                streamingArtifact: inspection.streamingArtifact,
                lastOperation: op,
                eligible,
                predictedFailureCode: imgVerdict.predictedFailureCode,
                reasons: [...regVerdict.reasons, ...imgVerdict.reasons],
                estimate
            },
            summary
        };
    }
});
