// The sandbox on its own: how long startSandbox() takes on the demo world, and what a warm read costs
// through the real Azure SDK clients compared with the emulator's raw round trip (the SDK's share).
import { Agent } from 'node:https';
import { tscOutput } from './tsc-output.mjs';
import { table } from './lib/report.mjs';
import { median } from './lib/stats.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);

async function run() {
    const { startSandbox } = await import(`${tscOutput()}/sandbox/index.js`);

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
    return {
        data: { runs: RUNS, ...result },
        summary: [{ measure: 'ARM list through the Azure SDK vs raw HTTPS (warm)', ours: `${result.registriesListSdkMedianMs} ms`, peer: `${result.registriesListRawMedianMs} ms raw`, ratio: result.sdkOverRawRatio, target: null, met: null }],
        markdown: [table(['measure', 'value'], Object.entries(result))]
    };
}

export default { title: 'Sandbox: start-up and the Azure SDK\'s share of a warm read', order: 90, run };
