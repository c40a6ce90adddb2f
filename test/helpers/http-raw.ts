/**
 * Raw HTTP toward our own HTTP transport on 127.0.0.1, for what fetch() cannot do: forge a Host header,
 * hold a socket open, trickle headers. Shared by the transport tests (test/transports/).
 */
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';

export const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A 2025-era `initialize` request body. */
export function initializeBody(clientName = 'raw'): string {
    return JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: clientName, version: '1' } } });
}

/** The `notifications/initialized` body that completes a 2025-era handshake. */
export const INITIALIZED_BODY = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });

/** One request through node:http (any header, Host included); the status and the whole body. */
export function rawHttp(port: number, method: string, path: string, headers: Record<string, string>, body?: string) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, res => {
            let data = '';
            res.on('data', c => (data += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
        });
        req.on('error', reject);
        req.end(body);
    });
}

export interface Probe {
    socket: Socket;
    closed: () => boolean;
    received: () => string;
}

/** A raw socket, connected; `first` is written at once (a request, or the start of one). */
export async function rawSocket(port: number, first?: string): Promise<Probe> {
    const socket = connect(port, '127.0.0.1');
    let closed = false;
    let received = '';
    socket.on('data', d => (received += d));
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    await new Promise<void>(resolve => socket.once('connect', () => resolve()));
    if (first) socket.write(first);
    return { socket, closed: () => closed, received: () => received };
}
