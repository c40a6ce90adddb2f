/**
 * Connection-level limits of the HTTP listener, chosen deliberately rather than left to Node's defaults
 * (headers 60 s, whole request 300 s, checked only every 30 s, no connection cap), which let idle and
 * slow sockets pile up. Node's semantics (https://nodejs.org/docs/latest-v20.x/api/http.html#class-httpserver):
 * headersTimeout and requestTimeout run from the moment a connection opens or a new request starts until
 * the request (headers; headers and body) has been received; once it has, a long answer such as a tool's SSE
 * stream or the listening GET stream is not limited by them. Expired connections get 408 and are closed.
 */
export interface HttpLimits {
    /** Time to receive a request's headers; also reaps connections that never send a byte. */
    headersTimeoutMs: number;
    /** Time to receive a whole request, body included (bodies are at most --http-max-body-bytes). */
    requestTimeoutMs: number;
    /** How long an idle keep-alive connection waits for its next request. */
    keepAliveTimeoutMs: number;
    /** Open connections at most; Node drops the ones beyond at once. */
    maxConnections: number;
    /** How often Node checks the two request timeouts (its default, 30 s, lets expired sockets linger). */
    connectionsCheckingIntervalMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
    // An MCP client sends its headers in one write: 10 s is generous even on a congested link.
    headersTimeoutMs: 10_000,
    // 1 MiB (the default body limit) in 30 s needs only ~35 KB/s.
    requestTimeoutMs: 30_000,
    // Node's own default, stated here on purpose: clients reuse a connection promptly or not at all.
    keepAliveTimeoutMs: 5_000,
    // Well above what 100 sessions use (a GET stream plus a few requests each), small enough to bound memory.
    maxConnections: 512,
    connectionsCheckingIntervalMs: 1_000
};

/** Options for node:http createServer (the connection cap is a property set after creation). */
export function nodeServerOptions(l: HttpLimits) {
    return {
        headersTimeout: l.headersTimeoutMs,
        requestTimeout: l.requestTimeoutMs,
        keepAliveTimeout: l.keepAliveTimeoutMs,
        connectionsCheckingInterval: l.connectionsCheckingIntervalMs
    };
}
