/**
 * What the reliability policy (http-policies.ts) did with a request, kept on the request itself, so that the
 * error boundary (errors.ts) words a failure from what really happened (how many attempts were made) rather
 * than guessing from the status, and knows whether the request could have changed something.
 */
import type { PipelineRequest } from '@azure/core-rest-pipeline';
import { isChangeRequest, isRepeatableRequest } from '../request-kind.js';

const attempts = new WeakMap<PipelineRequest, number>();

/** Counts one more attempt of `request`; returns its number (1 for the first). */
export function countAttempt(request: PipelineRequest): number {
    const n = (attempts.get(request) ?? 0) + 1;
    attempts.set(request, n);
    return n;
}

/** Attempts made for `request` so far; undefined when it never went through the reliability policy. */
export function attemptsMade(request: PipelineRequest | undefined): number | undefined {
    return request ? attempts.get(request) : undefined;
}

/** Safe to send twice (the rule is request-kind.ts'). */
export function isRepeatable(request: Pick<PipelineRequest, 'method' | 'url'> | undefined): boolean {
    return request ? isRepeatableRequest(request.method, request.url) : false;
}

/** A request that asks for a change: its failure may leave the change applied. */
export function isWrite(request: Pick<PipelineRequest, 'method' | 'url'> | undefined): boolean {
    return request ? isChangeRequest(request.method, request.url) : false;
}
