/**
 * Every tool call has an overall deadline, 45 s by default (--tool-timeout-seconds). Why 45: the most
 * deployed client, the v1 TypeScript SDK, gives up on a request after 60 s (DEFAULT_REQUEST_TIMEOUT_MSEC),
 * and a client that gave up never sees our answer; 15 s are left for the answer to travel and for a loaded
 * machine. The Azure retry settings fit inside it (src/azure/http-policies.ts: 20 s per attempt, no wait
 * that would outlast the deadline). At the deadline the work is aborted and the result is a DEADLINE error
 * that says what was done; a handler that ignores its signal cannot hold the answer back.
 *
 * While the call runs, progress goes out at least every few seconds (when the client sent a progress token),
 * so a client that resets its own timeout on progress (the v1 SDK's resetTimeoutOnProgress) keeps waiting.
 */
import { newCallActivity, runInCall, type CallActivity } from '../call-activity.js';
import { ToolError } from '../tool-error.js';

export const DEFAULT_TOOL_DEADLINE_MS = 45_000;

/** At most this long between two progress notifications while a call runs. */
const HEARTBEAT_MAX_MS = 5_000;

/** Sends one notifications/progress; undefined when the client did not ask for progress. */
export type ProgressSender = (progress: number, total: number | undefined, message: string | undefined) => Promise<void>;

export interface CallLimits {
    tool: string;
    deadlineMs: number;
    /** The client's cancellation. */
    signal: AbortSignal;
    send?: ProgressSender;
    debug: (line: string) => void;
}

/** What the handler gets: the signal that also fires at the deadline, and progress that stays strictly increasing. */
export interface CallScope {
    signal: AbortSignal;
    progress(progress: number, total?: number, message?: string): Promise<void>;
}

export async function runWithinDeadline<T>(limits: CallLimits, work: (scope: CallScope) => Promise<T>): Promise<T> {
    const activity = newCallActivity(limits.tool, Date.now() + limits.deadlineMs, limits.debug);
    // One controller for both ends of the call: the client's cancellation and the deadline.
    const controller = new AbortController();
    const onCancel = () => controller.abort(limits.signal.reason);
    if (limits.signal.aborted) onCancel();
    else limits.signal.addEventListener('abort', onCancel, { once: true });
    const signal = controller.signal;
    let rejectAtDeadline: (e: unknown) => void = () => undefined;
    const deadline = new Promise<never>((_, reject) => (rejectAtDeadline = reject));
    const timer = setTimeout(() => {
        controller.abort(new Error('deadline'));
        rejectAtDeadline(deadlineError(limits, activity));
    }, limits.deadlineMs);
    const progress = progressSequence(limits.send, activity);
    const beat = limits.send ? setInterval(() => void progress.beat(), Math.min(HEARTBEAT_MAX_MS, Math.max(100, limits.deadlineMs / 9))) : undefined;
    try {
        return await Promise.race([runInCall(activity, () => work({ signal, progress: progress.report })), deadline]);
    } catch (e) {
        if (signal.aborted && !limits.signal.aborted) throw deadlineError(limits, activity);
        throw e;
    } finally {
        clearTimeout(timer);
        clearInterval(beat);
        limits.signal.removeEventListener('abort', onCancel);
    }
}

/**
 * One progress sequence per call shared by the tool's own reports and the heartbeat. The spec requires the
 * value to increase with every notification (basic/utilities/progress), so a heartbeat adds a little to the
 * last value, and a tool report that would not increase it is sent just above it.
 */
function progressSequence(send: ProgressSender | undefined, activity: CallActivity) {
    let last = 0;
    let total: number | undefined;
    const emit = async (value: number, message: string | undefined) => {
        last = value > last ? value : last + 0.001;
        await send?.(Number(last.toFixed(3)), total, message).catch(() => undefined);
    };
    return {
        report: async (value: number, t?: number, message?: string) => {
            if (t !== undefined) total = t;
            if (message) activity.step = message;
            await emit(value, message);
        },
        beat: () => emit(last, heartbeatText(activity))
    };
}

function heartbeatText(a: CallActivity): string {
    const done = `${a.attempts} Azure request${a.attempts === 1 ? '' : 's'} done`;
    const now = a.current?.endsWith('no answer yet') ? `; waiting for ${a.current.replace(/: no answer yet$/, '')}` : '';
    return `still working (${done}${now})${a.step ? `; last step: ${a.step}` : ''}`;
}

function deadlineError(limits: CallLimits, a: CallActivity): ToolError {
    const seconds = Math.round(limits.deadlineMs / 1000);
    const made = a.attempts + (a.current?.endsWith('no answer yet') ? 1 : 0);
    const why = [
        `${made} Azure request${made === 1 ? ' was' : 's were'} made in that time`,
        a.current ? `the last: ${a.current}` : undefined,
        a.step ? `last step reported: ${a.step}` : undefined
    ].filter(Boolean);
    const fix = [
        'retry in a moment (Azure or the network may be slow or throttling)',
        'ask for less at once (one repository or image, a smaller limit) so fewer requests are needed',
        'if your client waits longer than 60 s, raise --tool-timeout-seconds'
    ];
    if (a.changes.length) fix.unshift(`a change was requested (${a.changes.join(', ')}): check whether it was applied before repeating the call`);
    return new ToolError(`${limits.tool} did not finish within ${seconds} s`, why.join('; '), fix.join('; '), 'DEADLINE');
}
