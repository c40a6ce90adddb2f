// Streamable HTTP under load, side by side: CLIENTS concurrent MCP clients, each making CALLS calls in a row,
// against our built server in HTTP mode on the sandbox (streaming_search_docs, acr_inspect_image; 2025 era
// with sessions and 2026-07-28 era) and against server-everything's `echo` tool (2025 era, its only one), in
// the same run, scenarios alternating over ROUNDS rounds. Bounded: CLIENTS × CALLS calls a scenario and round,
// and a round stops early after ROUND_LIMIT_MS. Loopback only.
import { runtimes } from './lib/runtimes.mjs';
import { table } from './lib/report.mjs';
import { median, percentile, ratio, round } from './lib/stats.mjs';
import { httpRound } from './lib/http-round.mjs';
import { startEverythingHttp, startOursHttp } from './lib/servers.mjs';

const CLIENTS = 20;
const CALLS = Number(process.env.BENCH_HTTP_CALLS ?? 15);
const ROUNDS = 4;
const WARMUP_CALLS = 5;
const ROUND_LIMIT_MS = 30_000;

const SCENARIOS = {
    'ours streaming_search_docs (2025)': { server: 'ours', era: 'legacy', tool: 'streaming_search_docs', args: i => ({ query: ['premium sku', 'UNSUPPORTED_PLATFORM', 'customer-managed key', 'windows node pool'][i % 4] }) },
    'ours streaming_search_docs (2026-07-28)': { server: 'ours', era: 'modern', tool: 'streaming_search_docs', args: i => ({ query: ['premium sku', 'UNSUPPORTED_PLATFORM', 'customer-managed key', 'windows node pool'][i % 4] }) },
    'ours acr_inspect_image (2025)': { server: 'ours', era: 'legacy', tool: 'acr_inspect_image', args: i => ({ image: ['contosoacr.azurecr.io/ml/trainer:v1', 'contosoacr.azurecr.io/web/frontend:1.4.0'][i % 2] }) },
    'ours acr_inspect_image (2026-07-28)': { server: 'ours', era: 'modern', tool: 'acr_inspect_image', args: i => ({ image: ['contosoacr.azurecr.io/ml/trainer:v1', 'contosoacr.azurecr.io/web/frontend:1.4.0'][i % 2] }) },
    'server-everything echo (2025)': { server: 'everything', era: 'legacy', tool: 'echo', args: i => ({ message: `hello ${i}` }) }
};

async function round1(server, s, calls = CALLS) {
    const r = await httpRound({ url: server.url, era: s.era, tool: s.tool, args: s.args, clients: CLIENTS, calls, limitMs: ROUND_LIMIT_MS, pids: [server.pid] });
    return { ...r, serverCpuMs: r.cpuMs[0] };
}

async function measure(node) {
    const servers = { ours: await startOursHttp(node), everything: await startEverythingHttp(node) };
    const rounds = Object.fromEntries(Object.keys(SCENARIOS).map(k => [k, []]));
    try {
        for (const s of Object.values(SCENARIOS)) await round1(servers[s.server], s, WARMUP_CALLS); // warm-up
        for (let r = 0; r < ROUNDS; r++) {
            const order = r % 2 ? Object.keys(SCENARIOS).reverse() : Object.keys(SCENARIOS);
            for (const name of order) rounds[name].push(await round1(servers[SCENARIOS[name].server], SCENARIOS[name]));
        }
    } catch (e) {
        throw new Error(`${e.message}\nour server's log:\n${servers.ours.stderr().slice(-2000)}`);
    } finally {
        await Promise.all(Object.values(servers).map(s => s.close()));
    }
    const out = {};
    for (const [name, rs] of Object.entries(rounds)) {
        const all = rs.flatMap(r => r.latencies);
        out[name] = {
            calls: rs.reduce((a, r) => a + r.calls, 0),
            errors: rs.reduce((a, r) => a + r.errors, 0),
            reqPerSec: round(median(rs.map(r => (r.calls / r.wallMs) * 1000)), 1),
            p50Ms: round(percentile(all, 50), 1),
            p95Ms: round(percentile(all, 95), 1),
            p99Ms: round(percentile(all, 99), 1),
            // The server's own CPU per call: the work it does, which a loaded machine disturbs far less than req/s.
            serverCpuMsPerCall: round(rs.reduce((a, r) => a + r.serverCpuMs, 0) / rs.reduce((a, r) => a + r.calls, 0), 2)
        };
    }
    const echo = out['server-everything echo (2025)'];
    for (const s of Object.values(out)) {
        s.throughputVsEcho = ratio(s.reqPerSec, echo.reqPerSec);
        s.p99VsEcho = ratio(s.p99Ms, echo.p99Ms);
        s.cpuPerCallVsEcho = ratio(s.serverCpuMsPerCall, echo.serverCpuMsPerCall);
    }
    return out;
}

export default {
    title: 'Streamable HTTP load: 20 concurrent clients',
    order: 4,
    async run() {
        const byNode = {};
        for (const n of runtimes()) {
            console.log(`HTTP load on ${n.version}: ${CLIENTS} clients × ${CALLS} calls × ${ROUNDS} rounds per scenario`);
            byNode[n.version] = await measure(n.path);
        }
        const rows = Object.entries(byNode).flatMap(([v, r]) => Object.entries(r).map(([name, s]) => [v, name, s.calls, s.errors, s.reqPerSec, s.p50Ms, s.p95Ms, s.p99Ms, s.throughputVsEcho, s.p99VsEcho, s.serverCpuMsPerCall, s.cpuPerCallVsEcho]));
        const summary = Object.entries(byNode).flatMap(([v, r]) =>
            Object.entries(r)
                .filter(([name]) => name.startsWith('ours'))
                .map(([name, s]) => ({
                    measure: `HTTP ${name.slice(5)}, ${v}: req/s (p99 ${s.p99Ms} ms vs ${r['server-everything echo (2025)'].p99Ms} ms, ${s.errors} errors; server CPU per call ${s.cpuPerCallVsEcho}× echo's)`,
                    ours: s.reqPerSec,
                    peer: `${r['server-everything echo (2025)'].reqPerSec} (echo)`,
                    ratio: s.throughputVsEcho,
                    target: '≥ 1.0×, p99 ≤ echo, 0 errors',
                    met: s.throughputVsEcho >= 1 && s.p99Ms <= r['server-everything echo (2025)'].p99Ms && s.errors === 0
                }))
        );
        const markdown = [
            table(['Node', 'scenario', 'calls', 'errors', 'req/s (median round)', 'p50 ms', 'p95 ms', 'p99 ms', 'throughput / echo', 'p99 / echo', 'server CPU ms / call', 'CPU per call / echo'], rows),
            `${CLIENTS} concurrent SDK v2 clients (StreamableHTTPClientTransport) × ${CALLS} sequential calls each, ${ROUNDS} rounds per scenario after a warm-up round of ${WARMUP_CALLS} calls each, scenarios alternating; connecting is not timed. Our server: \`dist/cli.js --transport http --sandbox\` (demo world, no added latency); the peer: server-everything \`streamableHttp\`. The clients share the 2 cores with the servers, so req/s moves with the machine's load from round to round; the server's CPU time per call (from /proc, all its threads) is the steadier comparison. With \`--sandbox\` the emulator answering \`acr_inspect_image\`'s registry calls runs in our server's process and its CPU counts as ours. The search scenarios repeat 4 queries, and the server keeps its last 256 search answers, so after the first round each search is a lookup (an uncached search adds ≈0.2 ms of CPU; bench/README.md, "Where an HTTP call goes").`
        ];
        return { data: { clients: CLIENTS, callsPerClient: CALLS, rounds: ROUNDS, byNode }, summary, markdown };
    }
};
