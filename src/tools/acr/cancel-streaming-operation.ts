/**
 * acr_cancel_streaming_operation: `az acr artifact-streaming operation cancel`, by image (its ongoing
 * conversion, as the CLI's `--image` finds it) or by registry + repository + operation id. Only a
 * NotStarted/Running operation can be cancelled: the CLI refuses others for `--image`, and a finished one is a
 * clear error naming its status here in both forms.
 */
import * as z from 'zod/v4';
import type { AzureAccess, RegistryInfo } from '../../azure/azure-access.js';
import { ONGOING_STATUSES } from '../../azure/acr-writes.js';
import { assertOperationId, assertRepositoryName } from '../../azure/names.js';
import { registryRole } from '../../streaming/change-roles.js';
import { ToolError, isToolError } from '../../tool-error.js';
import { defineChangeTool } from '../change/define-change-tool.js';
import { registryForChange } from '../change/registry-preconditions.js';
import type { ToolRuntime } from '../define-tool.js';
import { MAX_ARG_LENGTH } from '../shared.js';
import { imageForChange, toolHint } from './image-for-change.js';

interface Target {
    azure: AzureAccess;
    reg: RegistryInfo;
    repository: string;
    id: string;
    status: string;
    progress: number | null;
    /** Shown in the plan and the result. */
    label: string;
    /** The az flags that name it: `--image repo:tag` or `--repository R --id ID`. */
    cli: string;
}

function finished(label: string, id: string, status: string, rt: ToolRuntime): ToolError {
    const next =
        status === 'Succeeded'
            ? toolHint(rt, 'acr_remove_streaming_artifact', 'to stop streaming for the image, remove its streaming artifact (acr_remove_streaming_artifact)', 'to stop streaming for the image, delete its streaming referrer (`az acr manifest delete`)')
            : 'nothing to cancel; start a new conversion if one is wanted';
    return new ToolError(
        `Conversion ${id} of ${label} is already ${status}`,
        `only a NotStarted or Running operation can be cancelled; this one ended with status ${status}`,
        next,
        'OPERATION_FINISHED'
    );
}

async function byImage(image: string, rt: ToolRuntime): Promise<Target> {
    const t = await imageForChange(image, rt);
    const op = t.found.lastOperation;
    if (!op) {
        throw new ToolError(`${t.ref.text} has no conversion to cancel`, 'the registry knows no conversion operation for this image', 'nothing was changed', 'OPERATION_NOT_FOUND');
    }
    if (!ONGOING_STATUSES.has(op.status)) throw finished(t.ref.text, op.id, op.status, rt);
    const percent = op.progress ? Number.parseInt(op.progress, 10) : NaN;
    return { azure: t.azure, reg: t.reg, repository: t.ref.repository, id: op.id, status: op.status, progress: Number.isFinite(percent) ? percent : null, label: t.ref.text, cli: `--image ${t.cliImage}` };
}

async function byId(registry: string, repo: string, operationId: string, rt: ToolRuntime): Promise<Target> {
    const repository = assertRepositoryName(repo);
    const id = assertOperationId(operationId);
    const azure = await rt.azure();
    const reg = await registryForChange(azure, registry, undefined, rt.signal);
    const label = `${reg.loginServer}/${repository}`;
    const state = await azure.operationState(reg, repository, id, { abortSignal: rt.signal });
    if (!state) {
        throw new ToolError(`Operation ${id} was not found in ${label}`, 'the registry knows no operation with this id in this repository', 'check the id and the repository (acr_inspect_image shows the last conversion of an image)', 'OPERATION_NOT_FOUND');
    }
    if (!ONGOING_STATUSES.has(state.status)) throw finished(label, id, state.status, rt);
    return { azure, reg, repository, id, status: state.status, progress: state.percent, label, cli: `--repository ${repository} --id ${id}` };
}

export const cancelStreamingOperationTool = defineChangeTool({
    name: 'acr_cancel_streaming_operation',
    title: 'Cancel a streaming conversion',
    description:
        'Cancels a running conversion: by image, or registry + repository + operationId.',
    toolset: 'acr',
    kind: 'change',
    input: z.object({
        // Without the shared descriptions (tools/list is the model's budget): the other image tools show the forms.
        image: z.string().max(MAX_ARG_LENGTH).optional(),
        registry: z.string().max(MAX_ARG_LENGTH).optional(),
        repository: z.string().max(MAX_ARG_LENGTH).optional(),
        operationId: z.string().max(MAX_ARG_LENGTH).optional()
    }),
    async plan(args, rt) {
        const byParts = args.registry !== undefined || args.repository !== undefined || args.operationId !== undefined;
        if (args.image !== undefined && byParts) {
            throw new ToolError('Pass either image or registry + repository + operationId', 'both forms were given', 'keep one: image, or the three others', 'INVALID_INPUT');
        }
        let target: Target;
        if (args.image !== undefined) target = await byImage(args.image, rt);
        else if (args.registry !== undefined && args.repository !== undefined && args.operationId !== undefined) target = await byId(args.registry, args.repository, args.operationId, rt);
        else {
            throw new ToolError(
                'Say which conversion to cancel',
                'neither an image nor all of registry, repository and operationId were given',
                'pass image (e.g. "contosoacr.azurecr.io/ml/trainer:v1"), or registry, repository and operationId',
                'INVALID_INPUT'
            );
        }
        const requiredRole = registryRole('cancel', target.reg.abacRepositoryPermissions);
        await target.azure.assertGranted(target.reg, target.repository, ['pull', 'push'], { abortSignal: rt.signal, requiredRole });
        return {
            action: `Cancel conversion ${target.id} (${target.status})`,
            target: target.label,
            current: { operationId: target.id, status: target.status, progress: target.progress },
            desired: { operationId: target.id, status: 'Canceled' },
            sideEffects: ['The conversion stops: the image gets no streaming artifact from it, and pulls keep pulling it in full. A new conversion can be started later.'],
            requiredRole,
            azCommand: `az acr artifact-streaming operation cancel --name ${target.reg.name} ${target.cli}`,
            noChange: false,
            // NotStarted → Running is the operation going on, not a reason to plan again.
            fingerprint: { operationId: target.id },
            context: target
        };
    },
    async apply(_args, planned, rt) {
        const t = planned.context;
        let state;
        try {
            state = await t.azure.cancelOperation(t.reg, t.repository, t.id, { abortSignal: rt.signal, requiredRole: planned.requiredRole });
        } catch (e) {
            // It may have ended between the plan and the cancel (the registry then refuses): say how it ended.
            const now = isToolError(e) && e.code !== 'PERMISSION_DENIED' ? await t.azure.operationState(t.reg, t.repository, t.id, { abortSignal: rt.signal }).catch(() => null) : null;
            if (now && !ONGOING_STATUSES.has(now.status)) throw finished(t.label, t.id, now.status, rt);
            throw e;
        }
        return {
            after: { operationId: t.id, status: state.status },
            operationId: t.id,
            result: { operationId: t.id, status: state.status },
            summary: `Cancelled conversion ${t.id} of ${t.label}: it is now ${state.status}. The image keeps pulling in full; a new conversion can be started later.`
        };
    }
});
