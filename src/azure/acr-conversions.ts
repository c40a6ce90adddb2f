/**
 * Following a conversion and checking rights before a write, as the CLI makes its calls (the azure-cli
 * recording of April 2025, docs/sources.md; the writes themselves are in acr-writes.ts):
 * - waiting: `GET /acr/v1/{repo}/_operations/{id}` every 5 s, +1 s per poll (the CLI's backoff), until the
 *   status is no longer NotStarted/Running;
 * - rights: which of the actions a change needs the registry grants, read from the `access` claim of the
 *   access token it issues for them (ACR OAuth, docs/sources.md), so a plan can refuse before any write.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { AcrClient } from './acr-client.js';
import { ONGOING_STATUSES } from './acr-writes.js';
import type { CallOptions } from './types.js';

export interface OperationState {
    status: string;
    /** 0-100, parsed from the service's "n%" (null when it sent none). */
    percent: number | null;
    details: string | null;
}

/** The CLI polls every 5 s and adds 1 s per poll up to ~21 s (artifact_streaming.py); scaled from `firstMs`. */
export function pollDelayMs(firstMs: number, poll: number): number {
    return Math.min(firstMs * (1 + poll / 5), firstMs * 4.2);
}

function percent(progress: string | null): number | null {
    const m = /^(\d{1,3})(?:\.\d+)?\s*%?$/.exec(progress?.trim() ?? '');
    return m?.[1] ? Math.min(100, Number(m[1])) : null;
}

export async function operationState(client: AcrClient, repo: string, id: string, opts: CallOptions): Promise<OperationState | null> {
    const op = await client.operation(repo, id, opts);
    return op ? { status: op.status ?? 'Unknown', percent: percent(op.progress), details: op.details } : null;
}

export interface WaitOptions extends CallOptions {
    /** First poll interval (the CLI's is 5 s). */
    firstPollMs: number;
    onState(state: OperationState, polls: number): Promise<void>;
}

/**
 * Polls until the operation leaves NotStarted/Running. When `abortSignal` fires (the client cancelled the
 * call) it stops waiting and returns the last state seen with `stopped: true`: the conversion itself keeps
 * running on the service. A vanished operation record (404) ends the wait with status "Unknown".
 */
export async function waitForOperation(client: AcrClient, repo: string, id: string, opts: WaitOptions): Promise<{ state: OperationState; polls: number; stopped: boolean }> {
    let last: OperationState = { status: 'NotStarted', percent: 0, details: null };
    for (let polls = 1; ; polls++) {
        try {
            const state = await operationState(client, repo, id, opts);
            last = state ?? { status: 'Unknown', percent: null, details: `the registry no longer knows operation ${id}` };
            await opts.onState(last, polls);
            if (!ONGOING_STATUSES.has(last.status)) return { state: last, polls, stopped: false };
            await delay(pollDelayMs(opts.firstPollMs, polls - 1), undefined, { signal: opts.abortSignal });
        } catch (e) {
            if (opts.abortSignal.aborted) return { state: last, polls, stopped: true };
            throw e;
        }
    }
}

/**
 * The actions of `repo` the registry granted for `actions`, from its access token's `access` claim
 * (`[{type:"repository", name, actions:[…]}]`, as ACR's token server answers per the Docker token spec: the
 * granted subset of what was asked). Null when the token does not say (not a JWT, no such claim): unknown.
 * Assumption (the exact answer for a caller without the right is not documented): ACR then issues a token
 * without those actions rather than refusing the token request.
 */
export async function grantedActions(client: AcrClient, repo: string, actions: readonly string[], opts: CallOptions): Promise<Set<string> | null> {
    const token = await client.accessToken(`repository:${repo}:${actions.join(',')}`, opts);
    let claims: { access?: unknown };
    try {
        claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { access?: unknown };
    } catch {
        return null;
    }
    if (!Array.isArray(claims.access)) return null;
    const granted = new Set<string>();
    for (const entry of claims.access as { type?: unknown; name?: unknown; actions?: unknown }[]) {
        if (entry?.type !== 'repository' || entry.name !== repo || !Array.isArray(entry.actions)) continue;
        for (const a of entry.actions) if (typeof a === 'string') granted.add(a);
    }
    return granted;
}
