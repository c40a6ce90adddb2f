/**
 * acr_create_streaming_artifact: converts one image (`az acr artifact-streaming create`). The conversion is
 * started on the image's own digest; for an index the service converts its linux/amd64 entry (Learn: only
 * the amd64 entry of a multi-arch image streams). As the CLI does, an image that already has a streaming
 * artifact is left alone, and a NotStarted/Running conversion is reused instead of starting a second one.
 * With `wait`, progress is reported until a terminal status (conversion-watch.ts).
 */
import * as z from 'zod/v4';
import { ONGOING_STATUSES } from '../../azure/acr-writes.js';
import { registryRole } from '../../streaming/change-roles.js';
import { imageEligibility, isLinuxAmd64 } from '../../streaming/image-rules.js';
import { ToolError, isToolError } from '../../tool-error.js';
import { defineChangeTool } from '../change/define-change-tool.js';
import type { ToolRuntime } from '../define-tool.js';
import { imageArg } from '../shared.js';
import { watchConversion, watchedSummary, type Watched } from './conversion-watch.js';
import { imageForChange, toolHint, type ImageForChange } from './image-for-change.js';

/** Failures after which the POST may have reached the service: the result must say so. */
const UNSURE = new Set(['CONNECTION', 'SERVER_ERROR', 'TIMEOUT', 'INTERNAL']);

interface Context {
    t: ImageForChange;
    /** The conversion already under way (reused), if any. */
    ongoing: { id: string; status: string } | null;
}

const inspectHint = (rt: ToolRuntime, image: string, cli: string) =>
    toolHint(rt, 'acr_inspect_image', `Follow it with acr_inspect_image on ${image}.`, `Follow it with \`az acr artifact-streaming operation show ${cli}\`.`);

/** Refuses an image the service would not convert, with the code the conversion would fail with. */
function assertConvertible(t: ImageForChange): void {
    const m = t.found.manifest;
    const verdict = imageEligibility({ mediaType: m.mediaType, platforms: m.platforms, isStreamingArtifact: m.isStreamingArtifact });
    const blocker = verdict.findings.find(f => f.severity === 'blocker');
    if (verdict.convertible || !blocker) return;
    throw new ToolError(
        `${t.ref.text} cannot be converted to a streaming artifact`,
        `${blocker.title}: ${blocker.evidence}${verdict.predictedFailureCode ? `; a conversion would fail with ${verdict.predictedFailureCode}` : ''}`,
        `${blocker.fix.explanation} Nothing was changed.`,
        blocker.code
    );
}

export const createStreamingArtifactTool = defineChangeTool({
    name: 'acr_create_streaming_artifact',
    title: 'Convert an image to a streaming artifact',
    description:
        'Converts an image (an index: its linux/amd64 entry) to a streaming artifact; reuses a running conversion. wait: progress to the end.',
    toolset: 'acr',
    kind: 'change',
    input: z.object({
        image: imageArg,
        wait: z.boolean().default(false)
    }),
    async plan(args, rt) {
        const t = await imageForChange(args.image, rt);
        assertConvertible(t);
        const { found, reg, cliImage } = t;
        const m = found.manifest;
        const op = found.lastOperation;
        const ongoing = op && ONGOING_STATUSES.has(op.status) ? { id: op.id, status: op.status } : null;
        const artifact = found.streamingArtifact.digest;
        const current = { streamingArtifact: artifact, lastOperation: op ? { id: op.id, status: op.status } : null };
        const az = `az acr artifact-streaming`;
        const amd64 = m.kind === 'index' ? m.platforms.find(isLinuxAmd64) : undefined;
        const warnings = [
            ...(t.ref.digest ? ['Only pulls by tag stream: pods that reference this image by digest pull it in full.'] : []),
            ...(op?.status === 'Failed' ? [`The last conversion (operation ${op.id}) failed${op.details ? `: ${op.details}` : ''}; this starts a new one.`] : [])
        ];
        const base = {
            target: t.ref.text,
            current,
            requiredRole: registryRole('convert', reg.abacRepositoryPermissions),
            ...(warnings.length ? { warnings } : {}),
            context: { t, ongoing } satisfies Context
        };
        if (artifact || ongoing) {
            return {
                ...base,
                action: ongoing && !artifact ? `Nothing to start: conversion ${ongoing.id} is ${ongoing.status}` : 'Nothing to convert: the image has a streaming artifact',
                desired: current,
                sideEffects: [],
                azCommand: `${az} operation show --name ${reg.name} --image ${cliImage}`,
                noChange: true,
                fingerprint: { digest: m.digest, artifact, ongoing: ongoing?.id ?? null }
            };
        }
        // Known before any write: the registry's token says whether it would accept the conversion.
        await t.azure.assertGranted(reg, t.ref.repository, ['pull', 'push'], { abortSignal: rt.signal, requiredRole: base.requiredRole });
        return {
            ...base,
            action: 'Convert the image to a streaming artifact',
            desired: { streamingArtifact: 'created when the conversion succeeds' },
            sideEffects: [
                `Starts a conversion${amd64 ? ` of the index's linux/amd64 entry (${amd64.digest}); other platforms keep pulling in full` : ''}; it usually takes minutes.`,
                'The streaming artifact is stored next to the image and counts towards registry storage.',
                'Once it succeeds, nodes with streaming enabled stream pulls of the image by tag; nodes that cached the image keep their copy.'
            ],
            azCommand: `${az} create --name ${reg.name} --image ${cliImage}${args.wait ? '' : ' --no-wait'}`,
            noChange: false,
            fingerprint: { digest: m.digest, artifact: null, last: op ? { id: op.id, status: op.status } : null }
        };
    },
    async apply(args, planned, rt) {
        const { t } = planned.context;
        const repo = t.ref.repository;
        let started;
        try {
            started = await t.azure.startConversion(t.reg, repo, t.found.manifest.digest, { abortSignal: rt.signal, requiredRole: planned.requiredRole });
        } catch (e) {
            if (!isToolError(e) || !UNSURE.has(e.code)) throw e;
            throw new ToolError(
                e.what,
                `${e.why}. The request may have reached the registry before it failed, so a conversion may be under way`,
                `call acr_create_streaming_artifact again without confirmationToken: it finds a conversion under way and reuses it, so no second one is started`,
                e.code
            );
        }
        const w: Watched = args.wait
            ? await watchConversion(t.azure, t.reg, repo, started.operationId, started.status, rt)
            : { operationId: started.operationId, status: started.status, progress: null, details: null, waited: 'done' };
        const reused = started.reused ? ' (a conversion was already under way: reused, no second one started)' : '';
        const summary = args.wait
            ? watchedSummary(t.ref.text, w, inspectHint(rt, t.ref.text, `--name ${t.reg.name} --image ${t.cliImage}`)) + reused
            : `Started conversion operation ${w.operationId} (${w.status}) for ${t.ref.text}${reused}. It usually takes minutes. ${inspectHint(rt, t.ref.text, `--name ${t.reg.name} --image ${t.cliImage}`)}`;
        return {
            after: { operationId: w.operationId, status: w.status },
            operationId: w.operationId,
            result: { ...w, reused: started.reused, ...(args.wait ? {} : { waited: 'no' }) },
            summary
        };
    },
    async unchanged(args, planned, rt) {
        const { t, ongoing } = planned.context;
        const cli = `--name ${t.reg.name} --image ${t.cliImage}`;
        if (!ongoing) {
            return {
                result: { streamingArtifact: t.found.streamingArtifact.digest },
                summary: `Nothing to change: ${t.ref.text} already has a streaming artifact (${t.found.streamingArtifact.digest}).`
            };
        }
        if (!args.wait) {
            return {
                result: { operationId: ongoing.id, status: ongoing.status, reused: true, waited: 'no' },
                summary: `A conversion of ${t.ref.text} is already ${ongoing.status} (operation ${ongoing.id}): no second one was started. ${inspectHint(rt, t.ref.text, cli)}`
            };
        }
        const w = await watchConversion(t.azure, t.reg, t.ref.repository, ongoing.id, ongoing.status, rt);
        return { result: { ...w, reused: true }, summary: `${watchedSummary(t.ref.text, w, inspectHint(rt, t.ref.text, cli))} (the conversion was already under way: nothing new was started)` };
    }
});
