// The servers the benches start: ours (the built CLI, dist/cli.js) and the peer, server-everything (a dev
// dependency), over stdio or Streamable HTTP on loopback, under any Node binary.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = `${ROOT}dist/cli.js`;
export const EVERYTHING = `${ROOT}node_modules/@modelcontextprotocol/server-everything/dist/index.js`;
const LOOPBACK_ONLY = new URL('./loopback-only.mjs', import.meta.url).href;

/**
 * The child environment: no ACR_STREAMING_MCP_* from the caller, a credential chain that probes nothing, and
 * without NODE_EXTRA_CA_CERTS: this machine points it at the system bundle, which costs every Node process
 * ~140 ms before its first line runs (a constant that would only squeeze every ratio towards 1).
 */
export function benchEnv(extra = {}) {
    const env = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ACR_STREAMING_MCP_') && k !== 'NODE_EXTRA_CA_CERTS') env[k] = v;
    return { ...env, AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential', ACR_STREAMING_MCP_LOG_LEVEL: 'error', ...extra };
}

/** CPU time (ms) the process has used so far, all its threads: less sensitive to a loaded machine than wall time. */
export function cpuMsOf(pid) {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
        try {
            ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
        } catch {
            // the thread ended between the listing and the read
        }
    }
    return ns / 1e6;
}

/** Resident set size (KiB → MB) of a running process. */
export function rssMbOf(pid) {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
    return +(kb / 1024).toFixed(1);
}

export const newClient = era => new Client({ name: 'bench', version: '1' }, { versionNegotiation: { mode: era === 'modern' ? 'auto' : 'legacy' } });

/** A stdio server connected to a client; `args` follow the node binary. */
export async function connectStdio(node, args, { era = 'legacy', env = {}, stderr = 'ignore' } = {}) {
    const transport = new StdioClientTransport({ command: node, args, cwd: ROOT, env: benchEnv(env), stderr });
    const client = newClient(era);
    await client.connect(transport);
    return { client, pid: transport.pid, stderr: transport.stderr, close: () => client.close() };
}

async function freePort() {
    const s = createServer();
    await new Promise(resolve => s.listen(0, '127.0.0.1', resolve));
    const { port } = s.address();
    await new Promise(resolve => s.close(resolve));
    return port;
}

/** Spawns a server and resolves once its stderr shows `pattern` (group 1 = the URL), or rejects after 30 s. */
function spawnUntil(node, args, env, pattern) {
    const child = spawn(node, args, { cwd: ROOT, env: benchEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`no listening line after 30 s:\n${err}`))), 30_000);
        child.on('exit', code => reject(new Error(`exited ${code} before listening:\n${err}`)));
        child.stderr.on('data', d => {
            err += d;
            const m = pattern.exec(err);
            if (m) {
                clearTimeout(timer);
                resolve({ child, url: m[1], stderr: () => err });
            }
        });
    });
}

const stop = child => new Promise(resolve => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM'))));

/** Our server in HTTP mode on the sandbox (demo world unless `world` is a path). */
export async function startOursHttp(node, { world, args = [] } = {}) {
    const { child, url, stderr } = await spawnUntil(node, [CLI, '--transport', 'http', '--port', '0', '--log-level', 'info', '--sandbox', ...(world ? [world] : []), ...args], {}, /serving MCP on (http:\/\/127\.0\.0\.1:\d+\/mcp)/);
    return { url: new URL(url), pid: child.pid, stderr, close: () => stop(child) };
}

/** server-everything's Streamable HTTP mode, held to 127.0.0.1. */
export async function startEverythingHttp(node) {
    const port = await freePort();
    const { child, stderr } = await spawnUntil(node, ['--import', LOOPBACK_ONLY, EVERYTHING, 'streamableHttp'], { PORT: String(port) }, /(listening on port \d+)/);
    return { url: new URL(`http://127.0.0.1:${port}/mcp`), pid: child.pid, stderr, close: () => stop(child) };
}
