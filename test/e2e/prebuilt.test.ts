/**
 * The bundle embeds what the build worked out from the same source and the same knowledge/ bytes: the tools'
 * JSON Schemas and the skill's parsed pages (scripts/bundle.mjs). From source both are computed live, so the
 * built CLI must answer tools/list, resources/list and a page read exactly as the in-process server does.
 */
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { assertBuilt, childEnv, CLI, ROOT } from '../helpers/cli.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { connectForTest, testApp } from '../helpers/mcp.js';

async function answers(client: Client) {
    const { tools } = await client.listTools();
    const { resources } = await client.listResources();
    const page = await client.readResource({ uri: 'skill://acr-artifact-streaming/references/requirements.md' });
    const prompt = await client.getPrompt({ name: 'enable_artifact_streaming', arguments: { registry: 'contosoacr', repository: 'ml/trainer' } });
    return { tools, resources, page, prompt };
}

describe('the built CLI, with what the build embedded, answers as the source does', () => {
    it('tools/list (every schema), resources/list, a page and a prompt that embeds pages', async () => {
        assertBuilt();
        const built = new Client({ name: 'prebuilt', version: '1' }, { versionNegotiation: { mode: 'legacy' } });
        closeAfterTest(built);
        await built.connect(new StdioClientTransport({ command: process.execPath, args: [CLI], cwd: ROOT, env: childEnv(), stderr: 'ignore' }));
        const live = await connectForTest(await testApp());
        const [fromBundle, fromSource] = await Promise.all([answers(built), answers(live.client)]);
        expect(fromBundle.tools.length).toBeGreaterThan(0);
        expect(fromBundle).toEqual(fromSource);
    });
});
