// The sandbox on its own: how long startSandbox() takes on the demo world, and what a warm read costs
// through the real Azure SDK clients compared with the emulator's raw round trip (the SDK's share).
import { mkdirSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tscOutput } from './tsc-output.mjs';

const { startSandbox } = await import(`${tscOutput()}/sandbox/index.js`);

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const starts = [];
for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const sb = await startSandbox();
    starts.push(performance.now() - t0);
    await sb.close();
}

const sb = await startSandbox();
const agent = new Agent({ ca: sb.caPem, keepAlive: true });
const url = `${sb.armEndpoint}/subscriptions/${sb.subscriptionId}/providers/Microsoft.ContainerRegistry/registries?api-version=2025-11-01`;
const { default: https } = await import('node:https');
const raw = () =>
    new Promise((resolve, reject) => {
        const t0 = performance.now();
        https.get(url, { agent, headers: { authorization: 'Bearer bench' } }, res => {
            res.resume();
            res.on('end', () => resolve(performance.now() - t0));
        }).on('error', reject);
    });
const { ContainerRegistryManagementClient } = await import('@azure/arm-containerregistry');
const credential = { getToken: async () => ({ token: 'bench', expiresOnTimestamp: Date.now() + 3600e3 }) };
const client = new ContainerRegistryManagementClient(credential, sb.subscriptionId, {
    endpoint: sb.armEndpoint, agent, credentials: { scopes: ['https://management.azure.com/.default'] }, retryOptions: { maxRetries: 0 }
});
const viaSdk = async () => {
    const t0 = performance.now();
    for await (const _ of client.registries.list()) void _;
    return performance.now() - t0;
};
await raw();
await viaSdk();
const rawMs = [];
const sdkMs = [];
for (let i = 0; i < RUNS * 5; i++) {
    rawMs.push(await raw());
    sdkMs.push(await viaSdk());
}
await sb.close();
agent.destroy();

const result = {
    startSandboxMedianMs: Math.round(median(starts)),
    registriesListRawMedianMs: +median(rawMs).toFixed(2),
    registriesListSdkMedianMs: +median(sdkMs).toFixed(2),
    sdkOverRawRatio: +(median(sdkMs) / median(rawMs)).toFixed(2)
};
console.log('| measure | value |\n|---|---|');
for (const [k, v] of Object.entries(result)) console.log(`| ${k} | ${v} |`);
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/sandbox.json', import.meta.url), JSON.stringify({ date: new Date().toISOString(), node: process.version, runs: RUNS, ...result }, null, 2) + '\n');
