/**
 * acr_remove_streaming_artifact (destructive): deletes the image's streaming referrer, which is how streaming is
 * turned off for one image (Learn, "Azure built-in roles for Azure Container Registry": disabling artifact
 * streaming for an image = deleting its streaming OCI referrer). The DELETE needs the `delete` scope: AcrDelete
 * (or Contributor/Owner) on legacy registries, Container Registry Repository Contributor on ABAC registries.
 */
import * as z from 'zod/v4';
import { ONGOING_STATUSES } from '../../azure/acr-writes.js';
import { registryRole } from '../../streaming/change-roles.js';
import { defineChangeTool } from '../change/define-change-tool.js';
import { imageArg } from '../shared.js';
import { imageForChange, toolHint, type ImageForChange } from './image-for-change.js';

/** Streaming referrers of one image deleted at most (normally one; each re-conversion could add one). */
const MAX_REFERRERS = 10;

export const removeStreamingArtifactTool = defineChangeTool({
    name: 'acr_remove_streaming_artifact',
    title: 'Remove the streaming artifact of an image',
    description:
        "Deletes an image's streaming artifact: its pulls stop streaming. Needs delete rights.",
    toolset: 'acr',
    kind: 'destructive',
    input: z.object({ image: imageArg }),
    async plan(args, rt) {
        const t = await imageForChange(args.image, rt);
        const { reg, ref, found } = t;
        const artifact = found.streamingArtifact.digest;
        const op = found.lastOperation;
        const ongoing = op && ONGOING_STATUSES.has(op.status) ? op : null;
        const { convertPushedImages } = await t.azure.getRepositoryStreaming(reg, ref.repository, { abortSignal: rt.signal });
        const setHint = toolHint(rt, 'acr_set_repository_streaming', 'acr_set_repository_streaming', '`az acr artifact-streaming update --enable-streaming false`');
        const cancelHint = toolHint(rt, 'acr_cancel_streaming_operation', 'acr_cancel_streaming_operation', '`az acr artifact-streaming operation cancel`');
        const warnings = [
            ...(convertPushedImages
                ? [`${reg.loginServer}/${ref.repository} converts new pushes automatically: pushing this image again creates a new streaming artifact (turn that off with ${setHint}).`]
                : []),
            ...(ongoing ? [`Conversion ${ongoing.id} is ${ongoing.status}: when it succeeds it creates the streaming artifact again (cancel it with ${cancelHint}).`] : [])
        ];
        const requiredRole = registryRole('remove', reg.abacRepositoryPermissions);
        if (artifact) await t.azure.assertGranted(reg, ref.repository, ['delete'], { abortSignal: rt.signal, requiredRole });
        return {
            action: artifact ? 'Delete the streaming artifact of the image' : 'Nothing to remove: the image has no streaming artifact',
            target: ref.text,
            current: { streamingArtifact: artifact },
            desired: { streamingArtifact: null },
            sideEffects: artifact
                ? [
                      'Pulls of this image stop streaming: nodes pull it in full (running pods are not affected).',
                      'The streaming copy is deleted and its storage freed; streaming it again needs a new conversion (minutes).'
                  ]
                : [],
            ...(warnings.length ? { warnings } : {}),
            requiredRole,
            azCommand: artifact ? `az acr manifest delete --registry ${reg.name} --name ${ref.repository}@${artifact} --yes` : '(none)',
            noChange: artifact === null,
            fingerprint: { digest: found.manifest.digest, artifact, ongoing: ongoing?.id ?? null },
            context: t satisfies ImageForChange
        };
    },
    async apply(_args, planned, rt) {
        const t = planned.context;
        const opts = { abortSignal: rt.signal, requiredRole: planned.requiredRole };
        // Delete, read back, repeat while another streaming referrer shows (bounded): the result is what the read tools see.
        const deleted: string[] = [];
        let left = t.found.streamingArtifact.digest;
        while (left && deleted.length < MAX_REFERRERS) {
            await t.azure.deleteManifest(t.reg, t.ref.repository, left, opts);
            deleted.push(left);
            const now = await t.azure.inspectImage(t.reg, t.ref, { abortSignal: rt.signal, operations: false });
            left = now.streamingArtifact.digest;
            if (left && deleted.includes(left)) break;
        }
        const summary = left
            ? `Deleted ${deleted.length} streaming artifact(s) of ${t.ref.text}, but another one is still listed (${left}); call the tool again.`
            : `Deleted the streaming artifact of ${t.ref.text} (${deleted.join(', ')}): pulls of it no longer stream.`;
        return {
            after: { streamingArtifact: left },
            result: { deleted, streamingArtifact: left },
            summary: planned.warnings?.length ? `${summary} Note: ${planned.warnings.join(' ')}` : summary
        };
    }
});
