/**
 * Property-based fuzzing of every tool's input (issue 10, item 3): at least 1,000 generated argument sets per
 * tool in tools/list, through the in-memory MCP client, against the sandbox. Every result is a success or one
 * of our coded tool errors (arguments that fail the input schema too: INVALID_INPUT); never INTERNAL, a stack trace or a file
 * path. Every host the sandbox does not serve resolves to a canary that must see no connection, and the
 * sandbox request log shows only ARM, the registries the arguments name and the clusters they name (and the
 * registries of those clusters' pods). No generated call ever changes anything: a forged or missing
 * confirmation token only plans.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/sandbox/index.js';
import { ERROR_META_KEY } from '../../src/tools/register-tools.js';
import { startCanary, type Canary } from '../azure/canary.js';
import { connect, testApp, textOf } from '../helpers/mcp.js';
import { startSandboxApp, type SandboxApp } from '../helpers/sandbox-app.js';
import { argumentsFor, stringsIn, type InputSchema } from './fuzz-arguments.js';
import { LEAK, rowOf } from './tool-rows.js';

const RUNS = 1_000;
const listed = await listedTools();

async function listedTools(): Promise<{ name: string; inputSchema: InputSchema; openWorld: boolean }[]> {
    const conn = await connect(await testApp());
    try {
        return (await conn.client.listTools()).tools.map(t => ({ name: t.name, inputSchema: t.inputSchema as InputSchema, openWorld: t.annotations?.openWorldHint === true }));
    } finally {
        await conn.close();
    }
}

let canary: Canary;
let t: SandboxApp;

beforeAll(async () => {
    canary = await startCanary();
    const known = new Map<string, string>();
    t = await startSandboxApp({
        // Generous rate limits: the registries' 429s are the fault matrix's subject, not this file's.
        sandbox: { behaviour: { registryRateLimits: { Premium: { readOpsPerMinute: 1e7, burst: 1e6 }, Standard: { readOpsPerMinute: 1e7, burst: 1e6 } } } },
        azure: { resolveEndpoint: host => known.get(host.toLowerCase()) ?? canary.origin }
    });
    for (const [host, origin] of Object.entries(t.sb.registryEndpoints)) known.set(host.toLowerCase(), origin);
});
afterAll(async () => {
    await t?.close();
    await canary?.close();
});

/** Registries and clusters the arguments name, and the registries of the named clusters' pods. */
function legitimate(args: Record<string, unknown>): { registries: Set<string>; clusters: Set<string> } {
    const strings = stringsIn(args).map(s => s.toLowerCase());
    const registries = new Set<string>();
    for (const s of strings) {
        for (const m of s.matchAll(/([a-z0-9]{5,50})\.azurecr\.io/g)) registries.add(m[1]!);
        if (/^[a-z0-9]{5,50}$/.test(s)) registries.add(s);
    }
    const clusters = new Set<string>();
    for (const c of t.sb.world.clusters) {
        if (!strings.includes(c.name.toLowerCase())) continue;
        clusters.add(c.name.toLowerCase());
        for (const pod of c.pods) {
            const host = /^([a-z0-9]+)\.azurecr\.io\//.exec(pod.image.toLowerCase());
            if (host?.[1]) registries.add(host[1]);
        }
    }
    return { registries, clusters };
}

function unexpectedHosts(entries: RequestLogEntry[], args: Record<string, unknown>): string[] {
    const ok = legitimate(args);
    return entries
        .map(e => e.listener)
        .filter(l => {
            if (l === 'arm') return false;
            const [kind, name = ''] = l.split(':');
            return kind === 'registry' ? !ok.registries.has(name.toLowerCase()) : !ok.clusters.has(name.toLowerCase());
        });
}

const isWrite = (e: RequestLogEntry) => !['GET', 'HEAD'].includes(e.method) && !/\/oauth2\/|\/list\w*Credential$/i.test(e.path);

interface Outcome {
    /** Past the input schema check: the tool's own parsing ran. */
    reachedTool: boolean;
    /** The sandbox saw a request. */
    reachedAzure: boolean;
}

/** A clean outcome for one generated call; throws (with the arguments, via fast-check) otherwise. */
async function check(tool: string, args: Record<string, unknown>): Promise<Outcome> {
    t.sb.requestLog.clear();
    let r: { isError?: boolean; content?: unknown; _meta?: Record<string, unknown> };
    try {
        r = (await t.client.callTool({ name: tool, arguments: args })) as typeof r;
    } catch (e) {
        throw new Error(`${tool}: the call was rejected instead of answered: ${String(e)}`);
    }
    const text = textOf(r);
    expect(text).not.toMatch(LEAK);
    const error = r.isError ? (r._meta?.[ERROR_META_KEY] as { code?: string; what?: string } | undefined) : undefined;
    if (r.isError) expect(error?.code).toMatch(/^(?!INTERNAL$)[A-Z][A-Z_]+$/);
    const schemaRefusal = error?.code === 'INVALID_INPUT' && error.what?.startsWith(`Invalid arguments for ${tool}: `) === true;
    const log = t.sb.requestLog.entries();
    expect(unexpectedHosts(log, args)).toEqual([]);
    expect(log.filter(isWrite).map(e => `${e.method} ${e.path}`)).toEqual([]);
    expect(canary.connections).toBe(0);
    return { reachedTool: !r.isError || !schemaRefusal, reachedAzure: log.length > 0 };
}

describe('generated arguments', () => {
    it('cover every tool in tools/list', () => {
        expect(listed.length).toBeGreaterThanOrEqual(6);
        for (const tool of listed) rowOf(tool.name);
    });

    for (const tool of listed) {
        it(`${tool.name}: ${RUNS} argument sets, clean answers only, no foreign host, no write`, async () => {
            const row = rowOf(tool.name);
            const seen = { ran: 0, reachedTool: 0, reachedAzure: 0 };
            await fc.assert(
                fc.asyncProperty(argumentsFor(tool.inputSchema, row.args), async args => {
                    const o = await check(tool.name, args);
                    seen.ran++;
                    if (o.reachedTool) seen.reachedTool++;
                    if (o.reachedAzure) seen.reachedAzure++;
                }),
                { numRuns: RUNS }
            );
            expect(seen.ran).toBeGreaterThanOrEqual(RUNS);
            // The generator must get past the schema check, and (for Azure tools) to the sandbox, often enough
            // that this is more than a schema test.
            expect(seen.reachedTool).toBeGreaterThan(RUNS / 5);
            if (tool.openWorld) expect(seen.reachedAzure).toBeGreaterThan(RUNS / 100);
        }, 240_000);
    }
});
