import { beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app-context.js';
import { CLOUDS } from '../../src/azure/cloud.js';
import { ENABLE_PAGES } from '../../src/prompts/enable-artifact-streaming.js';
import { READINESS_PAGES } from '../../src/prompts/streaming-readiness-review.js';
import { TROUBLESHOOT_PAGES } from '../../src/prompts/troubleshoot-slow-pod-start.js';
import { connect, connectV1, describeEachEra, testApp } from '../helpers/mcp.js';

const TOOL_NAME = /\b(?:acr|aks|streaming)_[a-z_]+\b/g;

const ARGS: Record<string, Record<string, string>[]> = {
    troubleshoot_slow_pod_start: [
        { image: 'contosoacr.azurecr.io/ml/trainer:v3' },
        { image: 'contosoacr.azurecr.io/ml/trainer:v3', cluster: 'aks-prod', namespace: 'ml', pod: 'trainer-0' }
    ],
    enable_artifact_streaming: [
        { registry: 'contosoacr', repository: 'ml/trainer' },
        { registry: 'contosoacr', repository: 'ml/trainer', cluster: 'aks-prod', nodePool: 'gpupool' }
    ],
    streaming_readiness_review: [{ registry: 'contosoacr' }, { registry: 'contosoacr', cluster: 'aks-prod' }]
};

type Message = { role: string; content: { type: string; text?: string; resource?: { uri: string; mimeType?: string; text?: string } } };

/** The prompt's own words: text content only (the embedded skill pages are the content authors' words). */
function promptText(messages: Message[]): string {
    return messages.flatMap(m => (m.content.type === 'text' ? [m.content.text!] : [])).join('\n');
}

let app: AppContext;
beforeAll(async () => {
    app = await testApp();
});

describeEachEra('prompts', () => app, c => {

    it('lists the three prompts with described arguments', async () => {
        const { prompts } = await c.client.listPrompts();
        expect(prompts.map(p => p.name).sort()).toEqual(Object.keys(ARGS).sort());
        for (const p of prompts) {
            expect(p.description).toBeTruthy();
            expect(p.title).toBeTruthy();
            for (const a of p.arguments ?? []) expect(a.description, `${p.name}.${a.name}`).toBeTruthy();
        }
        const troubleshoot = prompts.find(p => p.name === 'troubleshoot_slow_pod_start')!;
        expect(troubleshoot.arguments!.map(a => [a.name, a.required])).toEqual([
            ['image', true],
            ['cluster', false],
            ['namespace', false],
            ['pod', false]
        ]);
    });

    it.each(Object.entries(ARGS).flatMap(([name, sets]) => sets.map(args => [name, args] as const)))('%s %j embeds skill pages and names only listed tools', async (name, args) => {
        const { tools } = await c.client.listTools();
        const toolNames = new Set(tools.map(t => t.name));
        const r = await c.client.getPrompt({ name, arguments: args });
        const messages = r.messages as Message[];
        expect(messages[0]!.content.type).toBe('text');
        const embedded = messages.filter(m => m.content.type === 'resource').map(m => m.content.resource!);
        expect(embedded.length).toBeGreaterThanOrEqual(2);
        for (const res of embedded) {
            const page = app.knowledge.pages.find(p => p.uri === res.uri);
            expect(page, res.uri).toBeDefined();
            expect(res).toMatchObject({ mimeType: 'text/markdown', text: page!.raw });
        }
        const text = promptText(messages);
        for (const v of Object.values(args)) expect(text).toContain(v);
        const mentioned = new Set(text.match(TOOL_NAME) ?? []);
        for (const tool of mentioned) expect(toolNames, `${name} mentions ${tool}`).toContain(tool);
    });

    it('completes the arguments that have offline completions', async () => {
        const ns = await c.client.complete({ ref: { type: 'ref/prompt', name: 'troubleshoot_slow_pod_start' }, argument: { name: 'namespace', value: 'd' } });
        expect(ns.completion.values).toEqual(['default']);
        const pool = await c.client.complete({ ref: { type: 'ref/prompt', name: 'enable_artifact_streaming' }, argument: { name: 'nodePool', value: '' } });
        expect(pool.completion.values).toEqual(['nodepool1']);
        const image = await c.client.complete({ ref: { type: 'ref/prompt', name: 'troubleshoot_slow_pod_start' }, argument: { name: 'image', value: 'x' } });
        expect(image.completion.values).toEqual([]);
    });

    it('embeds only pages that exist (a misspelt path would be skipped silently)', () => {
        for (const path of [...ENABLE_PAGES, ...READINESS_PAGES, ...TROUBLESHOOT_PAGES]) expect(app.knowledge.page(path), path).toBeDefined();
    });

    it('rejects a missing required argument', async () => {
        await expect(c.client.getPrompt({ name: 'enable_artifact_streaming', arguments: { registry: 'contosoacr' } })).rejects.toMatchObject({ code: -32602 });
    });
});

describe('prompts with only some tools present', () => {
    async function render(toolsets: ('knowledge' | 'acr' | 'aks' | 'diagnose')[]) {
        const c = await connect(await testApp({ toolsets }));
        try {
            const listed = new Set((await c.client.listTools()).tools.map(t => t.name));
            const texts: string[] = [];
            for (const [name, sets] of Object.entries(ARGS)) {
                for (const args of sets) texts.push(promptText((await c.client.getPrompt({ name, arguments: args })).messages as Message[]));
            }
            return { listed, text: texts.join('\n') };
        } finally {
            await c.close();
        }
    }

    it('with only the knowledge toolset: names the search tool, gives az/kubectl commands for the rest', async () => {
        const { listed, text } = await render(['knowledge']);
        expect([...listed]).toEqual(['streaming_search_docs']);
        expect(new Set(text.match(TOOL_NAME))).toEqual(new Set(['streaming_search_docs']));
        expect(text).toContain('az acr show -n contosoacr');
        expect(text).toContain('kubectl describe pod trainer-0 -n ml');
        expect(text).toContain('az aks nodepool update');
    });

    it('without the knowledge toolset: points to the skill instead of the search tool', async () => {
        const { listed, text } = await render(['aks']);
        for (const tool of new Set(text.match(TOOL_NAME))) expect(listed).toContain(tool);
        expect(text).not.toContain('streaming_search_docs');
        expect(text).toContain('skill://acr-artifact-streaming/SKILL.md');
    });

    it('renders for a v1 client', async () => {
        const c = await connectV1(app);
        try {
            const r = await c.client.getPrompt({ name: 'troubleshoot_slow_pod_start', arguments: { image: 'contosoacr.azurecr.io/web:1' } });
            expect(r.messages.some(m => m.content.type === 'resource')).toBe(true);
        } finally {
            await c.close();
        }
    });
});

describe('prompts when the later tools exist', () => {
    it('names each tool in its step instead of the command', async () => {
        const { McpServer, InMemoryTransport } = await import('@modelcontextprotocol/server');
        const { Client } = await import('@modelcontextprotocol/client');
        const { registerPrompts } = await import('../../src/prompts/index.js');
        const future = ['streaming_search_docs', 'streaming_diagnose', 'acr_inspect_image', 'aks_get_streaming_status', 'acr_list_registries', 'acr_get_repository_streaming', 'acr_set_repository_streaming', 'acr_create_streaming_artifact', 'aks_set_nodepool_streaming', 'streaming_scan_registry'];
        const server = new McpServer({ name: 't', version: '1' });
        registerPrompts(server, { knowledge: app.knowledge, cloud: CLOUDS.AzureCloud }, new Set(future));
        const [a, b] = InMemoryTransport.createLinkedPair();
        await server.connect(b);
        const client = new Client({ name: 't', version: '1' });
        await client.connect(a);
        try {
            const mentioned = new Set<string>();
            for (const [name, sets] of Object.entries(ARGS)) {
                const r = await client.getPrompt({ name, arguments: sets.at(-1)! });
                for (const t of promptText(r.messages as Message[]).match(TOOL_NAME) ?? []) mentioned.add(t);
            }
            expect([...mentioned].sort()).toEqual([...future].sort());
        } finally {
            await client.close();
            await server.close();
        }
    });
});

describe('prompts in the sovereign clouds', () => {
    it.each([
        ['AzureChinaCloud', 'azurecr.cn'],
        ['AzureUSGovernment', 'azurecr.us']
    ] as const)('%s: commands and argument descriptions use the %s login-server suffix', async (cloud, suffix) => {
        const c = await connect(await testApp({ cloud, toolsets: ['knowledge'] }));
        try {
            const { prompts } = await c.client.listPrompts();
            const described = prompts.flatMap(p => p.arguments ?? []).map(a => a.description ?? '').join('\n');
            expect(described).toContain(`.${suffix}`);
            expect(described).not.toContain('azurecr.io');
            const image = `contosoacr.${suffix}/ml/trainer:v3`;
            const troubleshoot = promptText((await c.client.getPrompt({ name: 'troubleshoot_slow_pod_start', arguments: { image, cluster: 'aks-prod' } })).messages as Message[]);
            expect(troubleshoot).toContain(`--acr contosoacr.${suffix}`);
            expect(troubleshoot).toContain('az acr manifest list-referrers --registry contosoacr --name ml/trainer:v3');
            const review = promptText((await c.client.getPrompt({ name: 'streaming_readiness_review', arguments: { registry: 'contosoacr', cluster: 'aks-prod' } })).messages as Message[]);
            expect(review).toContain(`--acr contosoacr.${suffix}`);
            expect(`${troubleshoot}\n${review}`).not.toContain('azurecr.io');
        } finally {
            await c.close();
        }
    });

    it('an image of another cloud gets placeholders, not a command for the wrong registry', async () => {
        const c = await connect(await testApp({ cloud: 'AzureChinaCloud', toolsets: ['knowledge'] }));
        try {
            const r = await c.client.getPrompt({ name: 'troubleshoot_slow_pod_start', arguments: { image: 'contosoacr.azurecr.io/ml/trainer:v3' } });
            const text = promptText(r.messages as Message[]);
            expect(text).toContain('--acr <registry>.azurecr.cn');
            expect(text).toContain('az acr manifest list-referrers --registry <registry> --name <repository>:<tag>');
        } finally {
            await c.close();
        }
    });
});
