import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as V1StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { assertBuilt, childEnv, CLI, ROOT, runCli } from '../helpers/cli.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { waitFor } from '../helpers/wait-for.js';

describe('stdio end to end against the built CLI', () => {
    it.each(['auto', 'legacy'] as const)('a v2 client in %s mode lists tools, reads SKILL.md and searches', async mode => {
        assertBuilt();
        const client = new Client({ name: 'e2e', version: '1' }, { versionNegotiation: { mode } });
        const close = closeAfterTest(client);
        const stderr: string[] = [];
        const transport = new StdioClientTransport({ command: process.execPath, args: [CLI], cwd: ROOT, env: childEnv(), stderr: 'pipe' });
        transport.stderr?.on('data', d => stderr.push(String(d)));
        await client.connect(transport);
        expect(client.getProtocolEra()).toBe(mode === 'auto' ? 'modern' : 'legacy');
        const { tools } = await client.listTools();
        expect(tools.map(t => t.name)).toContain('streaming_search_docs');
        const skill = await client.readResource({ uri: 'skill://acr-artifact-streaming/SKILL.md' });
        expect(JSON.stringify(skill.contents)).toContain('artifact');
        const r = await client.callTool({ name: 'streaming_search_docs', arguments: { query: 'arm64 node pool' } });
        expect(r.isError).toBeFalsy();
        await close();
        // Logs go to stderr; a protocol-breaking stdout line would have failed the client already.
        expect(stderr.join('')).toContain('serving MCP on stdio');
    });

    it('a 2025-era @modelcontextprotocol/sdk 1.x client works over stdio', async () => {
        assertBuilt();
        const client = new V1Client({ name: 'v1-e2e', version: '1' });
        closeAfterTest(client);
        await client.connect(new V1StdioClientTransport({ command: process.execPath, args: [CLI], cwd: ROOT, env: childEnv(), stderr: 'ignore' }));
        const { resources } = await client.listResources();
        expect(resources.map(r => r.uri)).toContain('skill://acr-artifact-streaming/SKILL.md');
    });

    it('exits 0 when the client closes stdin, with nothing on stdout', async () => {
        const { code, stdout, stderr } = await runCli([]);
        expect(stderr).toContain('serving MCP on stdio');
        expect(code).toBe(0);
        expect(stdout).toBe('');
    });

    it('exits 0 on SIGTERM', async () => {
        assertBuilt();
        const child = spawn(process.execPath, [CLI], { cwd: ROOT, env: childEnv(), stdio: ['pipe', 'ignore', 'pipe'] });
        try {
            let stderr = '';
            child.stderr.on('data', d => (stderr += d));
            await waitFor(() => stderr.includes('serving MCP on stdio'), 15_000, 'the server to start');
            const exited = once(child, 'exit');
            child.kill('SIGTERM');
            expect(await exited).toEqual([0, null]);
        } finally {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        }
    });
});
