/**
 * acr_set_repository_streaming: a repository's auto-conversion flag (`az acr artifact-streaming update`), and
 * with `backfill` the conversion of its existing images too: enabling converts only later pushes (Learn),
 * so without it users run one `create` per tag. Bounded: the newest BACKFILL_MAX images, listed in the plan.
 */
import * as z from 'zod/v4';
import type { AzureAccess, RegistryInfo, StartedConversion, TaggedImage } from '../../azure/azure-access.js';
import { mapLimit } from '../../azure/concurrency.js';
import { assertRepositoryName, assertResourceGroup, parseImageRef } from '../../azure/names.js';
import { registryRole } from '../../streaming/change-roles.js';
import { imageEligibility } from '../../streaming/image-rules.js';
import { ToolError, isToolError } from '../../tool-error.js';
import { defineChangeTool } from '../change/define-change-tool.js';
import { registryForChange } from '../change/registry-preconditions.js';
import { MAX_ARG_LENGTH, registryArg, resourceGroupArg } from '../shared.js';

/** Issue 8: "bounded (say 50 images)", newest first. */
export const BACKFILL_MAX = 50;
/** Images inspected at once while planning a backfill. */
const INSPECT_CONCURRENCY = 8;

interface Candidate {
    image: string;
    digest: string;
}

interface Backfill {
    convert: Candidate[];
    skipped: { image: string; reason: string }[];
    /** Set when older tagged images exist beyond BACKFILL_MAX. */
    leftOut: string | null;
}

interface Context {
    reg: RegistryInfo;
    repository: string;
    backfill: Backfill | null;
    flagChanges: boolean;
}

/** Which of the newest images need a conversion, and why the others do not. */
async function planBackfill(azure: AzureAccess, reg: RegistryInfo, repository: string, abortSignal: AbortSignal): Promise<Backfill> {
    const { images, more } = await azure.listImagesNewestFirst(reg, repository, { max: BACKFILL_MAX, abortSignal });
    const rows = await mapLimit(images, INSPECT_CONCURRENCY, async (img: TaggedImage) => {
        const image = `${reg.loginServer}/${repository}:${img.tags[0]}`;
        const ref = parseImageRef(`${reg.loginServer}/${repository}@${img.digest}`, azure.cloud);
        const found = await azure.inspectImage(reg, ref, { abortSignal });
        const op = found.lastOperation;
        const verdict = imageEligibility({ mediaType: found.manifest.mediaType, platforms: found.manifest.platforms, isStreamingArtifact: found.manifest.isStreamingArtifact });
        if (found.streamingArtifact.present) return { image, skip: 'already has a streaming artifact' };
        if (op && ['NotStarted', 'Running'].includes(op.status)) return { image, skip: `a conversion is already ${op.status} (operation ${op.id})` };
        if (!verdict.convertible) return { image, skip: `not convertible: would fail with ${verdict.predictedFailureCode}` };
        return { image, digest: img.digest };
    });
    return {
        convert: rows.flatMap(r => (r.digest ? [{ image: r.image, digest: r.digest }] : [])),
        skipped: rows.flatMap(r => (r.skip ? [{ image: r.image, reason: r.skip }] : [])),
        leftOut: more ? `older images beyond the newest ${BACKFILL_MAX} are not considered; convert them with acr_create_streaming_artifact` : null
    };
}

export const setRepositoryStreamingTool = defineChangeTool({
    name: 'acr_set_repository_streaming',
    title: 'Turn repository auto-conversion on or off',
    description:
        'Turns auto-conversion of new pushes (convertPushedImages) on or off for a repository; with backfill also converts ' +
        `its newest ${BACKFILL_MAX} images. Returns a plan; applies only with its confirmationToken.`,
    toolset: 'acr',
    kind: 'change',
    input: z.object({
        registry: registryArg,
        repository: z.string().max(MAX_ARG_LENGTH).describe('e.g. ml/trainer'),
        enabled: z.boolean(),
        backfill: z.boolean().default(false).describe('Also convert existing images'),
        resourceGroup: resourceGroupArg.optional()
    }),
    async plan(args, rt) {
        const repository = assertRepositoryName(args.repository);
        const resourceGroup = assertResourceGroup(args.resourceGroup);
        if (args.backfill && !args.enabled) {
            throw new ToolError('backfill needs enabled: true', 'backfill converts existing images, which only makes sense when turning streaming on', 'pass enabled: true, or drop backfill', 'INVALID_INPUT');
        }
        const azure = await rt.azure();
        const reg = await registryForChange(azure, args.registry, resourceGroup, rt.signal);
        const [{ convertPushedImages }, backfill] = await Promise.all([
            azure.getRepositoryStreaming(reg, repository, { abortSignal: rt.signal }),
            args.backfill ? planBackfill(azure, reg, repository, rt.signal) : Promise.resolve(null)
        ]);
        const flagChanges = convertPushedImages !== args.enabled;
        const az = `az acr artifact-streaming`;
        const commands = [
            ...(flagChanges ? [`${az} update --name ${reg.name} --repository ${repository} --enable-streaming ${args.enabled}`] : []),
            ...(backfill?.convert.map(c => `${az} create --name ${reg.name} --image ${c.image.slice(reg.loginServer.length + 1)} --no-wait`) ?? [])
        ];
        const converting = backfill?.convert.length ?? 0;
        const sideEffects = [
            args.enabled ? 'Images pushed from now on are converted to streaming artifacts automatically.' : 'New pushes are no longer converted; existing streaming artifacts stay.',
            ...(converting ? [`Starts ${converting} conversion(s); each streaming artifact is stored next to its image and counts towards registry storage.`] : [])
        ];
        return {
            action: [flagChanges ? `Turn auto-conversion ${args.enabled ? 'on' : 'off'}` : '', converting ? `convert ${converting} existing image(s)` : ''].filter(Boolean).join(' and ') || 'Nothing to change',
            target: `${reg.loginServer}/${repository}`,
            current: { convertPushedImages },
            desired: { convertPushedImages: args.enabled, ...(backfill ? { backfill } : {}) },
            sideEffects,
            ...(backfill?.leftOut ? { warnings: [backfill.leftOut] } : {}),
            requiredRole: registryRole('repository-policy', reg.abacRepositoryPermissions),
            azCommand: commands.join('\n') || '(none)',
            noChange: !flagChanges && converting === 0,
            // What the user confirms: the flag and the images to convert. A skipped image's conversion finishing
            // meanwhile changes its reason, not what will be done, so it does not make the plan stale.
            fingerprint: { convertPushedImages, convert: backfill?.convert.map(c => c.digest) ?? [] },
            context: { reg, repository, backfill, flagChanges } satisfies Context
        };
    },
    async apply(args, planned, rt) {
        const { reg, repository, backfill, flagChanges } = planned.context;
        const azure = await rt.azure();
        const requiredRole = planned.requiredRole;
        let operationId: string | null = null;
        if (flagChanges) operationId = (await azure.setRepositoryStreaming(reg, repository, args.enabled, { abortSignal: rt.signal, requiredRole })).operationId;
        // One at a time, stopping at the first failure, so the result says exactly what was and was not started.
        const started: (Candidate & Omit<StartedConversion, 'status'>)[] = [];
        let failed: { image: string; error: string } | null = null;
        const todo = backfill?.convert ?? [];
        for (const c of todo) {
            try {
                const s = await azure.startConversion(reg, repository, c.digest, { abortSignal: rt.signal, requiredRole });
                started.push({ ...c, operationId: s.operationId, reused: s.reused });
            } catch (e) {
                if (!isToolError(e)) throw e;
                failed = { image: c.image, error: e.toText() };
                break;
            }
        }
        const notStarted = todo.slice(started.length + (failed ? 1 : 0)).map(c => c.image);
        const summary = [
            flagChanges ? `Auto-conversion is now ${args.enabled ? 'on' : 'off'} for ${planned.target}.` : `Auto-conversion was already ${args.enabled ? 'on' : 'off'} for ${planned.target}.`,
            todo.length ? `Started ${started.length} of ${todo.length} conversion(s)${started.length ? ` (watch with acr_inspect_image)` : ''}.` : '',
            failed ? `Stopped at ${failed.image}: ${failed.error.split('\n')[0]} Not started: ${notStarted.length ? notStarted.join(', ') : 'none'}.` : ''
        ]
            .filter(Boolean)
            .join(' ');
        return {
            after: { convertPushedImages: args.enabled, conversionsStarted: started.length },
            operationId,
            result: { convertPushedImages: args.enabled, operationId, ...(backfill ? { conversions: started, failed, notStarted } : {}) },
            summary
        };
    }
});
