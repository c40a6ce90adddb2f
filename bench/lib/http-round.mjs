// One round of Streamable HTTP load, shared by http-load and scale-out: `clients` concurrent MCP clients
// connect (not timed), then each makes `calls` tool calls in a row; the round stops early at `limitMs`.
// It measures the calls, errors, wall time, every latency, the CPU time each of `pids` spent meanwhile and
// the clients' own (this process's).
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { cpuMsOf, newClient } from './servers.mjs';

/**
 * @param {{ url: URL, era: 'legacy'|'modern', tool: string, args: (i: number) => object, clients: number, calls: number,
 *   limitMs: number, pids: number[], headers?: (k: number) => Record<string, string> }} o
 */
export async function httpRound({ url, era, tool, args, clients: n, calls, limitMs, pids, headers = () => ({}) }) {
    const clients = await Promise.all(
        Array.from({ length: n }, async (_, k) => {
            const c = newClient(era);
            const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: headers(k) } });
            await c.connect(transport);
            return { c, transport };
        })
    );
    const latencies = [];
    let errors = 0;
    let firstError;
    const deadline = performance.now() + limitMs;
    const cpu0 = pids.map(cpuMsOf);
    const own0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
        clients.map(async ({ c }, k) => {
            for (let i = 0; i < calls && performance.now() < deadline; i++) {
                const t = performance.now();
                try {
                    const r = await c.callTool({ name: tool, arguments: args(i + k) });
                    if (r.isError) (errors++, (firstError ??= JSON.stringify(r.content).slice(0, 300)));
                } catch (e) {
                    errors++;
                    firstError ??= String(e?.message ?? e).slice(0, 300);
                }
                latencies.push(performance.now() - t);
            }
        })
    );
    const wallMs = performance.now() - t0;
    const cpuMs = pids.map((pid, i) => cpuMsOf(pid) - cpu0[i]);
    const own = process.cpuUsage(own0);
    // End each 2025-era session with DELETE, as a well-behaved client does (closing alone leaves it open on the server).
    await Promise.all(clients.map(async ({ c, transport }) => (transport.sessionId ? await transport.terminateSession().catch(() => undefined) : undefined, await c.close().catch(() => undefined))));
    // The clients' own CPU (this process): when it nears a core, the clients, not the servers, set the pace.
    return { calls: latencies.length, errors, firstError, wallMs, cpuMs, clientCpuMs: (own.user + own.system) / 1000, latencies };
}
