/**
 * The npm package as users get it: `npm pack` of the built repository, installed into an empty folder
 * outside the repository (so nothing resolves from our own node_modules), then run through `npx` by a
 * real MCP client over stdio. Proves `files` ships what the CLI needs and `dependencies` names what it
 * imports at run time. Packs once and installs once for the whole file.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { listRegistriesTool } from '../../src/tools/acr/list-registries.js';
import { PACKAGE_VERSION } from '../../src/version.js';
import { assertBuilt, childEnv, ROOT } from '../helpers/cli.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { installTarball, npmEnv, packRepository, type PackedFile } from '../helpers/npm.js';
import { structuredOf } from '../helpers/structured.js';

const run = promisify(execFile);

function filesUnder(dir: string): string[] {
    return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
        .filter(e => e.isFile())
        .map(e => relative(ROOT, join(e.parentPath, e.name)).split('\\').join('/'));
}

let work = '';
let app = '';
let packed: PackedFile[] = [];

beforeAll(async () => {
    assertBuilt();
    work = mkdtempSync(join(tmpdir(), 'acrsm-pack-'));
    const { tarball, files } = await packRepository(work);
    packed = files;
    app = join(work, 'app');
    mkdirSync(app);
    await installTarball(app, tarball);
}, 240_000);

afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
    it('ships the built CLI, the knowledge base and the sandbox worlds, and nothing else of note', () => {
        const paths = packed.map(f => f.path);
        // npm always adds package.json and README; a LICENSE file would be added the same way.
        const unexpected = paths.filter(p => !/^(dist|knowledge|sandbox-worlds)\//.test(p) && !/^(package\.json|README\.md|LICENSE)$/.test(p));
        expect(unexpected).toEqual([]);
        // Source maps double the download and nobody reads them: tool errors never carry a stack (docs/contributing.md).
        expect(paths.filter(p => p.endsWith('.map'))).toEqual([]);
        const needed = [...filesUnder('dist').filter(p => p.endsWith('.js') || p.endsWith('.json')), ...filesUnder('knowledge'), ...filesUnder('sandbox-worlds')];
        expect(needed).toContain('dist/cli.js');
        expect(needed.filter(p => !paths.includes(p))).toEqual([]);
    });

    it('installs from the tarball and answers npx acr-streaming-mcp --version', async () => {
        const { stdout } = await run('npx', ['acr-streaming-mcp', '--version'], { cwd: app, env: npmEnv(childEnv()) });
        expect(stdout.trim()).toBe(PACKAGE_VERSION);
    });

    it('serves tools/list and a sandbox tool call over stdio through npx', async () => {
        const client = new Client({ name: 'package-e2e', version: '1' });
        closeAfterTest(client);
        const env = Object.fromEntries(Object.entries(npmEnv(childEnv())).filter((e): e is [string, string] => e[1] !== undefined));
        await client.connect(new StdioClientTransport({ command: 'npx', args: ['acr-streaming-mcp', '--sandbox'], cwd: app, env, stderr: 'ignore' }));
        const { tools } = await client.listTools();
        expect(tools.map(t => t.name)).toEqual(expect.arrayContaining(['streaming_search_docs', 'acr_list_registries', 'streaming_diagnose']));
        const skill = await client.readResource({ uri: 'skill://acr-artifact-streaming/SKILL.md' });
        expect(JSON.stringify(skill.contents)).toContain('artifact');
        // acr_list_registries loads the Azure SDK on first use: a dependency missing from package.json fails here.
        const r = await client.callTool({ name: 'acr_list_registries', arguments: {} });
        expect(r.isError).toBeFalsy();
        expect(structuredOf(listRegistriesTool, r).registries.map(x => x.name)).toContain('contosoacr');
    });
});
