/**
 * Following one conversion operation for `acr_create_streaming_artifact` with `wait`: polls with the CLI's
 * backoff (src/azure/acr-conversions.ts), sends MCP progress notifications (progress 0-100, total 100, a
 * message with the status, the operation id and the service's details; the MCP spec requires progress to
 * increase, so a poll without news sends nothing), and stops at a terminal status or when the client
 * cancels the call. Cancelling stops the wait, never the conversion.
 */
import type { AzureAccess, OperationState, RegistryInfo } from '../../azure/azure-access.js';
import { ONGOING_STATUSES } from '../../azure/acr-writes.js';
import type { ToolRuntime } from '../define-tool.js';

export interface Watched {
    operationId: string;
    status: string;
    progress: number | null;
    details: string | null;
    /** done: a terminal status was seen; stopped: the client cancelled the call first. */
    waited: 'done' | 'stopped';
}

export function progressMessage(id: string, s: OperationState): string {
    return `${s.status}${s.percent !== null ? ` ${s.percent}%` : ''} (operation ${id})${s.details ? `: ${s.details}` : ''}`;
}

export async function watchConversion(azure: AzureAccess, reg: RegistryInfo, repository: string, id: string, status: string, rt: ToolRuntime): Promise<Watched> {
    let sent = -1;
    const report = async (s: OperationState) => {
        const pct = ONGOING_STATUSES.has(s.status) ? Math.min(99, s.percent ?? 0) : 100;
        if (pct <= sent) return;
        sent = pct;
        await rt.progress(pct, 100, progressMessage(id, s));
    };
    await rt.log('info', `Watching conversion operation ${id} of ${reg.loginServer}/${repository}; cancelling this call stops the wait, not the conversion.`);
    // The first notification names the operation id, so a client that cancels later still has it.
    await report({ status, percent: 0, details: null });
    const w = await azure.waitForOperation(reg, repository, id, { abortSignal: rt.signal, onState: s => report(s) });
    return { operationId: id, status: w.state.status, progress: w.state.percent, details: w.state.details, waited: w.stopped ? 'stopped' : 'done' };
}

/** One sentence on where a watched (or started) conversion stands, and what to do next. */
export function watchedSummary(image: string, w: Watched, inspectHint: string): string {
    const op = `operation ${w.operationId}`;
    if (w.waited === 'stopped') {
        return `Stopped waiting because the call was cancelled; the conversion keeps running on the registry (${op}, last seen ${w.status}${w.progress !== null ? ` ${w.progress}%` : ''}). ${inspectHint}`;
    }
    switch (w.status) {
        case 'Succeeded':
            return `Converted ${image} (${op} Succeeded): pulls of it by tag now stream.`;
        case 'Failed':
            return `The conversion of ${image} failed (${op})${w.details ? `: ${w.details}` : ''}. Nothing else was changed; search the docs for the failure code.`;
        case 'Canceled':
            return `The conversion of ${image} was canceled (${op}); the image has no streaming artifact.`;
        default:
            return `The conversion of ${image} ended with status ${w.status} (${op})${w.details ? `: ${w.details}` : ''}. ${inspectHint}`;
    }
}
