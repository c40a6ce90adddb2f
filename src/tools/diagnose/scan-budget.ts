/**
 * How a scan stops in time. A tool call has a deadline (src/tools/call-deadline.ts); a scan that runs into it
 * fails with DEADLINE and loses all it read. Instead a scan stops starting work a little before: listing
 * repositories ends with a quarter of the call's time left (1-15 s), describing a page's rows with a tenth
 * (0.5-5 s), and what was done by then is returned with a cursor that continues exactly there. The margins
 * leave room for the rows still in flight to be abandoned and the answer to travel.
 */
import { currentCall } from '../../call-activity.js';

export type StopReason = 'throttled' | 'deadline';

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Epoch ms by which listing and describing must stop; Infinity outside a tool call. */
export function scanBudget(): { listUntil: number; describeUntil: number } {
    const c = currentCall();
    if (!c) return { listUntil: Infinity, describeUntil: Infinity };
    const total = c.deadline - c.started;
    // At most half the call is reserved, so even a short deadline lists something.
    return { listUntil: c.deadline - Math.min(clamp(total / 4, 1_000, 15_000), total / 2), describeUntil: c.deadline - Math.min(clamp(total / 10, 500, 5_000), total / 4) };
}

/** Why a scan that ran out of time did: the registry throttled during this call, or the time simply ran out. */
export function stopReason(): StopReason {
    return (currentCall()?.throttled ?? 0) > 0 ? 'throttled' : 'deadline';
}

/** The reason in words, with what this call saw. */
export function stopText(reason: StopReason): string {
    const c = currentCall();
    if (reason === 'throttled') return `the registry throttled${c?.throttled ? `: ${c.throttled} answers were 429` : ''}`;
    return `the call's ${c ? `${Math.round((c.deadline - c.started) / 1000)} s ` : ''}deadline was near`;
}

/**
 * A signal for one phase of a scan: aborted with the call's, at `until`, or by stop() (a request throttled
 * beyond its retries: the registry will not admit more now). One listener on the call's signal.
 */
export function phaseSignal(call: AbortSignal, until: number) {
    const ac = new AbortController();
    let reason: StopReason | undefined;
    const stop = (why: StopReason) => {
        reason ??= why;
        ac.abort(new Error(`scan stopped: ${why}`));
    };
    const onAbort = () => ac.abort(call.reason);
    call.addEventListener('abort', onAbort, { once: true });
    const timer = Number.isFinite(until) ? setTimeout(() => stop(stopReason()), Math.max(0, until - Date.now())) : undefined;
    return {
        signal: ac.signal,
        stop,
        /** Why it stopped early; undefined when it did not (or the call itself was aborted). */
        stopped: (): StopReason | undefined => (call.aborted ? undefined : reason),
        dispose() {
            clearTimeout(timer);
            call.removeEventListener('abort', onAbort);
        }
    };
}
