/**
 * What the current tool call has done so far, reachable from the HTTP pipeline without threading a
 * parameter through every Azure call: register-tools.ts opens a call (AsyncLocalStorage follows it across
 * awaits), the pipeline policies (src/azure/http-policies.ts) note each attempt and retry. It feeds three
 * things: the debug log (method, host/path, status, attempt, retry delay), the progress heartbeat, and
 * the deadline error, which says what was done. Outside a call nothing is recorded.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isChangeRequest } from './request-kind.js';

export interface CallActivity {
    /** The tool (or completion) this call runs for; prefixes its log lines. */
    readonly name: string;
    /** When the call started and when its deadline expires (epoch ms). */
    readonly started: number;
    readonly deadline: number;
    readonly debug: (line: string) => void;
    /** Attempts that got an answer or failed. */
    attempts: number;
    /** Attempts answered 429 (throttled): a scan that stops early says whether throttling was why. */
    throttled: number;
    /** The request waited for now, or the last one, in words ("GET host/path (attempt 2): no answer yet"). */
    current?: string;
    /** Requests that change something (not GET/HEAD) that were sent: the deadline error names them. */
    changes: string[];
    /** The last step the tool itself reported through progress. */
    step?: string;
}

const calls = new AsyncLocalStorage<CallActivity>();

export function newCallActivity(name: string, deadline: number, debug: (line: string) => void): CallActivity {
    return { name, started: Date.now(), deadline, debug, attempts: 0, throttled: 0, changes: [] };
}

export function runInCall<T>(activity: CallActivity, fn: () => T): T {
    return calls.run(activity, fn);
}

export function currentCall(): CallActivity | undefined {
    return calls.getStore();
}

/** Milliseconds until the current call's deadline; undefined outside a call. */
export function msLeft(): number | undefined {
    const c = calls.getStore();
    return c ? c.deadline - Date.now() : undefined;
}

/**
 * `GET host/path?key1&key2`: query values are left out (page markers, scopes and api versions say little and
 * could carry what should not be logged); the keys show which call it was.
 */
export function requestTarget(method: string, url: string): string {
    const u = new URL(url);
    const keys = [...new Set(u.searchParams.keys())];
    return `${method} ${u.host}${u.pathname}${keys.length ? `?${keys.join('&')}` : ''}`;
}

/** An attempt is about to be sent. */
export function noteSending(method: string, url: string, attempt: number): void {
    const c = calls.getStore();
    if (!c) return;
    const target = requestTarget(method, url);
    c.current = `${target} (attempt ${attempt}): no answer yet`;
    if (attempt === 1 && isChangeRequest(method, url)) c.changes.push(target);
}

/** An attempt ended: with an HTTP status, or with an error (no answer). */
export function noteAttempt(method: string, url: string, attempt: number, outcome: { status: number } | { error: string }, ms: number): void {
    const c = calls.getStore();
    if (!c) return;
    c.attempts++;
    if ('status' in outcome && outcome.status === 429) c.throttled++;
    const target = requestTarget(method, url);
    const result = 'status' in outcome ? String(outcome.status) : `no answer: ${outcome.error}`;
    c.current = `${target} (attempt ${attempt}): ${result}`;
    c.debug(`${c.name}: ${target} -> ${result} in ${ms} ms (attempt ${attempt})`);
}

/** A retry was decided, after `reason` (a status or an error code), in `delayMs`. */
export function noteRetry(method: string, url: string, nextAttempt: number, delayMs: number, reason: string): void {
    const c = calls.getStore();
    if (!c) return;
    c.debug(`${c.name}: retrying ${requestTarget(method, url)} in ${Math.round(delayMs)} ms (${reason}; attempt ${nextAttempt} next)`);
}
