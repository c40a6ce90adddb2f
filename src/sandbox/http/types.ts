/**
 * The contract between the sandbox's HTTPS front (src/sandbox/server.ts) and the route modules
 * (arm/, acr/, kube/). The front reads the whole body, applies latency and faults, logs the request,
 * then asks each handler in turn; the first one that returns a response wins.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface SandboxRequest {
    method: string;
    /** Full URL as received (origin is the local listener). */
    url: URL;
    /** url.pathname with percent-escapes decoded once (the Azure SDK sends `demo%2Fapp` for `demo/app`). */
    path: string;
    headers: IncomingHttpHeaders;
    body: Buffer;
    /** Set by a handler that recognised a signed-in world user (their upn): the request log shows it. */
    caller?: string;
}

export interface SandboxResponse {
    status: number;
    headers?: Record<string, string>;
    /** A plain object is sent as JSON (content-type application/json unless headers say otherwise). */
    body?: string | Buffer | object;
}

/** Returns undefined when the request is not one this handler serves. */
export type SandboxHandler = (req: SandboxRequest) => Promise<SandboxResponse | undefined> | SandboxResponse | undefined;

export function json(status: number, body: object, headers: Record<string, string> = {}): SandboxResponse {
    return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}
