import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { assertBuilt, childEnv, CLI, ROOT, runCli, startCli } from '../helpers/cli.js';
import { listRegistriesTool } from '../../src/tools/acr/list-registries.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { structuredOf } from '../helpers/structured.js';
import { waitFor } from '../helpers/wait-for.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/worlds/${name}`, import.meta.url));

describe('--sandbox from the built CLI', () => {
    it('serves the demo world over stdio and labels every result as sandbox', async () => {
        assertBuilt();
        const client = new Client({ name: 'e2e', version: '1' });
        closeAfterTest(client);
        await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, '--sandbox'], cwd: ROOT, env: childEnv(), stderr: 'ignore' }));
        expect(client.getInstructions()).toMatch(/SANDBOX MODE/);
        const r = await client.callTool({ name: 'acr_list_registries', arguments: {} });
        expect(r.isError).toBeFalsy();
        expect((r.content as { text: string }[])[0]!.text).toMatch(/^\[SANDBOX/);
        expect(r._meta).toMatchObject({ 'acr-streaming-mcp/sandbox': true });
        const names = structuredOf(listRegistriesTool, r).registries.map(x => x.name);
        expect(names).toContain('contosoacr');
    });

    it('loads a world file given on the command line', async () => {
        assertBuilt();
        const client = new Client({ name: 'e2e', version: '1' });
        closeAfterTest(client);
        const args = [CLI, '--sandbox', fixture('minimal.json')];
        await client.connect(new StdioClientTransport({ command: process.execPath, args, cwd: ROOT, env: childEnv(), stderr: 'ignore' }));
        const r = await client.callTool({ name: 'acr_list_registries', arguments: {} });
        expect(r.isError).toBeFalsy();
        expect(structuredOf(listRegistriesTool, r).registries.length).toBeGreaterThan(0);
        expect(JSON.stringify(r.structuredContent)).not.toContain('contosoacr');
        // The label names the file, not where it lives on the user's disk.
        const shown = JSON.stringify(r.content) + (client.getInstructions() ?? '');
        expect(shown).toContain('minimal.json');
        expect(shown).not.toContain(fixture(''));
    });

    it('exits non-zero on a broken world, naming the path of the bad field', async () => {
        const { code, stdout, stderr } = await runCli(['--sandbox', fixture('bad-enum.json')]);
        expect(code).not.toBe(0);
        expect(stdout).toBe('');
        expect(stderr).toContain('registries[1].repositories[0].images[2].platforms[0].architecture');
        expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    });

    it('exits non-zero on a missing world file', async () => {
        const { code, stderr } = await runCli(['--sandbox', 'no-such-world.json']);
        expect(code).not.toBe(0);
        expect(stderr).toMatch(/no-such-world\.json/);
    });
});

describe('sandbox serve', () => {
    it('runs only the emulator and prints its endpoints and CA path', async () => {
        const cli = startCli(['sandbox', 'serve']);
        try {
            await waitFor(() => cli.stdout().includes('Press Ctrl+C'), 10_000, 'the emulator to print its endpoints');
            expect(cli.stdout()).toMatch(/ARM\s+https:\/\/127\.0\.0\.1:\d+/);
            expect(cli.stdout()).toMatch(/contosoacr\.azurecr\.io -> https:\/\/127\.0\.0\.1:\d+/);
            expect(cli.stdout()).toMatch(/CA certificate\s+\S+\.pem/);
            expect(await cli.stop()).toBe(0);
        } finally {
            cli.kill();
        }
    });
});
