#!/usr/bin/env node
// The main job, shown end to end: launches the built server over stdio on the embedded sandbox
// (no Azure account needed) and drives it with a real MCP client, printing a readable transcript.
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const width = Math.min(process.stdout.columns || 100, 110);

const env = { ...process.env, AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential', ACR_STREAMING_MCP_LOG_LEVEL: 'warn' };
const transport = new StdioClientTransport({ command: process.execPath, args: [cli, '--sandbox'], cwd: root, env, stderr: 'inherit' });
const client = new Client({ name: 'acr-streaming-mcp-demo', version: '1.0.0' });

const rule = title => console.log(`\n${'='.repeat(width)}\n${title}\n${'='.repeat(width)}`);
const indent = (text, n = 2) => String(text).split('\n').map(l => ' '.repeat(n) + l).join('\n');
const clip = (text, lines) => {
    const all = String(text).split('\n');
    return all.length > lines ? [...all.slice(0, lines), `… (${all.length - lines} more lines)`].join('\n') : all.join('\n');
};

async function call(name, args, { showJson = 14 } = {}) {
    console.log(`\n> tools/call ${name} ${JSON.stringify(args)}`);
    const r = await client.callTool({ name, arguments: args });
    for (const c of r.content) if (c.type === 'text') console.log(indent(c.text));
    if (r.isError) console.log(indent('(isError: true — a clear, actionable error instead of a crash)'));
    else if (showJson) console.log(indent(clip(JSON.stringify(r.structuredContent, null, 2), showJson), 4));
    return r;
}

const started = Date.now();
await client.connect(transport);
const tools = (await client.listTools()).tools;
const has = name => tools.some(t => t.name === name);

rule('1. Connected over stdio');
console.log(indent(`server: ${client.getServerVersion()?.name} ${client.getServerVersion()?.version} (era ${client.getProtocolEra()}), ready in ${Date.now() - started} ms`));
console.log(indent('instructions:'));
console.log(indent(client.getInstructions() ?? '', 4));

rule('2. Tools (a small, task-shaped set)');
for (const t of tools) {
    const a = t.annotations ?? {};
    console.log(indent(`${t.name.padEnd(32)} ${a.readOnlyHint ? 'read  ' : a.destructiveHint ? 'DESTR ' : 'change'}  ${t.title}`));
}

rule('3. The knowledge base, as resources anyone can read');
const { resources } = await client.listResources();
for (const r of resources) console.log(indent(`${r.uri}  — ${r.title ?? r.name}`));
const skill = await client.readResource({ uri: 'skill://acr-artifact-streaming/SKILL.md' });
console.log('\n> resources/read skill://acr-artifact-streaming/SKILL.md');
console.log(indent(clip(skill.contents[0].text, 12), 4));

rule('4. Questions answered from the knowledge base (streaming_search_docs)');
for (const query of ['does streaming work with customer managed keys?', 'pod uses a regcred pull secret', 'aarch64 node pool', 'UNSUPPORTED_PLATFORM']) {
    await call('streaming_search_docs', { query, limit: 3 }, { showJson: 0 });
}

rule('5. Prompts');
const { prompts } = await client.listPrompts();
for (const p of prompts) console.log(indent(`${p.name}(${(p.arguments ?? []).map(a => a.name + (a.required ? '' : '?')).join(', ')}) — ${p.description ?? ''}`));

if (has('acr_list_registries')) {
    rule('6. Looking at the (sandbox) subscription');
    await call('acr_list_registries', {});
    await call('acr_get_repository_streaming', { registry: 'contosoacr' });
    await call('acr_inspect_image', { image: 'contosoacr.azurecr.io/ml/trainer:v1' });
    await call('aks_get_streaming_status', { cluster: 'aks-prod', registry: 'contosoacr' }, { showJson: 24 });
    rule('7. Bad input gets a clear error, before any network call');
    await call('acr_inspect_image', { image: 'evil.example.com/ml/trainer:v1' });
}

/** What acr_inspect_image says of an image's streaming state, on one line. */
async function imageState(label, image) {
    const r = (await client.callTool({ name: 'acr_inspect_image', arguments: { image } })).structuredContent;
    const op = r.lastOperation;
    console.log(indent(`${label}: streaming artifact ${r.streamingArtifact.present ? r.streamingArtifact.digest.slice(0, 19) + '…' : 'none'}; last conversion ${op ? `${op.status} ${op.progress ?? ''}` : 'none'}`));
}

/** Plan → (the human agrees) → apply with the confirmation token; long changes wait and report progress. */
async function applyChange(name, args) {
    const waits = tools.find(t => t.name === name)?.inputSchema?.properties?.wait !== undefined;
    const request = { ...args, ...(waits ? { wait: true } : {}) };
    const planned = await call(name, request, { showJson: 0 });
    if (planned.isError || planned.structuredContent?.status !== 'plan') return planned;
    console.log(indent('(the human reads the plan and agrees; the assistant confirms with the token)'));
    console.log(`\n> tools/call ${name} ${JSON.stringify({ ...request, confirmationToken: '…' })}`);
    const r = await client.callTool(
        { name, arguments: { ...request, confirmationToken: planned.structuredContent.confirmationToken } },
        { timeout: 120_000, resetTimeoutOnProgress: true, onprogress: p => console.log(indent(`progress ${String(p.progress).padStart(3)}/${p.total ?? '?'}  ${p.message ?? ''}`, 4)) }
    );
    for (const c of r.content) if (c.type === 'text') console.log(indent(c.text));
    if (r.isError) console.log(indent('(isError: true)'));
    return r;
}

if (has('streaming_diagnose')) {
    const slowPod = { image: 'contosoacr.azurecr.io/ml/inference:v3', cluster: 'aks-prod', namespace: 'ml', pod: 'inference-0' };
    rule('8. "inference-0 takes 95 s to start: why is it not streaming?" (streaming_diagnose)');
    const before = await call('streaming_diagnose', slowPod, { showJson: 0 });
    const changes = (before.structuredContent?.fixPlan ?? []).filter(s => s.tool && has(s.tool.name));
    if (changes.length > 0) {
        rule('9. The fix plan, applied through the change tools: each one plans first and applies only when confirmed');
        await imageState('image before', slowPod.image);
        for (const s of changes) {
            console.log(`\n  step ${s.step}: ${s.explanation}`);
            // The repository step also converts the tags already there (backfill), so older images stream too.
            const args = s.tool.name === 'acr_set_repository_streaming' ? { ...s.tool.arguments, backfill: true } : s.tool.arguments;
            await applyChange(s.tool.name, args);
        }
        await imageState('image after', slowPod.image);
        rule('10. Diagnosed again, after the changes');
        const after = await call('streaming_diagnose', slowPod, { showJson: 0 });
        console.log(indent(`verdict before: ${before.structuredContent?.verdict}; after: ${after.structuredContent?.verdict}`));
    }
}

await client.close();
console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Every Azure answer above came from the local sandbox, not from Azure.`);
