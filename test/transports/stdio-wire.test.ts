import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { StdioWire } from '../../src/transports/stdio-wire.js';
import { waitFor } from '../helpers/wait-for.js';

function wire(maxLineBytes: number) {
    const input = new PassThrough();
    const output = new PassThrough();
    let written = '';
    output.on('data', d => (written += d));
    const t = new StdioWire(input, output, maxLineBytes);
    const received: JSONRPCMessage[] = [];
    let closed = false;
    t.onmessage = m => void received.push(m);
    t.onclose = () => (closed = true);
    return { t, input, received, replies: () => written.split('\n').filter(Boolean).map(l => JSON.parse(l)), closed: () => closed };
}

const ping = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });

describe('the stdio wire framing', () => {
    it('splits lines across and within chunks, CRLF included', async () => {
        const w = wire(1024);
        await w.t.start();
        const two = `${ping(1)}\r\n${ping(2)}\n`;
        w.input.write(two.slice(0, 10));
        w.input.write(two.slice(10, 40));
        w.input.write(two.slice(40));
        await waitFor(() => w.received.length === 2, 5_000, 'two messages');
        expect(w.received.map(m => (m as { id: number }).id)).toEqual([1, 2]);
        expect(w.replies()).toEqual([]);
    });

    it('refuses an oversized line spread over chunks once, then delivers the message after it in the same chunk', async () => {
        const w = wire(64);
        await w.t.start();
        w.input.write('{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"' + 'x'.repeat(40));
        w.input.write('x'.repeat(100));
        w.input.write('"}}\n' + ping(2) + '\n');
        await waitFor(() => w.received.length === 1, 5_000, 'the message after the oversized one');
        expect((w.received[0] as { id: number }).id).toBe(2);
        expect(w.replies()).toEqual([{ jsonrpc: '2.0', id: null, error: { code: -32600, message: expect.stringContaining('larger than 64 bytes') } }]);
    });

    it('ignores blank lines and closes when its input ends', async () => {
        const w = wire(64);
        await w.t.start();
        w.input.end('\n  \n');
        await waitFor(() => w.closed(), 5_000, 'the close');
        expect(w.replies()).toEqual([]);
        expect(w.received).toEqual([]);
    });
});
