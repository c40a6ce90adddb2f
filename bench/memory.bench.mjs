// Memory: RSS of our built server (stdio, --sandbox demo world) when idle after start, after a warm-up of
// mixed calls (lazy modules loaded, search index built, caches filled), and every 1,000 calls up to CALLS
// mixed calls of every read tool tools/list offers; the peer, server-everything, through as many `echo`
// calls. Growth is measured from the warm-up to the end: what a long session keeps, not what loads once.
import { table } from './lib/report.mjs';
import { ratio } from './lib/stats.mjs';
import { CLI, connectStdio, EVERYTHING, rssMbOf } from './lib/servers.mjs';

const CALLS = Number(process.env.BENCH_MEMORY_CALLS ?? 10_000);
const WARMUP = 200;
const IN_FLIGHT = 8;
const IMAGES = ['contosoacr.azurecr.io/ml/trainer:v1', 'contosoacr.azurecr.io/web/frontend:1.4.0', 'contosoacr.azurecr.io/ml/inference:v3', 'fabrikamstd.azurecr.io/api/orders:v1'];
const QUERIES = ['premium sku', 'UNSUPPORTED_PLATFORM', 'customer-managed key', 'windows node pool', 'how long does conversion take', 'acr-mirror 503'];

/** Arguments for each read tool we know, by name; tools not listed (yet) are left out of the mix. */
const MIX = {
    streaming_search_docs: i => ({ query: QUERIES[i % QUERIES.length] }),
    acr_list_registries: () => ({}),
    acr_get_repository_streaming: i => (i % 2 ? { registry: 'contosoacr' } : { registry: 'contosoacr', repository: 'ml/trainer' }),
    acr_inspect_image: i => ({ image: IMAGES[i % IMAGES.length] }),
    aks_get_streaming_status: () => ({ cluster: 'aks-prod', registry: 'contosoacr' }),
    streaming_diagnose: i => ({ image: 'contosoacr.azurecr.io/ml/trainer:v1', cluster: 'aks-prod', ...(i % 2 ? { namespace: 'ml', pod: 'trainer-0' } : {}) }),
    streaming_scan_registry: () => ({ registry: 'contosoacr', limit: 5 }),
    streaming_scan_cluster: () => ({ cluster: 'aks-prod', limit: 5 })
};

async function drive(conn, calls, pick, onThousand) {
    let next = 0;
    let errors = 0;
    await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
            while (next < calls) {
                const i = next++;
                const { name, args } = pick(i);
                const r = await conn.client.callTool({ name, arguments: args }).catch(() => ({ isError: true }));
                if (r.isError) errors++;
                if ((i + 1) % 1000 === 0) onThousand?.(i + 1);
            }
        })
    );
    return errors;
}

async function profile(args, pickFor) {
    const conn = await connectStdio(process.execPath, args);
    try {
        const { tools } = await conn.client.listTools();
        const pick = pickFor(tools.map(t => t.name));
        await new Promise(r => setTimeout(r, 500));
        const idleMb = rssMbOf(conn.pid);
        const warmupErrors = await drive(conn, WARMUP, pick.fn);
        const warmMb = rssMbOf(conn.pid);
        const series = [];
        const errors = await drive(conn, CALLS, pick.fn, n => series.push([n, rssMbOf(conn.pid)]));
        await new Promise(r => setTimeout(r, 500));
        const endMb = rssMbOf(conn.pid);
        return { tools: pick.names, idleMb, warmMb, endMb, growthFromWarm: ratio(endMb - warmMb, warmMb), errors: warmupErrors + errors, series };
    } finally {
        await conn.close();
    }
}

export default {
    title: `Memory: RSS idle, warm, and after ${CALLS.toLocaleString('en')} mixed calls`,
    order: 6,
    async run() {
        const ours = await profile([CLI, '--sandbox'], listed => {
            const names = Object.keys(MIX).filter(n => listed.includes(n));
            return { names, fn: i => ({ name: names[i % names.length], args: MIX[names[i % names.length]](Math.floor(i / names.length)) }) };
        });
        const peer = await profile([EVERYTHING, 'stdio'], () => ({ names: ['echo'], fn: i => ({ name: 'echo', args: { message: `hello ${i}` } }) }));
        const pct = x => `${(x * 100).toFixed(1)} %`;
        const summary = [
            {
                measure: `RSS growth over ${CALLS.toLocaleString('en')} mixed calls of ${ours.tools.length} tools (idle ${ours.idleMb} MB, warm ${ours.warmMb} MB, end ${ours.endMb} MB; ${ours.errors} errors)`,
                ours: pct(ours.growthFromWarm),
                peer: `${pct(peer.growthFromWarm)} (echo; ${peer.warmMb} → ${peer.endMb} MB)`,
                ratio: null,
                target: '≤ 10 %',
                met: ours.growthFromWarm <= 0.1
            }
        ];
        const markdown = [
            table(
                ['server', 'tools in the mix', 'RSS idle MB', `RSS after ${WARMUP} calls MB`, `RSS after ${CALLS} more MB`, 'growth from warm', 'errors'],
                [
                    ['ours (`--sandbox`, stdio)', ours.tools.join(', '), ours.idleMb, ours.warmMb, ours.endMb, pct(ours.growthFromWarm), ours.errors],
                    ['server-everything (stdio)', 'echo', peer.idleMb, peer.warmMb, peer.endMb, pct(peer.growthFromWarm), peer.errors]
                ]
            ),
            `RSS every 1,000 calls (ours, MB): ${ours.series.map(([n, mb]) => `${n / 1000}k ${mb}`).join(' · ')}. ${IN_FLIGHT} calls in flight; RSS read from /proc; the sandbox runs inside our server's process, so its memory counts too.`
        ];
        return { data: { calls: CALLS, warmup: WARMUP, inFlight: IN_FLIGHT, ours, peer }, summary, markdown };
    }
};
