// Cold start, side by side: spawn → MCP connect → tools/list answered, for the shipped esbuild bundle
// (dist/cli.js, scripts/bundle.mjs) and the plain tsc output of the same code. This is what decided that
// dist/ ships as a bundle.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { tscOutput } from './tsc-output.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const tsc = tscOutput();

// The third variant answers "does --sandbox start in under a second?": same server, plus the emulator.
const variants = {
    'tsc output': [`${tsc}/cli.js`],
    'esbuild bundle (dist/cli.js)': [`${root}/dist/cli.js`],
    'bundle with --sandbox (demo world)': [`${root}/dist/cli.js`, '--sandbox']
};

async function once(args) {
    const t0 = performance.now();
    const client = new Client({ name: 'bench', version: '1' }, { versionNegotiation: { mode: 'legacy' } });
    const env = { ...process.env, AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential', ACR_STREAMING_MCP_LOG_LEVEL: 'error' };
    await client.connect(new StdioClientTransport({ command: process.execPath, args, cwd: root, env, stderr: 'ignore' }));
    await client.listTools();
    const ms = performance.now() - t0;
    await client.close();
    return ms;
}

const samples = Object.fromEntries(Object.keys(variants).map(k => [k, []]));
for (let i = 0; i < RUNS; i++) {
    // Alternate the order so neither variant always runs on a warmer machine.
    const order = i % 2 ? Object.keys(variants).reverse() : Object.keys(variants);
    for (const name of order) samples[name].push(await once(variants[name]));
}
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = Object.entries(samples).map(([name, xs]) => ({ name, medianMs: Math.round(median(xs)), minMs: Math.round(Math.min(...xs)), runs: xs.length }));
const [unbundled, bundled, sandboxed] = rows;
const ratio = +(bundled.medianMs / unbundled.medianMs).toFixed(2);
const sandboxRatio = +(sandboxed.medianMs / bundled.medianMs).toFixed(2);

console.log('| variant | median ms | min ms | runs |\n|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.medianMs} | ${r.minMs} | ${r.runs} |`);
console.log(`bundle / tsc cold-start ratio: ${ratio}`);
console.log(`--sandbox / plain cold-start ratio: ${sandboxRatio} (${sandboxed.medianMs - bundled.medianMs} ms for the emulator)`);
mkdirSync(fileURLToPath(new URL('./results', import.meta.url)), { recursive: true });
writeFileSync(new URL('./results/startup.json', import.meta.url), JSON.stringify({ date: new Date().toISOString(), node: process.version, rows, ratio, sandboxRatio }, null, 2) + '\n');
