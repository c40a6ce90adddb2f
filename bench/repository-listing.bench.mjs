// acr_get_repository_streaming over every repository of a 200-repository registry, page by page (limit 50),
// through the real tool (in-memory MCP client) against the sandbox: one token request per page (batched
// scopes, the default) against one token request per repository (`maxScopesPerToken: 1`, the old path).
// Counted: requests the registry listener answered, token requests among them, and wall time of the whole
// listing from a cold session. Run with no added latency and with `latencyMs` per request, since batching
// saves round trips, which is what a real registry (tens of ms away) charges for.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { tscOutput } from './tsc-output.mjs';

const out = tscOutput();
const { startSandbox } = await import(`${out}/sandbox/index.js`);
const { createAzureAccess } = await import(`${out}/azure/azure-access.js`);
const { azureOptionsForSandbox } = await import(`${out}/wiring/sandbox-azure.js`);
const { createApp } = await import(`${out}/app.js`);
const { configSchema } = await import(`${out}/config.js`);
const { createLogger } = await import(`${out}/log.js`);
const { createServer } = await import(`${out}/server.js`);

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const REPOSITORIES = 200;
const PAGE = 50;
const LATENCIES = [0, 20];
const REGISTRY = 'benchacr';
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const world = {
    version: 1,
    subscription: { id: '00000000-0000-0000-0000-00000000be4c', tenantId: 'bench-tenant' },
    registries: [
        {
            name: REGISTRY,
            resourceGroup: 'rg-bench',
            sku: 'Premium',
            repositories: Array.from({ length: REPOSITORIES }, (_, i) => ({ name: `team${i % 10}/service-${String(i).padStart(3, '0')}`, convertPushedImages: i % 4 === 0 }))
        }
    ]
};

const variants = {
    batched: {},
    'one token per repository': { maxScopesPerToken: 1 }
};

/** A fresh app (cold token caches) on the running sandbox, connected through an in-memory MCP client. */
async function connect(sb, azureOverrides) {
    const app = await createApp({
        config: { ...configSchema.parse({}), logLevel: 'silent' },
        log: createLogger('silent'),
        azure: () => createAzureAccess(azureOptionsForSandbox(sb, azureOverrides))
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = createServer(app);
    await server.connect(serverSide);
    const client = new Client({ name: 'bench', version: '1' }, { versionNegotiation: { mode: 'legacy' } });
    await client.connect(clientSide);
    return { client, close: async () => (await client.close(), await server.close()) };
}

async function listAll(client) {
    const seen = [];
    let cursor;
    do {
        const r = await client.callTool({ name: 'acr_get_repository_streaming', arguments: { registry: REGISTRY, limit: PAGE, ...(cursor ? { cursor } : {}) } });
        if (r.isError) throw new Error(r.content.map(c => c.text).join('\n'));
        seen.push(...r.structuredContent.repositories);
        cursor = r.structuredContent.nextCursor ?? undefined;
    } while (cursor);
    return seen;
}

async function once(sb, overrides) {
    const { client, close } = await connect(sb, overrides);
    try {
        sb.requestLog.clear();
        const t0 = performance.now();
        const seen = await listAll(client);
        const ms = performance.now() - t0;
        const onRegistry = sb.requestLog.entries(e => e.listener === `registry:${REGISTRY}`);
        return {
            ms,
            seen,
            requests: onRegistry.length,
            tokenRequests: onRegistry.filter(e => e.path === '/oauth2/token').length,
            // Only telling with added latency: at 0 ms the sandbox answers before the next request starts,
            // so every request counts as its own round trip.
            roundTrips: sb.requestLog.depth(e => e.listener === `registry:${REGISTRY}`)
        };
    } finally {
        await close();
    }
}

const result = { repositories: REPOSITORIES, pageSize: PAGE, byLatency: {} };
for (const latencyMs of LATENCIES) {
    const sb = await startSandbox({ world, behaviour: { latencyMs } });
    const samples = Object.fromEntries(Object.keys(variants).map(k => [k, []]));
    try {
        for (const overrides of Object.values(variants)) await once(sb, overrides); // warm-up (JIT, TLS session)
        for (let i = 0; i < RUNS; i++) {
            // Alternate the order so drift over the run does not favour one variant.
            const order = i % 2 === 0 ? Object.entries(variants) : Object.entries(variants).reverse();
            for (const [name, overrides] of order) samples[name].push(await once(sb, overrides));
        }
    } finally {
        await sb.close();
    }
    const [batched, single] = Object.keys(variants).map(k => samples[k]);
    if (JSON.stringify(batched[0].seen) !== JSON.stringify(single[0].seen) || batched[0].seen.length !== REPOSITORIES) {
        throw new Error('the two variants listed different results');
    }
    const summary = s => ({
        medianMs: +median(s.map(x => x.ms)).toFixed(1),
        registryRequests: median(s.map(x => x.requests)),
        tokenRequests: median(s.map(x => x.tokenRequests)),
        sequentialRoundTrips: median(s.map(x => x.roundTrips))
    });
    const b = summary(batched);
    const u = summary(single);
    result.byLatency[`${latencyMs}ms`] = {
        batched: b,
        unbatched: u,
        batchedOverUnbatched: {
            wallTime: +(b.medianMs / u.medianMs).toFixed(2),
            registryRequests: +(b.registryRequests / u.registryRequests).toFixed(2),
            tokenRequests: +(b.tokenRequests / u.tokenRequests).toFixed(3)
        }
    };
}

console.log(`${REPOSITORIES} repositories, pages of ${PAGE}, cold session, median of ${RUNS} runs\n`);
console.log('| latency | variant | wall ms | registry requests | token requests | sequential round trips |\n|---|---|---|---|---|---|');
for (const [latency, r] of Object.entries(result.byLatency)) {
    for (const [name, s] of [['batched', r.batched], ['one token per repository', r.unbatched]]) {
        console.log(`| ${latency} | ${name} | ${s.medianMs} | ${s.registryRequests} | ${s.tokenRequests} | ${s.sequentialRoundTrips} |`);
    }
    const x = r.batchedOverUnbatched;
    console.log(`| ${latency} | batched / unbatched | ${x.wallTime} | ${x.registryRequests} | ${x.tokenRequests} | |`);
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
    new URL('./results/repository-listing.json', import.meta.url),
    JSON.stringify({ date: new Date().toISOString(), node: process.version, runs: RUNS, ...result }, null, 2) + '\n'
);
