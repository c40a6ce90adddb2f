/** Small HTTP answers and response shaping shared by the /mcp and /healthz routes (http.ts). */
import type { ServerResponse } from 'node:http';

export function forbidden(message: string): Response {
    return Response.json({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }, { status: 403 });
}

export function tooLarge(limit: number): Response {
    return Response.json(
        { jsonrpc: '2.0', error: { code: -32600, message: `Request body larger than ${limit} bytes.` }, id: null },
        { status: 413 }
    );
}

export function unauthorized(challenge = 'Bearer error="invalid_token"', description = 'Missing or wrong bearer token.'): Response {
    return Response.json({ error: 'invalid_token', error_description: description }, { status: 401, headers: { 'www-authenticate': challenge } });
}

/** RFC 6750 §3.1: a valid token without the scope the resource needs. */
export function forbiddenScope(challenge: string, description: string): Response {
    return Response.json({ error: 'insufficient_scope', error_description: description }, { status: 403, headers: { 'www-authenticate': challenge } });
}

/** RFC 9110 §15.5.6: a 405 must list the methods the resource supports. */
export function methodNotAllowed(allow: readonly string[]): Response {
    return new Response(`Method not allowed. Allowed: ${allow.join(', ')}.`, { status: 405, headers: { allow: allow.join(', ') } });
}

/**
 * The last touch on every MCP answer.
 * - An SSE answer opens with a comment line (ignored by every SSE parser: WHATWG HTML, "Server-sent events",
 *   lines starting with a colon), so the status and headers go out at once. Otherwise node writes them only
 *   with the first event, and a client opening the listening GET stream waits for the first keep-alive (15 s).
 * - `Connection: close` from the client is honoured: the SDK labels its SSE answers `Connection: keep-alive`,
 *   which node would otherwise obey over the client's wish (RFC 9112 §9.6).
 */
export function finishResponse(request: Request, response: Response): Response {
    const sse = response.body !== null && (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
    const close = /(^|,)\s*close\s*(,|$)/i.test(request.headers.get('connection') ?? '');
    if (!sse && !close) return response;
    const headers = new Headers(response.headers);
    if (close) headers.set('connection', 'close');
    const body = sse ? response.body!.pipeThrough(openingComment()) : response.body;
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

const OPENING = new TextEncoder().encode(': stream open\n\n');

function openingComment(): TransformStream<Uint8Array, Uint8Array> {
    return new TransformStream({
        start(controller) {
            controller.enqueue(OPENING);
        }
    });
}

/** Writes a small, complete answer. `connection: close`: the body we did not read is not drained for keep-alive. */
export async function sendEarly(res: ServerResponse, response: Response): Promise<void> {
    const body = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, { ...Object.fromEntries(response.headers), 'content-length': body.length, connection: 'close' });
    res.end(body);
}

/** Reads a request body under a byte limit; `undefined` when it is larger (a chunked body has no length to check first). */
export async function readLimited(request: Request, limit: number): Promise<Buffer | undefined> {
    if (!request.body) return Buffer.alloc(0);
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = request.body.getReader();
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > limit) {
            await reader.cancel().catch(() => undefined);
            return undefined;
        }
        chunks.push(value);
    }
    return Buffer.concat(chunks);
}
