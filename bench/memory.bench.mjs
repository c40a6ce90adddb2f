// Memory: RSS of our built server (stdio, --sandbox demo world) when idle after start, after a warm-up of
// mixed calls (lazy modules loaded, search index built, caches filled), and every 1,000 calls up to CALLS
// mixed calls of every read tool tools/list offers; the peer, server-everything, through as many `echo`
// calls. Growth is measured from the warm-up to the end: what a long session keeps, not what loads once; and
// after a forced garbage collection (lib/gc-probe.mjs), so it is memory still held, not garbage V8 has not
// collected yet.
import v8 from 'node:v8';
import vm from 'node:vm';
import { connectApp, modules } from './lib/in-process.mjs';
import { table } from './lib/report.mjs';

import { CLI, connectStdio, EVERYTHING, rssMbOf } from './lib/servers.mjs';

const GC_PROBE = new URL('./lib/gc-probe.mjs', import.meta.url).href;
const MB = 2 ** 20;
/** Relative growth from `from` to `to`, to 0.1 %. */
const growth = (from, to) => +((to - from) / from).toFixed(3);

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

/** Memory after a forced GC, from the probe's next line on stderr. */
function probe(conn) {
    return new Promise((resolve, reject) => {
        let buf = '';
        const timer = setTimeout(() => reject(new Error('no GC-PROBE line in 10 s')), 10_000);
        const onData = d => {
            buf += d;
            const m = /GC-PROBE (\{.*\})\n/.exec(buf);
            if (!m) return;
            conn.stderr.off('data', onData);
            clearTimeout(timer);
            const v = JSON.parse(m[1]);
            resolve({ rssMb: +(v.rss / MB).toFixed(1), heapUsedMb: +(v.heapUsed / MB).toFixed(1) });
        };
        conn.stderr.on('data', onData);
        process.kill(conn.pid, 'SIGUSR2');
    });
}

async function profile(args, pickFor) {
    const conn = await connectStdio(process.execPath, ['--expose-gc', '--import', GC_PROBE, ...args], { stderr: 'pipe' });
    conn.stderr.resume();
    try {
        const { tools } = await conn.client.listTools();
        const pick = pickFor(tools.map(t => t.name));
        await new Promise(r => setTimeout(r, 500));
        const idle = { rssMb: rssMbOf(conn.pid), gc: await probe(conn) };
        const warmupErrors = await drive(conn, WARMUP, pick.fn);
        const warm = { rssMb: rssMbOf(conn.pid), gc: await probe(conn) };
        const series = [];
        const errors = await drive(conn, CALLS, pick.fn, n => series.push([n, rssMbOf(conn.pid)]));
        const end = { rssMb: rssMbOf(conn.pid), gc: await probe(conn) };
        return {
            tools: pick.names,
            idle,
            warm,
            end,
            growthFromWarm: growth(warm.gc.rssMb, end.gc.rssMb),
            heapGrowthFromWarm: growth(warm.gc.heapUsedMb, end.gc.heapUsedMb),
            rawGrowthFromWarm: growth(warm.rssMb, end.rssMb),
            errors: warmupErrors + errors,
            series
        };
    } finally {
        await conn.close();
    }
}

const pickMix = listed => {
    const names = Object.keys(MIX).filter(n => listed.includes(n));
    return { names, fn: i => ({ name: names[i % names.length], args: MIX[names[i % names.length]](Math.floor(i / names.length)) }) };
};

/**
 * The same mix in this process (tsc output, in-memory client, the sandbox beside it), measuring the live heap
 * after a forced GC with the sandbox's request log emptied first: the log keeps the latest requests the
 * emulator answered (tests and benches read it; bounded, docs/sandbox.md), which is the emulator's memory,
 * not the server's.
 */
async function inProcess() {
    v8.setFlagsFromString('--expose_gc');
    const gc = vm.runInNewContext('gc');
    const { startSandbox } = await modules();
    const sb = await startSandbox();
    const conn = await connectApp(sb);
    const heapMb = () => (gc(), gc(), +(process.memoryUsage().heapUsed / MB).toFixed(1));
    try {
        const pick = pickMix((await conn.client.listTools()).tools.map(t => t.name));
        await drive(conn, WARMUP, pick.fn);
        const warmWithLog = heapMb();
        sb.requestLog.clear();
        const warm = heapMb();
        const errors = await drive(conn, CALLS, pick.fn);
        const endWithLog = heapMb();
        // mark() counts every request recorded, also those the bounded log no longer keeps.
        const logEntries = sb.requestLog.mark();
        sb.requestLog.clear();
        const end = heapMb();
        return { tools: pick.names, warmWithLog, endWithLog, warm, end, logEntries, logCapacity: sb.requestLog.capacity, growth: growth(warm, end), growthWithLog: growth(warmWithLog, endWithLog), errors };
    } finally {
        await conn.close();
        await sb.close();
    }
}

export default {
    title: `Memory: RSS idle, warm, and after ${CALLS.toLocaleString('en')} mixed calls`,
    order: 6,
    async run() {
        const ours = await profile([CLI, '--sandbox'], pickMix);
        const inproc = await inProcess();
        const peer = await profile([EVERYTHING, 'stdio'], () => ({ names: ['echo'], fn: i => ({ name: 'echo', args: { message: `hello ${i}` } }) }));
        const pct = x => `${(x * 100).toFixed(1)} %`;
        const summary = [
            {
                measure: `RSS growth after GC over ${CALLS.toLocaleString('en')} mixed calls of ${ours.tools.length} tools (idle ${ours.idle.gc.rssMb} MB, warm ${ours.warm.gc.rssMb} MB, end ${ours.end.gc.rssMb} MB; live heap ${pct(ours.heapGrowthFromWarm)}; ${ours.errors} errors)`,
                ours: pct(ours.growthFromWarm),
                peer: `${pct(peer.growthFromWarm)} (echo; ${peer.warm.gc.rssMb} → ${peer.end.gc.rssMb} MB)`,
                ratio: null,
                target: '≤ 10 %',
                met: ours.growthFromWarm <= 0.1
            },
            {
                measure: `live heap growth over ${CALLS.toLocaleString('en')} calls, in process, the sandbox's request log emptied (${inproc.warm} → ${inproc.end} MB; with the log ${inproc.warmWithLog} → ${inproc.endWithLog} MB, ${inproc.logEntries} requests, the last ${inproc.logCapacity.toLocaleString('en')} kept)`,
                ours: pct(inproc.growth),
                peer: null,
                ratio: null,
                target: '≤ 10 %',
                met: inproc.growth <= 0.1
            }
        ];
        const row = (name, tools, r) => [name, tools, `${r.idle.rssMb} / ${r.idle.gc.rssMb}`, `${r.warm.rssMb} / ${r.warm.gc.rssMb}`, `${r.end.rssMb} / ${r.end.gc.rssMb}`, `${r.warm.gc.heapUsedMb} → ${r.end.gc.heapUsedMb}`, pct(r.growthFromWarm), pct(r.rawGrowthFromWarm), r.errors];
        const markdown = [
            table(
                ['server', 'tools in the mix', 'RSS idle MB (raw / after GC)', `after ${WARMUP} calls`, `after ${CALLS} more`, 'live heap MB warm → end', 'RSS growth after GC', 'raw RSS growth', 'errors'],
                [row('ours (`--sandbox`, stdio)', ours.tools.join(', '), ours), row('server-everything (stdio)', 'echo', peer)]
            ),
            `Raw RSS every 1,000 calls (ours, MB): ${ours.series.map(([n, mb]) => `${n / 1000}k ${mb}`).join(' · ')}. ${IN_FLIGHT} calls in flight; RSS from /proc, "after GC" from a forced collection in the server (lib/gc-probe.mjs, --expose-gc). The sandbox runs inside our server's process, so its memory counts too, and its request log keeps the last ${inproc.logCapacity.toLocaleString('en')} requests it answered (of ${inproc.logEntries} in the in-process run).`,
            table(
                ['in process (server + sandbox, in-memory client)', 'live heap after GC, warm MB', `after ${CALLS} more`, 'growth', 'errors'],
                [
                    ["sandbox's request log emptied before each measurement", inproc.warm, inproc.end, pct(inproc.growth), inproc.errors],
                    [`request log kept (the last ${inproc.logCapacity.toLocaleString('en')})`, inproc.warmWithLog, inproc.endWithLog, pct(inproc.growthWithLog), null]
                ]
            )
        ];
        return { data: { calls: CALLS, warmup: WARMUP, inFlight: IN_FLIGHT, ours, inProcess: inproc, peer }, summary, markdown };
    }
};
