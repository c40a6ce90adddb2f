// The HTTP load bench through the round-robin proxy (issue: team server, scale-out): the team setup, three
// replicas of the built server (`dist/cli.js --transport http --sandbox --auth entra`, one shared
// --confirmation-key) and CLIENTS concurrent MCP clients signed in as the sandbox's two users (reader and
// operator, tokens from `dist/cli.js sandbox token`), calling acr_inspect_image (on-behalf-of tokens per user
// and replica, ACR token exchange, manifest reads). Variants, alternating over ROUNDS rounds in one run: one
// replica direct; one replica behind the proxy (the proxy's own cost); two and three behind it; each in the
// stateless 2026-07-28 era (per-request round robin) and the 2025 era with sessions (the proxy keeps a session
// on the replica that issued it). The proxy runs as its own process (bench/lib/round-robin-proxy.mjs, the one
// the scale-out test imports) so its CPU is measured apart from the clients'. Loopback only, bounded.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpRound } from './lib/http-round.mjs';
import { table } from './lib/report.mjs';
import { median, percentile, ratio, round } from './lib/stats.mjs';
import { benchEnv, CLI, ROOT, startOursHttp } from './lib/servers.mjs';

const CLIENTS = 20;
const CALLS = Number(process.env.BENCH_HTTP_CALLS ?? 15);
const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 6);
const WARMUP_CALLS = 5;
const ROUND_LIMIT_MS = 30_000;
const KEY = 'scale-out-bench-confirmation-key-shared-by-every-replica';
const USERS = ['reader', 'operator'];
const PROXY = fileURLToPath(new URL('./lib/round-robin-proxy.mjs', import.meta.url));
const TOOL = 'acr_inspect_image';
const args = i => ({ image: ['contosoacr.azurecr.io/ml/trainer:v1', 'contosoacr.azurecr.io/web/frontend:1.4.0'][i % 2] });

const ERAS = { modern: { label: '2026-07-28', affinity: 'none' }, legacy: { label: '2025, sessions', affinity: 'session' } };
const TOPOLOGIES = { direct: { replicas: 1, proxy: false }, 'proxy 1': { replicas: 1, proxy: true }, 'proxy 2': { replicas: 2, proxy: true }, 'proxy 3': { replicas: 3, proxy: true } };
const topologyLabel = { direct: '1 replica, direct', 'proxy 1': '1 replica via proxy', 'proxy 2': '2 replicas via proxy', 'proxy 3': '3 replicas via proxy' };
const VARIANTS = Object.keys(ERAS).flatMap(era => Object.keys(TOPOLOGIES).map(topology => ({ key: `${era} ${topology}`, era, topology })));

/**
 * The demo world with the emulated registries' request-rate limits lifted: each replica runs its own sandbox,
 * so with the limits on, N replicas would get N registries' worth of read budget, which replicas sharing one
 * real registry do not; the bench measures the server and the proxy, not the emulated throttle.
 */
function benchWorld(dir) {
    const world = JSON.parse(readFileSync(join(ROOT, 'sandbox-worlds', 'demo.json'), 'utf8'));
    const unlimited = { readOpsPerMinute: 10_000_000, writeOpsPerMinute: 1_000_000 };
    world.behaviour = { ...world.behaviour, registryRateLimits: { Basic: unlimited, Standard: unlimited, Premium: unlimited } };
    const path = join(dir, 'world.json');
    writeFileSync(path, JSON.stringify(world));
    return path;
}

function startProxy(ports, affinity) {
    const child = spawn(process.execPath, [PROXY, '--affinity', affinity, ...ports.map(String)], { cwd: ROOT, env: benchEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    return new Promise((resolve, reject) => {
        child.on('exit', code => reject(new Error(`the proxy exited ${code}`)));
        child.stdout.on('data', d => {
            out += d;
            const m = /listening (\d+)/.exec(out);
            if (m) resolve({ url: new URL(`http://127.0.0.1:${m[1]}/mcp`), pid: child.pid, close: () => new Promise(r => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM')))) });
        });
    });
}

async function measure() {
    const replicas = [];
    const proxies = {};
    const dir = mkdtempSync(join(tmpdir(), 'scale-out-bench-'));
    try {
        const world = benchWorld(dir);
        for (let i = 0; i < 3; i++) replicas.push(await startOursHttp(process.execPath, { world, args: ['--auth', 'entra', '--confirmation-key', KEY] }));
        const ports = replicas.map(r => Number(r.url.port));
        for (const [era, e] of Object.entries(ERAS)) for (const n of [1, 2, 3]) proxies[`${era} ${n}`] = await startProxy(ports.slice(0, n), e.affinity);
        const tokens = USERS.map(u => execFileSync(process.execPath, [CLI, 'sandbox', 'token', '--user', u, world], { cwd: ROOT, env: benchEnv(), encoding: 'utf8' }).trim());
        const headers = k => ({ Authorization: `Bearer ${tokens[k % tokens.length]}` });
        const pids = replicas.map(r => r.pid);
        const one = async (v, calls) => {
            const t = TOPOLOGIES[v.topology];
            const proxy = t.proxy ? proxies[`${v.era} ${t.replicas}`] : undefined;
            const r = await httpRound({ url: proxy?.url ?? replicas[0].url, era: v.era, tool: TOOL, args, clients: CLIENTS, calls, limitMs: ROUND_LIMIT_MS, pids: proxy ? [...pids, proxy.pid] : pids, headers });
            return { ...r, replicaCpuMs: r.cpuMs.slice(0, 3), proxyCpuMs: proxy ? r.cpuMs[3] : 0 };
        };
        // Warm-up: every replica exchanges each user's token and caches the registry's tokens before timing.
        for (const v of VARIANTS) await one(v, WARMUP_CALLS);
        const rounds = Object.fromEntries(VARIANTS.map(v => [v.key, []]));
        // Each round starts at another variant and every other round runs backwards, so no variant always follows the same one.
        for (let r = 0; r < ROUNDS; r++) {
            const rotated = [...VARIANTS.slice((3 * r) % VARIANTS.length), ...VARIANTS.slice(0, (3 * r) % VARIANTS.length)];
            for (const v of r % 2 ? rotated.reverse() : rotated) rounds[v.key].push(await one(v, CALLS));
        }
        return summarise(rounds);
    } catch (e) {
        throw new Error(`${e.message}\nreplica logs:\n${replicas.map(r => r.stderr().slice(-1500)).join('\n---\n')}`);
    } finally {
        await Promise.all([...Object.values(proxies), ...replicas].map(s => s.close()));
        rmSync(dir, { recursive: true, force: true });
    }
}

function summarise(rounds) {
    const out = {};
    for (const v of VARIANTS) {
        const rs = rounds[v.key];
        const calls = rs.reduce((a, r) => a + r.calls, 0);
        const all = rs.flatMap(r => r.latencies);
        const perReplica = [0, 1, 2].map(i => rs.reduce((a, r) => a + r.replicaCpuMs[i], 0));
        const serverCpu = perReplica.reduce((a, b) => a + b, 0);
        out[v.key] = {
            era: v.era,
            topology: v.topology,
            calls,
            errors: rs.reduce((a, r) => a + r.errors, 0),
            firstError: rs.find(r => r.firstError)?.firstError,
            reqPerSec: round(median(rs.map(r => (r.calls / r.wallMs) * 1000)), 1),
            p50Ms: round(percentile(all, 50), 1),
            p99Ms: round(percentile(all, 99), 1),
            // All replicas' CPU per call (those the variant does not use stay idle), and the proxy's apart.
            serverCpuMsPerCall: round(serverCpu / calls, 2),
            proxyCpuMsPerCall: round(rs.reduce((a, r) => a + r.proxyCpuMs, 0) / calls, 2),
            clientCpuMsPerCall: round(rs.reduce((a, r) => a + r.clientCpuMs, 0) / calls, 2),
            // CPU of everything on the machine in this bench (replicas, proxy, clients) per second of the round: 2 cores = 2000.
            busyMsPerSec: round(median(rs.map(r => (r.replicaCpuMs.reduce((a, b) => a + b, 0) + r.proxyCpuMs + r.clientCpuMs) / (r.wallMs / 1000)))),
            // How the work spread: each replica's share of the servers' CPU time.
            replicaCpuShare: perReplica.map(c => round((100 * c) / serverCpu)).slice(0, TOPOLOGIES[v.topology].replicas)
        };
    }
    for (const s of Object.values(out)) {
        const base = out[`${s.era} direct`];
        s.throughputVsOne = ratio(s.reqPerSec, base.reqPerSec);
        s.p99VsOne = ratio(s.p99Ms, base.p99Ms);
        // The steadier comparison on a shared machine: CPU per call of the replicas plus the proxy, vs one replica direct.
        s.cpuPerCallVsOne = ratio(s.serverCpuMsPerCall + s.proxyCpuMsPerCall, base.serverCpuMsPerCall);
    }
    return out;
}

export default {
    title: 'Scale-out: the HTTP load through a round-robin proxy, 1–3 replicas',
    order: 4.5,
    async run() {
        console.log(`scale-out on ${process.version}: ${CLIENTS} clients × ${CALLS} calls × ${ROUNDS} rounds per variant, ${VARIANTS.length} variants`);
        const r = await measure();
        const rows = Object.values(r).map(s => [
            ERAS[s.era].label,
            topologyLabel[s.topology],
            s.calls,
            s.errors,
            s.reqPerSec,
            s.p50Ms,
            s.p99Ms,
            s.throughputVsOne,
            s.p99VsOne,
            s.serverCpuMsPerCall,
            s.cpuPerCallVsOne,
            s.proxyCpuMsPerCall,
            s.clientCpuMsPerCall,
            s.busyMsPerSec,
            s.replicaCpuShare.join(' / ')
        ]);
        const summary = Object.values(r)
            .filter(s => s.topology !== 'direct')
            .map(s => ({
                measure: `scale-out ${ERAS[s.era].label}, ${topologyLabel[s.topology]}: calls/s vs 1 replica direct (p99 ${s.p99Ms} vs ${r[`${s.era} direct`].p99Ms} ms; CPU per call, replicas + proxy, ${s.cpuPerCallVsOne}× direct's; ${s.errors} errors)`,
                ours: s.reqPerSec,
                peer: `${r[`${s.era} direct`].reqPerSec} (1 replica direct)`,
                ratio: s.throughputVsOne,
                target: s.topology === 'proxy 1' ? '0 errors (ratio = the proxy\'s cost)' : '0 errors (2 cores: ratio reported, no scaling expected)',
                met: s.errors === 0
            }));
        const markdown = [
            table(['era', 'variant', 'calls', 'errors', 'calls/s (median round)', 'p50 ms', 'p99 ms', 'calls/s / 1 direct', 'p99 / 1 direct', 'replicas\' CPU ms / call', '(replicas + proxy) CPU per call / 1 direct', 'proxy CPU ms / call', 'clients\' CPU ms / call', 'bench CPU ms / s (2 cores: 2000)', 'CPU share per replica %'], rows),
            `The team setup: three replicas of \`dist/cli.js --transport http --sandbox --auth entra --confirmation-key …\` (${process.version}), ${CLIENTS} concurrent SDK v2 clients, alternately the sandbox's reader and operator (tokens from \`dist/cli.js sandbox token --user …\`, validated by every replica against its sandbox tenant's keys; each replica exchanges each user's token on their behalf), each making ${CALLS} sequential \`${TOOL}\` calls, ${ROUNDS} rounds per variant after a warm-up round of ${WARMUP_CALLS} calls each, variants alternating (order reversed every other round); connecting is not timed. The proxy (\`bench/lib/round-robin-proxy.mjs\`, the one \`test/auth/scale-out.test.ts\` uses) runs as its own process with keep-alive connections to the replicas: round robin per request for the 2026-07-28 era, and for 2025-era sessions affinity on \`Mcp-Session-Id\` (the session's \`initialize\` is placed round robin, everything after goes to the replica holding it; ClientIP affinity, the Service's, would pin every loopback client to one replica).`,
            `What a 2-core machine can show: the replicas, the proxy and the ${CLIENTS} clients all share the same 2 cores, so more replicas cannot add CPU; a single replica is one Node event loop, so a second one can at most use what the clients and the first leave of the second core. The figures that carry over to a cluster are the proxy's cost (1 via proxy vs direct: its CPU per call and the added latency) and that the load spreads (CPU share per replica) without errors; calls/s with 2–3 replicas here says nothing about a cluster where each replica has its own cores. The "bench CPU" column is the CPU all of this bench's processes got per second of a round: far below 2000, the machine's other work (the load average above) set the pace, and calls/s moved with it from round to round; then read the CPU-per-call columns, not calls/s. With \`--sandbox\` each replica also runs its own emulator (ARM, ACR, Entra) in its process, so "replicas' CPU" includes the emulated Azure's work (a constant per call, alike in every variant); the world is the demo world with the registries' request-rate limits lifted, since N emulated registries would otherwise give N replicas N times the read budget of the one real registry they would share.`
        ];
        return { data: { clients: CLIENTS, callsPerClient: CALLS, rounds: ROUNDS, node: process.version, variants: r }, summary, markdown };
    }
};
