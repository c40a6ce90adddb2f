/**
 * Our own pipeline policies, shared by the ARM clients and the ACR data-plane pipeline:
 * - reliability: a per-attempt timeout that also covers reading the body, bounded retries with
 *   exponential backoff for 408/5xx and broken connections, and Retry-After honoured for 429/503 but
 *   only up to a cap (the SDK's own throttling strategy waits as long as the server asks, unbounded);
 * - endpoint rewriting for the sandbox: requests are built for the real host and only the final
 *   transport target changes, so every security check sees the real host.
 * Types come from @azure/core-rest-pipeline as type-only imports: nothing is loaded at start-up.
 */
import type { HttpClient, PipelinePolicy, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline';
import { AzureTimeoutError, isAbortError, TRANSPORT_CODES } from './errors.js';

export interface RetrySettings {
    /** Per attempt, including reading the body. */
    timeoutMs: number;
    maxRetries: number;
    /** First backoff delay; doubles per retry with jitter. */
    retryDelayMs: number;
    maxRetryDelayMs: number;
    /** A Retry-After longer than this is not waited for: the call fails with a "throttled" error instead. */
    maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { timeoutMs: 30_000, maxRetries: 3, retryDelayMs: 800, maxRetryDelayMs: 8_000, maxRetryAfterMs: 20_000 };

/** POSTs that only read or mint tokens are safe to repeat; other POSTs retry only on throttling. */
function isIdempotent(req: PipelineRequest): boolean {
    if (['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(req.method)) return true;
    const path = new URL(req.url).pathname;
    return /\/oauth2\/(exchange|token)$/.test(path) || /\/listClusterUserCredential$/i.test(path);
}

/** The subset of AbortSignal the pipeline hands us (core-rest-pipeline's AbortSignalLike). */
type SignalLike = Pick<AbortSignal, 'aborted' | 'addEventListener' | 'removeEventListener'> & { reason?: unknown };

export function sleep(ms: number, signal?: SignalLike): Promise<void> {
    return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason ?? abortError());
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(timer);
            reject(abortError());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}

function abortError(): Error {
    const e = new Error('The operation was aborted.');
    e.name = 'AbortError';
    return e;
}

/** Milliseconds from Retry-After / retry-after-ms, for 429 and 503 only. */
export function retryAfterMs(res: PipelineResponse | undefined): number | undefined {
    if (!res || (res.status !== 429 && res.status !== 503)) return undefined;
    const msRaw = res.headers.get('retry-after-ms') ?? res.headers.get('x-ms-retry-after-ms');
    if (msRaw !== undefined && Number.isFinite(Number(msRaw)) && Number(msRaw) >= 0) return Number(msRaw);
    const raw = res.headers.get('retry-after');
    if (raw === undefined) return undefined;
    const seconds = Number(raw);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(raw);
    return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function backoff(attempt: number, s: RetrySettings): number {
    const exp = Math.min(s.maxRetryDelayMs, s.retryDelayMs * 2 ** attempt);
    return exp / 2 + Math.random() * (exp / 2);
}

export function reliabilityPolicy(s: RetrySettings): PipelinePolicy {
    return {
        name: 'acrStreamingMcpReliability',
        async sendRequest(request, next) {
            const outer = request.abortSignal;
            const host = new URL(request.url).host;
            for (let attempt = 0; ; attempt++) {
                const ac = new AbortController();
                let timedOut = false;
                const timer = setTimeout(() => {
                    timedOut = true;
                    ac.abort();
                }, s.timeoutMs);
                const onAbort = () => ac.abort();
                outer?.addEventListener('abort', onAbort, { once: true });
                request.abortSignal = ac.signal;
                let response: PipelineResponse | undefined;
                let error: unknown;
                try {
                    response = await next(request);
                } catch (e) {
                    error = e;
                } finally {
                    clearTimeout(timer);
                    outer?.removeEventListener('abort', onAbort);
                    request.abortSignal = outer;
                }
                if (outer?.aborted) throw error ?? abortError();
                if (timedOut) error = new AzureTimeoutError(host, s.timeoutMs, attempt + 1);
                const canRetry = attempt < s.maxRetries;
                if (error) {
                    const code = (error as { code?: string }).code;
                    const transport = error instanceof AzureTimeoutError || (code !== undefined && TRANSPORT_CODES.has(code) && !(error as { response?: unknown }).response);
                    if (!transport || isAbortError(error) || !canRetry || !isIdempotent(request)) {
                        if (error instanceof AzureTimeoutError) throw new AzureTimeoutError(host, s.timeoutMs, attempt + 1);
                        throw error;
                    }
                    await sleep(backoff(attempt, s), outer);
                    continue;
                }
                const res = response!;
                const after = retryAfterMs(res);
                if (after !== undefined) {
                    if (!canRetry || after > s.maxRetryAfterMs) return res;
                    await sleep(after, outer);
                    continue;
                }
                const retriable = res.status === 408 || res.status === 429 || (res.status >= 500 && res.status !== 501 && res.status !== 505);
                if (retriable && canRetry && isIdempotent(request)) {
                    await sleep(backoff(attempt, s), outer);
                    continue;
                }
                return res;
            }
        }
    };
}

/** Maps a login server (host) to the origin that really serves it, or undefined for "no rewrite". */
export type EndpointResolver = (host: string) => string | undefined;

/**
 * Wraps the transport so that a request for https://<loginServer>/… is sent to the resolved origin.
 * Only the socket target changes; the request (and every policy before it) keeps the real URL.
 */
export function rewritingHttpClient(inner: HttpClient, resolve: EndpointResolver): HttpClient {
    return {
        async sendRequest(request) {
            const original = request.url;
            const url = new URL(original);
            const origin = resolve(url.host);
            if (!origin) return inner.sendRequest(request);
            const target = new URL(origin);
            url.protocol = target.protocol;
            url.host = target.host;
            request.url = url.toString();
            try {
                return await inner.sendRequest(request);
            } finally {
                request.url = original;
            }
        }
    };
}
