/**
 * What the reliability policy (http-policies.ts) did with a request, kept on the request itself, so that the
 * error boundary (errors.ts) words a failure from what really happened (how many attempts were made) rather
 * than guessing from the status, and knows whether the request could have changed something.
 */
import type { PipelineRequest } from '@azure/core-rest-pipeline';

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

/**
 * Safe to send twice: reads, PUT and DELETE (idempotent by HTTP semantics, RFC 9110 §9.2.2), and the POSTs that
 * only read or mint tokens (the ACR token endpoints, AKS listClusterUserCredential). Any other POST or a PATCH may
 * apply a change twice, so it is never repeated automatically.
 */
export function isRepeatable(request: Pick<PipelineRequest, 'method' | 'url'> | undefined): boolean {
    if (!request) return false;
    if (['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(request.method)) return true;
    const path = new URL(request.url).pathname;
    return /\/oauth2\/(exchange|token)$/.test(path) || /\/listClusterUserCredential$/i.test(path);
}

/** A request that asks for a change (not a read, not a token request): its failure may leave the change applied. */
export function isWrite(request: Pick<PipelineRequest, 'method' | 'url'> | undefined): boolean {
    if (!request || ['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return false;
    return !(request.method === 'POST' && isRepeatable(request));
}
