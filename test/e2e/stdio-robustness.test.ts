/**
 * The stdio wire under hostile input, against the built CLI: an oversized line, lines that are not JSON or
 * not JSON-RPC, then ordinary requests, then stdin ending. The server must answer each bad line with a
 * JSON-RPC error, keep serving, and exit when its client goes away.
 */
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { INITIALIZED_BODY, initializeBody } from '../helpers/http-raw.js';
import { waitFor } from '../helpers/wait-for.js';

interface Reply {
    id?: unknown;
    result?: unknown;
    error?: { code: number; message: string };
}

/** The CLI on stdio, spoken to line by line; `exited` resolves with [code, signal]. */
function startStdioCli() {
    const cli = startCli([]);
    const replies = (): Reply[] => cli.stdout().split('\n').filter(Boolean).map(line => JSON.parse(line) as Reply);
    return { ...cli, replies, send: (line: string) => cli.child.stdin.write(line + '\n'), exited: once(cli.child, 'exit') };
}

const initialize = initializeBody();

describe('stdio under hostile input (built CLI)', () => {
    it('rejects an 11 MiB line with a JSON-RPC error, keeps serving, and exits when stdin ends', async () => {
        const cli = startStdioCli();
        try {
            cli.send(initialize);
            await waitFor(() => cli.replies().find(r => r.id === 1), 15_000, 'the initialize answer');
            cli.send(INITIALIZED_BODY);
            cli.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping', params: { pad: 'x'.repeat(11 * 1024 * 1024) } }));
            cli.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping' }));
            const pong = await waitFor(() => cli.replies().find(r => r.id === 3), 15_000, 'the ping after the oversized line');
            expect(pong.result).toEqual({});
            const refused = cli.replies().find(r => r.error && r.id === null);
            expect(refused?.error?.code).toBe(-32600);
            expect(refused?.error?.message).toMatch(/larger than \d+ bytes/);
            cli.child.stdin.end();
            expect(await cli.exited).toEqual([0, null]);
        } finally {
            cli.kill();
        }
    });

    it('answers a line that is not JSON with -32700 and one that is not JSON-RPC with -32600, then serves on', async () => {
        const cli = startStdioCli();
        try {
            cli.send(initialize);
            await waitFor(() => cli.replies().find(r => r.id === 1), 15_000, 'the initialize answer');
            cli.send('{"jsonrpc": "2.0", "id": 7, "method": "ping"'); // truncated
            cli.send(JSON.stringify({ jsonrpc: '2.0', id: 8, params: {} })); // no method
            cli.send(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }));
            await waitFor(() => cli.replies().find(r => r.id === 9), 15_000, 'the ping after the bad lines');
            const errors = cli.replies().filter(r => r.error);
            expect(errors.map(r => [r.id, r.error!.code])).toEqual([
                [null, -32700],
                [8, -32600]
            ]);
            cli.child.stdin.end();
            expect(await cli.exited).toEqual([0, null]);
        } finally {
            cli.kill();
        }
    });
});
