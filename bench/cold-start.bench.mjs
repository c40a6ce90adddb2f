// Cold start, side by side: spawn → MCP initialize → tools/list answered over stdio, for our built server
// (dist/cli.js), the peer @modelcontextprotocol/server-everything, and `node -e 0` (the floor: a process
// that does nothing). Alternating runs on every Node runtime we support (the machine's, and the
// npm-packaged 22 and 24 of .ci/node-matrix). Wall time is what a client waits; CPU time (all threads, read
// from /proc when the answer arrives) is the same work measured in a way a loaded machine disturbs less.
import { spawn } from 'node:child_process';
import { runtimes } from './lib/runtimes.mjs';
import { median, ratio, round } from './lib/stats.mjs';
import { table } from './lib/report.mjs';
import { benchEnv, CLI, connectStdio, cpuMsOf, EVERYTHING, ROOT } from './lib/servers.mjs';

const RUNS = Math.max(10, Number(process.env.BENCH_RUNS ?? 11));

function floor(node) {
    return new Promise((resolve, reject) => {
        const t0 = performance.now();
        const child = spawn(node, ['-e', '0'], { cwd: ROOT, env: benchEnv(), stdio: 'ignore' });
        child.on('error', reject);
        child.on('exit', () => resolve({ wallMs: performance.now() - t0 }));
    });
}

async function toolsListed(node, args, env = {}) {
    const t0 = performance.now();
    const { client, pid, close } = await connectStdio(node, args, { env });
    const { tools } = await client.listTools();
    const wallMs = performance.now() - t0;
    const cpuMs = cpuMsOf(pid);
    await close();
    if (tools.length === 0) throw new Error(`${args[0]} listed no tool`);
    return { wallMs, cpuMs };
}

const BASE = {
    'node -e 0': node => floor(node),
    ours: node => toolsListed(node, [CLI]),
    'server-everything': node => toolsListed(node, [EVERYTHING, 'stdio'])
};
// Where the runtime has a compile cache (Node ≥ 22.1), dist/cli.js turns it on; this variant shows its share.
const NO_CACHE = { 'ours, compile cache off': node => toolsListed(node, [CLI], { NODE_DISABLE_COMPILE_CACHE: '1' }) };

async function measure(node, major) {
    const VARIANTS = major >= 22 ? { ...BASE, ...NO_CACHE } : BASE;
    const samples = Object.fromEntries(Object.keys(VARIANTS).map(k => [k, []]));
    for (const run of Object.values(VARIANTS)) await run(node); // warm-up: disk cache, compile caches
    for (let i = 0; i < RUNS; i++) {
        // Alternate the order so drift over the run does not favour one variant.
        const order = i % 2 ? Object.keys(VARIANTS).reverse() : Object.keys(VARIANTS);
        for (const name of order) samples[name].push(await VARIANTS[name](node));
    }
    const stat = xs => ({ wallMedianMs: round(median(xs.map(x => x.wallMs))), wallMinMs: round(Math.min(...xs.map(x => x.wallMs))), cpuMedianMs: xs[0].cpuMs === undefined ? null : round(median(xs.map(x => x.cpuMs))) });
    const s = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, stat(xs)]));
    const floorMs = s['node -e 0'].wallMedianMs;
    return {
        runs: RUNS,
        variants: s,
        oursOverEverything: { wall: ratio(s.ours.wallMedianMs, s['server-everything'].wallMedianMs), cpu: ratio(s.ours.cpuMedianMs, s['server-everything'].cpuMedianMs) },
        // Above the floor: what each server itself adds to a process start.
        aboveFloorMs: { ours: s.ours.wallMedianMs - floorMs, 'server-everything': s['server-everything'].wallMedianMs - floorMs },
        oursOverEverythingAboveFloor: ratio(s.ours.wallMedianMs - floorMs, s['server-everything'].wallMedianMs - floorMs),
        ...(s['ours, compile cache off'] ? { compileCacheOnOverOff: { wall: ratio(s.ours.wallMedianMs, s['ours, compile cache off'].wallMedianMs), cpu: ratio(s.ours.cpuMedianMs, s['ours, compile cache off'].cpuMedianMs) } } : {})
    };
}

export default {
    title: 'Cold start: spawn → tools/list answered over stdio',
    order: 1,
    async run() {
        const byNode = {};
        for (const n of runtimes()) {
            console.log(`cold start on ${n.version} (${RUNS} alternating runs per variant)`);
            byNode[n.version] = await measure(n.path, n.major);
        }
        const rows = Object.entries(byNode).flatMap(([v, r]) =>
            Object.entries(r.variants).map(([name, s]) => [v, name, s.wallMedianMs, s.wallMinMs, s.cpuMedianMs, name === 'ours' ? r.oursOverEverything.wall : null, name === 'ours' ? r.oursOverEverything.cpu : null, name === 'ours' && r.compileCacheOnOverOff ? `${r.compileCacheOnOverOff.wall} / ${r.compileCacheOnOverOff.cpu}` : null])
        );
        const target = 0.8;
        const summary = Object.entries(byNode).map(([v, r]) => ({
            measure: `cold start wall, ${v} (CPU ratio ${r.oursOverEverything.cpu})`,
            ours: `${r.variants.ours.wallMedianMs} ms`,
            peer: `${r.variants['server-everything'].wallMedianMs} ms (server-everything); floor ${r.variants['node -e 0'].wallMedianMs} ms`,
            ratio: r.oursOverEverything.wall,
            target: `≤ ${target}×`,
            met: r.oursOverEverything.wall <= target
        }));
        const markdown = [
            table(['Node', 'variant', 'wall median ms', 'wall min ms', 'CPU median ms', 'ours / everything (wall)', 'ours / everything (CPU)', 'compile cache on / off (wall / CPU)'], rows),
            `Medians of ${RUNS} alternating runs per variant and runtime after one warm-up each. The client is the SDK v2 \`Client\` over \`StdioClientTransport\` (2025 era, \`initialize\` then \`tools/list\`). The children run without \`NODE_EXTRA_CA_CERTS\` (see bench/README.md).`
        ];
        return { data: { runs: RUNS, byNode }, summary, markdown };
    }
};
