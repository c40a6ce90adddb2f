/**
 * The stdio wire under hostile input, against the built CLI: an oversized line, lines that are not JSON or
 * not JSON-RPC, then ordinary requests, then stdin ending. The server must answer each bad line with a
 * JSON-RPC error, keep serving, and exit when its client goes away.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { assertBuilt, childEnv, CLI, ROOT } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait-for.js';

interface Reply {
    id?: unknown;
    result?: unknown;
    error?: { code: number; message: string };
}

function startStdioCli() {
    assertBuilt();
    const child = spawn(process.execPath, [CLI], { cwd: ROOT, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    // A failing run kills the child while a write may be pending: that EPIPE is not the finding.
    child.stdin.on('error', () => undefined);
    const replies = (): Reply[] => stdout.split('\n').filter(Boolean).map(line => JSON.parse(line) as Reply);
    const exited = once(child, 'exit');
    return {
        child,
        replies,
        stderr: () => stderr,
        send: (line: string) => child.stdin.write(line + '\n'),
        exited,
        kill: () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        }
    };
}

const initialize = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } }
});

describe('stdio under hostile input (built CLI)', () => {
    it('rejects an 11 MiB line with a JSON-RPC error, keeps serving, and exits when stdin ends', async () => {
        const cli = startStdioCli();
        try {
            cli.send(initialize);
            await waitFor(() => cli.replies().find(r => r.id === 1), 15_000, 'the initialize answer');
            cli.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
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
