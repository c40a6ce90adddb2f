/**
 * The stdio wire: newline-delimited JSON-RPC over stdin/stdout, as the MCP stdio transport specifies
 * (https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#stdio).
 *
 * Why not the SDK's StdioServerTransport: on a message above its buffer limit it closes itself and stops
 * reading stdin, so the server goes deaf and never sees stdin end (the process lingers); and it skips
 * lines that are not JSON without a word. Here each line is bounded on its own: an oversized line is
 * answered with a JSON-RPC error and skipped up to its newline, a line that is not JSON gets -32700 and
 * one that is not a JSON-RPC message gets -32600 (JSON-RPC 2.0 §5.1, https://www.jsonrpc.org/specification),
 * and reading goes on until stdin ends.
 */
import type { Readable, Writable } from 'node:stream';
import { INVALID_REQUEST, PARSE_ERROR, parseJSONRPCMessage, serializeMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/server';

/** The SDK's own stdio limit (10 MiB): far above any legitimate message here (tool arguments are capped at 16 KB). */
export const STDIO_MAX_LINE_BYTES = 10 * 1024 * 1024;

const NEWLINE = 0x0a;

export class StdioWire implements Transport {
    onclose?: () => void;
    onerror?: (error: Error) => void;
    onmessage?: (message: JSONRPCMessage) => void;

    private parts: Buffer[] = [];
    private size = 0;
    /** Inside an oversized line (already answered): drop bytes up to its newline. */
    private skipping = false;
    private closed = false;

    constructor(
        private readonly input: Readable = process.stdin,
        private readonly output: Writable = process.stdout,
        private readonly maxLineBytes = STDIO_MAX_LINE_BYTES
    ) {}

    async start(): Promise<void> {
        this.input.on('data', this.ondata);
        this.input.on('error', this.oninputerror);
        this.input.once('end', this.onend);
        this.input.once('close', this.onend);
        this.output.on('error', this.onoutputerror);
    }

    send(message: JSONRPCMessage): Promise<void> {
        if (this.closed) return Promise.reject(new Error('stdio transport is closed'));
        return this.write(serializeMessage(message));
    }

    async close(): Promise<void> {
        if (this.closed) return;
        this.closed = true;
        this.input.off('data', this.ondata);
        this.input.off('error', this.oninputerror);
        this.input.off('end', this.onend);
        this.input.off('close', this.onend);
        this.parts = [];
        this.onclose?.();
    }

    private readonly ondata = (chunk: Buffer) => {
        let start = 0;
        while (start < chunk.length) {
            const nl = chunk.indexOf(NEWLINE, start);
            const end = nl === -1 ? chunk.length : nl;
            this.take(chunk.subarray(start, end));
            if (nl === -1) break;
            this.lineEnded();
            start = nl + 1;
        }
    };

    private take(piece: Buffer) {
        if (this.skipping || piece.length === 0) return;
        if (this.size + piece.length > this.maxLineBytes) {
            // Answer at once rather than at the newline: a sender that never ends the line still hears why.
            this.parts = [];
            this.size = 0;
            this.skipping = true;
            this.reply(INVALID_REQUEST, `Message larger than ${this.maxLineBytes} bytes: refused. Send smaller messages.`, null);
            return;
        }
        this.parts.push(piece);
        this.size += piece.length;
    }

    private lineEnded() {
        if (this.skipping) {
            this.skipping = false;
            return;
        }
        const line = Buffer.concat(this.parts, this.size).toString('utf8').replace(/\r$/, '');
        this.parts = [];
        this.size = 0;
        if (line.trim() === '') return;
        let parsed: unknown;
        try {
            parsed = JSON.parse(line);
        } catch {
            this.reply(PARSE_ERROR, 'Parse error: the line is not valid JSON.', null);
            return;
        }
        let message: JSONRPCMessage;
        try {
            message = parseJSONRPCMessage(parsed);
        } catch {
            this.reply(INVALID_REQUEST, 'Invalid Request: not a JSON-RPC 2.0 request, notification or response.', idOf(parsed));
            return;
        }
        this.onmessage?.(message);
    }

    private reply(code: number, message: string, id: string | number | null) {
        if (this.closed) return;
        // An error answer has no JSONRPCMessage shape for id null, so it is written as plain JSON.
        this.write(JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } }) + '\n').catch(() => undefined);
    }

    private write(text: string): Promise<void> {
        // The callback fires once the chunk is handed on, after any back-pressure wait.
        return new Promise((resolve, reject) => void this.output.write(text, e => (e ? reject(e) : resolve())));
    }

    private readonly oninputerror = (e: Error) => this.onerror?.(e);
    private readonly onoutputerror = (e: Error) => {
        if (this.closed) return;
        this.onerror?.(e);
        void this.close();
    };
    private readonly onend = () => void this.close();
}

function idOf(value: unknown): string | number | null {
    const id = (value as { id?: unknown } | null)?.id;
    return typeof id === 'string' || typeof id === 'number' ? id : null;
}
