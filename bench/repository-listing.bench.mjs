// acr_get_repository_streaming over every repository of a 200-repository registry, page by page (limit 50),
// through the real tool (in-memory MCP client) against the sandbox: one token request per page (batched
// scopes, the default) against one token request per repository (`maxScopesPerToken: 1`, the old path).
// Counted: requests the registry listener answered, token requests among them, and wall time of the whole
// listing from a cold session. Run with no added latency and with `latencyMs` per request, since batching
// saves round trips, which is what a real registry (tens of ms away) charges for.
import { connectApp as connect, modules } from './lib/in-process.mjs';
import { table } from './lib/report.mjs';
import { median } from './lib/stats.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const REPOSITORIES = 200;
const PAGE = 50;
const LATENCIES = [0, 20];
const REGISTRY = 'benchacr';

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

async function run() {
    const { startSandbox } = await modules();
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
    const rows = Object.entries(result.byLatency).flatMap(([latency, r]) => [
        ...[['batched', r.batched], ['one token per repository', r.unbatched]].map(([name, s]) => [latency, name, s.medianMs, s.registryRequests, s.tokenRequests, s.sequentialRoundTrips]),
        [latency, 'batched / unbatched', r.batchedOverUnbatched.wallTime, r.batchedOverUnbatched.registryRequests, r.batchedOverUnbatched.tokenRequests, null]
    ]);
    const at20 = result.byLatency['20ms'];
    return {
        data: { runs: RUNS, ...result },
        summary: [{ measure: `list ${REPOSITORIES} repositories' auto-conversion flags, 20 ms/request (requests: ${at20.batched.registryRequests} vs ${at20.unbatched.registryRequests})`, ours: `${at20.batched.medianMs} ms`, peer: `${at20.unbatched.medianMs} ms one token per repository`, ratio: at20.batchedOverUnbatched.wallTime, target: null, met: null }],
        markdown: [
            table(['latency', 'variant', 'wall ms', 'registry requests', 'token requests', 'sequential round trips'], rows),
            `${REPOSITORIES} repositories, pages of ${PAGE}, cold session, median of ${RUNS} runs.`
        ]
    };
}

export default { title: 'Repository listing: one token request per page vs one per repository', order: 80, run };
