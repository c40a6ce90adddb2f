/**
 * Our own pipeline policies, shared by the ARM clients and the ACR data-plane pipeline:
 * - reliability: core-rest-pipeline's retryPolicy with two small strategies, and a per-attempt timeout
 *   inside it that also covers reading the body. Retry-After is honoured for 429/503 but only up to a cap
 *   (the SDK's throttling strategy waits as long as the server asks, unbounded); 408/5xx and broken
 *   connections get exponential backoff with jitter, for idempotent requests only. The SDK's own
 *   exponential and throttling strategies are not exported by @azure/core-rest-pipeline 1.24 (only under
 *   @typespec/ts-http-runtime's internal path), and neither caps Retry-After nor skips non-idempotent
 *   POSTs, so the two strategies below take their place inside the SDK's retryPolicy.
 * - endpoint rewriting for the sandbox: requests are built for the real host and only the final
 *   transport target changes, so every security check sees the real host.
 * Types come from @azure/core-rest-pipeline as type-only imports; the module itself is passed in by the
 * callers, which load it on first use: nothing is loaded at start-up.
 */
import type { HttpClient, PipelinePolicy, PipelineRequest, PipelineResponse, RetryInformation, RetryModifiers, RetryStrategy } from '@azure/core-rest-pipeline';
import { msLeft, noteAttempt, noteRetry, noteSending } from '../call-activity.js';
import { ATTEMPT_TIMEOUT, TRANSPORT_CODES } from './errors.js';
import { countAttempt, isRepeatable } from './request-attempts.js';
import type { RestModule } from './rest.js';

export interface RetrySettings {
    /** Per attempt, including reading the body. */
    timeoutMs: number;
    maxRetries: number;
    /**
     * Retries of a throttled request (429/503 with Retry-After), each after the wait the server asked for:
     * more than maxRetries, since a registry's rate limit is normal operation during a scan (default 8).
     */
    maxThrottledRetries?: number;
    /** First backoff delay; doubles per retry with jitter. */
    retryDelayMs: number;
    maxRetryDelayMs: number;
    /** A Retry-After longer than this is not waited for: the call fails with a "throttled" error instead. */
    maxRetryAfterMs: number;
}

/**
 * Sized to fit a tool call's deadline (45 s by default, src/tools/call-deadline.ts): one attempt that times
 * out (20 s) still leaves room for a full second attempt; a wait that would outlast the deadline is not
 * started (see withinDeadline below), so the call fails with the real reason instead of the deadline.
 */
export const DEFAULT_RETRY: RetrySettings = { timeoutMs: 20_000, maxRetries: 3, retryDelayMs: 800, maxRetryDelayMs: 8_000, maxRetryAfterMs: 20_000 };

const DEFAULT_THROTTLED_RETRIES = 8;
const throttledRetries = (s: RetrySettings) => s.maxThrottledRetries ?? DEFAULT_THROTTLED_RETRIES;

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

/** Exponential backoff with jitter within the upper half, as the SDK's exponential strategy computes it. */
function backoff(retryCount: number, s: RetrySettings): RetryModifiers {
    const exp = Math.min(s.maxRetryDelayMs, s.retryDelayMs * 2 ** retryCount);
    return { retryAfterInMs: exp / 2 + Math.random() * (exp / 2) };
}

/**
 * A 429/503 with Retry-After: wait as asked, up to the cap. Above the cap the answer is final (the
 * strategies after this one skip answers with Retry-After), and becomes a "throttled" error with the wait.
 */
function cappedThrottlingStrategy(s: RetrySettings): RetryStrategy {
    return {
        name: 'acrStreamingMcpCappedThrottling',
        retry({ retryCount, response }: RetryInformation): RetryModifiers {
            const after = retryAfterMs(response);
            if (after === undefined) return { skipStrategy: true };
            return after <= s.maxRetryAfterMs && retryCount < throttledRetries(s) ? { retryAfterInMs: after } : {};
        }
    };
}

/** 408, 429 without Retry-After, 5xx (not 501/505), a timed-out attempt or a broken connection: back off and retry, if idempotent. */
function transientStrategy(s: RetrySettings): RetryStrategy {
    return {
        name: 'acrStreamingMcpTransient',
        retry({ retryCount, response, responseError }: RetryInformation): RetryModifiers {
            if (retryAfterMs(response) !== undefined || retryCount >= s.maxRetries) return { skipStrategy: true };
            if (responseError && !response) {
                const code = responseError.code;
                const broken = code === ATTEMPT_TIMEOUT || (code !== undefined && TRANSPORT_CODES.has(code));
                return broken && isRepeatable(responseError.request) ? backoff(retryCount, s) : { skipStrategy: true };
            }
            const status = response?.status ?? 0;
            const retriable = status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
            return retriable && isRepeatable(response?.request) ? backoff(retryCount, s) : { skipStrategy: true };
        }
    };
}

/**
 * Runs a strategy inside the current tool call: a retry whose wait would outlast the call's deadline is
 * not made (the answer at hand is final: a throttled call then fails at once saying how long to wait), and
 * each retry is noted with its delay for the debug log.
 */
function withinDeadline(strategy: RetryStrategy): RetryStrategy {
    return {
        name: strategy.name,
        retry(info: RetryInformation): RetryModifiers {
            const m = strategy.retry(info);
            if (m.retryAfterInMs === undefined) return m;
            const left = msLeft();
            if (left !== undefined && m.retryAfterInMs >= left) return {};
            const request = info.response?.request ?? info.responseError?.request;
            const reason = info.response ? String(info.response.status) : (info.responseError?.code ?? 'no answer');
            if (request) noteRetry(request.method, request.url, info.retryCount + 2, m.retryAfterInMs, reason);
            return m;
        }
    };
}

/**
 * The same retry decision for a call outside a pipeline (the Kubernetes client, kube.ts): the strategies in
 * the order retryPolicy runs them, within the deadline. The wait in ms, or undefined when the answer is final.
 */
export function retryWait(info: RetryInformation, s: RetrySettings): number | undefined {
    for (const strategy of [cappedThrottlingStrategy(s), transientStrategy(s)]) {
        const m = withinDeadline(strategy).retry(info);
        // As retryPolicy does: a skipped or empty answer passes to the next strategy.
        if (m.retryAfterInMs !== undefined) return m.retryAfterInMs;
    }
    return undefined;
}

/**
 * Bounds each attempt (the retry policy sits outside it): an attempt with no complete answer in time is
 * aborted and fails as a RestError with code ATTEMPT_TIMEOUT, which says how many attempts were made.
 */
function attemptTimeoutPolicy(rest: RestModule, s: RetrySettings): PipelinePolicy {
    return {
        name: 'acrStreamingMcpAttemptTimeout',
        async sendRequest(request, next) {
            const attempt = countAttempt(request);
            const outer = request.abortSignal;
            const ac = new AbortController();
            let timedOut = false;
            const timer = setTimeout(() => {
                timedOut = true;
                ac.abort();
            }, s.timeoutMs);
            const onAbort = () => ac.abort();
            outer?.addEventListener('abort', onAbort, { once: true });
            request.abortSignal = ac.signal;
            const started = Date.now();
            noteSending(request.method, request.url, attempt);
            try {
                const response = await next(request);
                noteAttempt(request.method, request.url, attempt, { status: response.status }, Date.now() - started);
                return response;
            } catch (e) {
                const error = timedOut ? `no complete answer within ${s.timeoutMs} ms` : ((e as { code?: string }).code ?? (e as Error).name ?? 'error');
                noteAttempt(request.method, request.url, attempt, { error }, Date.now() - started);
                if (!timedOut || outer?.aborted) throw e;
                const host = new URL(request.url).host;
                throw new rest.RestError(`no answer from ${host} within ${s.timeoutMs} ms (${attempt} attempt${attempt === 1 ? '' : 's'})`, { code: ATTEMPT_TIMEOUT, request });
            } finally {
                clearTimeout(timer);
                outer?.removeEventListener('abort', onAbort);
                request.abortSignal = outer;
            }
        }
    };
}

/** The abort fan-out of each caller's signal: one listener on it, whatever the number of requests in flight. */
const requestsOf = new WeakMap<NonNullable<PipelineRequest['abortSignal']>, Set<AbortController>>();

/**
 * Gives each request its own AbortSignal, aborted with the caller's. A scan sends hundreds of requests under one
 * tool call's signal, and every layer below listens to the request's signal (the retry policy's waits, the
 * attempt timeout, the registry gate, the HTTP client): on the call's signal that made one listener per request
 * in flight, past Node's limit of 10 (MaxListenersExceededWarning, a sign of a leak that was not one). Now the
 * call's signal carries one listener, which aborts the requests still registered under it.
 */
function requestSignalPolicy(): PipelinePolicy {
    return {
        name: 'acrStreamingMcpRequestSignal',
        async sendRequest(request, next) {
            const outer = request.abortSignal;
            if (!outer || outer.aborted) return next(request);
            let live = requestsOf.get(outer);
            if (!live) {
                const set = new Set<AbortController>();
                outer.addEventListener('abort', () => set.forEach(c => c.abort((outer as { reason?: unknown }).reason)), { once: true });
                requestsOf.set(outer, (live = set));
            }
            const own = new AbortController();
            live.add(own);
            request.abortSignal = own.signal;
            try {
                return await next(request);
            } finally {
                live.delete(own);
                request.abortSignal = outer;
            }
        }
    };
}

/**
 * The reliability policies, outermost first: add them to a pipeline in this order. `aroundEachAttempt` goes
 * inside the retries and outside the attempt timeout (the registry gate: a request waiting to retry holds no slot).
 */
export function reliabilityPolicies(rest: RestModule, s: RetrySettings, aroundEachAttempt: PipelinePolicy[] = []): PipelinePolicy[] {
    const strategies = [cappedThrottlingStrategy(s), transientStrategy(s)].map(withinDeadline);
    const retry = rest.retryPolicy(strategies, { maxRetries: Math.max(s.maxRetries, throttledRetries(s)) });
    return [requestSignalPolicy(), retry, ...aroundEachAttempt, attemptTimeoutPolicy(rest, s)];
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
