import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as V1StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { assertBuilt, childEnv, CLI, ROOT } from '../helpers/cli.js';

describe('stdio end to end against the built CLI', () => {
    it.each(['auto', 'legacy'] as const)('a v2 client in %s mode lists tools, reads SKILL.md and searches', async mode => {
        assertBuilt();
        const client = new Client({ name: 'e2e', version: '1' }, { versionNegotiation: { mode } });
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
        await client.close();
        // Logs go to stderr; a protocol-breaking stdout line would have failed the client already.
        expect(stderr.join('')).toContain('serving MCP on stdio');
    });

    it('a 2025-era @modelcontextprotocol/sdk 1.x client works over stdio', async () => {
        assertBuilt();
        const client = new V1Client({ name: 'v1-e2e', version: '1' });
        await client.connect(new V1StdioClientTransport({ command: process.execPath, args: [CLI], cwd: ROOT, env: childEnv(), stderr: 'ignore' }));
        const { resources } = await client.listResources();
        expect(resources.map(r => r.uri)).toContain('skill://acr-artifact-streaming/SKILL.md');
        await client.close();
    });
});
