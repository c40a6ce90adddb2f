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

if (has('acr_create_streaming_artifact')) {
    rule('8. A change, planned then confirmed: convert an image with visible progress');
    const image = 'contosoacr.azurecr.io/ml/inference:v3';
    const state = async label => {
        const r = (await client.callTool({ name: 'acr_inspect_image', arguments: { image } })).structuredContent;
        const op = r.lastOperation;
        console.log(indent(`${label}: streaming artifact ${r.streamingArtifact.present ? r.streamingArtifact.digest.slice(0, 19) + '…' : 'none'}; last conversion ${op ? `${op.status} ${op.progress ?? ''}` : 'none'}`));
    };
    await state('before');
    const plan = await call('acr_create_streaming_artifact', { image, wait: true }, { showJson: 0 });
    const token = plan.structuredContent?.confirmationToken;
    console.log(`\n> tools/call acr_create_streaming_artifact {"image":"${image}","wait":true,"confirmationToken":"…"} (the user agreed)`);
    const r = await client.callTool(
        { name: 'acr_create_streaming_artifact', arguments: { image, wait: true, confirmationToken: token } },
        { onprogress: p => console.log(indent(`progress ${String(p.progress).padStart(3)}/${p.total}  ${p.message ?? ''}`, 4)) }
    );
    for (const c of r.content) if (c.type === 'text') console.log(indent(c.text));
    await state('after');
}

await client.close();
console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Every Azure answer above came from the local sandbox, not from Azure.`);
