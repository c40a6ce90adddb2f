import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { assertBuilt, childEnv, CLI, ROOT } from '../helpers/cli.js';
import { closeAfterTest } from '../helpers/close-after-test.js';

const TRACE = fileURLToPath(new URL('../fixtures/trace-imports.mjs', import.meta.url));

describe('start-up stays light', () => {
    it('imports no Azure or Kubernetes SDK until a tool needs one', async () => {
        assertBuilt();
        const transport = new StdioClientTransport({ command: process.execPath, args: ['--import', TRACE, CLI], cwd: ROOT, env: childEnv(), stderr: 'pipe' });
        const stderr: string[] = [];
        transport.stderr?.on('data', d => stderr.push(String(d)));
        const client = new Client({ name: 'startup', version: '1' }, { versionNegotiation: { mode: 'legacy' } });
        const close = closeAfterTest(client);
        await client.connect(transport);
        await client.listTools();
        await client.callTool({ name: 'streaming_search_docs', arguments: { query: 'premium sku' } });
        await close();
        const text = stderr.join('');
        expect(text).toContain('serving MCP on stdio');
        expect(text).not.toContain('TRACE-IMPORT');
    });

    it('the trace hook does see a lazily imported SDK (so the check above can fail)', async () => {
        assertBuilt();
        const { spawnSync } = await import('node:child_process');
        const r = spawnSync(process.execPath, ['--import', TRACE, '-e', "await import('@azure/core-rest-pipeline')", '--input-type=module'], { cwd: ROOT, env: childEnv(), encoding: 'utf8' });
        expect(r.stderr).toContain('TRACE-IMPORT');
    });
});
