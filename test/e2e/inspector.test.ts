import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { assertBuilt, childEnv, CLI, ROOT } from '../helpers/cli.js';

const run = promisify(execFile);
const INSPECTOR = fileURLToPath(new URL('../../node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js', import.meta.url));

/** An independent client we did not write: the MCP Inspector's CLI mode, over stdio. */
async function inspector(...args: string[]) {
    assertBuilt();
    const { stdout } = await run(process.execPath, [INSPECTOR, '--cli', process.execPath, CLI, ...args], { cwd: ROOT, env: childEnv(), timeout: 30_000 });
    return JSON.parse(stdout) as Record<string, unknown>;
}

describe('MCP Inspector --cli', () => {
    it('lists the tools', async () => {
        const out = (await inspector('--method', 'tools/list')) as { tools: { name: string }[] };
        expect(out.tools.map(t => t.name)).toContain('streaming_search_docs');
    });

    it('reads SKILL.md', async () => {
        const out = (await inspector('--method', 'resources/read', '--uri', 'skill://acr-artifact-streaming/SKILL.md')) as {
            contents: { text: string; mimeType: string }[];
        };
        expect(out.contents[0]!.mimeType).toBe('text/markdown');
        expect(out.contents[0]!.text).toMatch(/^---\nname: acr-artifact-streaming/);
    });
});
