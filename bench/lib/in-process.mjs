// Our server in the bench's own process, on a sandbox, through an in-memory MCP client: for benches that
// read the sandbox's request log (request counts, critical-path depth). Loads the plain tsc output of src/.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { tscOutput } from '../tsc-output.mjs';

let mods;
export async function modules() {
    if (mods) return mods;
    const out = tscOutput();
    const load = async path => import(`${out}/${path}`);
    mods = {
        ...(await load('sandbox/index.js')),
        ...(await load('azure/azure-access.js')),
        ...(await load('wiring/sandbox-azure.js')),
        ...(await load('app.js')),
        ...(await load('config.js')),
        ...(await load('log.js')),
        ...(await load('server.js')),
        ...(await load('tools/index.js')),
        generateWorld: (await load('sandbox/world/generate-world.js').catch(() => ({}))).generateWorld
    };
    return mods;
}

/** A fresh app (cold caches) on the running sandbox, connected through an in-memory MCP client (2025 era). */
export async function connectApp(sb, azureOverrides = {}) {
    const m = await modules();
    const app = await m.createApp({
        config: { ...m.configSchema.parse({}), logLevel: 'silent' },
        log: m.createLogger('silent'),
        azure: () => m.createAzureAccess(m.azureOptionsForSandbox(sb, azureOverrides))
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = m.createServer(app);
    await server.connect(serverSide);
    const client = new Client({ name: 'bench', version: '1' }, { versionNegotiation: { mode: 'legacy' } });
    await client.connect(clientSide);
    return { client, close: async () => (await client.close(), await server.close()) };
}

/** Whether the tool exists in this build: benches of tools still being built skip with a line. */
export async function hasTool(name) {
    return (await modules()).ALL_TOOLS.some(t => t.name === name);
}

/** The most requests in flight at once among log entries (interval overlap sweep). */
export function peakConcurrency(entries) {
    const edges = entries.flatMap(e => [[e.start, 1], [e.end, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let now = 0;
    let peak = 0;
    for (const [, d] of edges) peak = Math.max(peak, (now += d));
    return peak;
}
