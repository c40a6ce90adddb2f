/**
 * The fault matrix (issue 10, item 3): every tool that tools/list shows × every fault a real Azure endpoint
 * produces, against the sandbox. Each case first learns the routes the tool uses (a clean run), then fails
 * every one of those routes once and calls again: the call ends in a success after retry or a clear tool
 * error with a code, never a crash, never a stack trace, and never a change applied twice (the handled writes
 * in the sandbox request log). Change tools plan under faults, then apply with the plan's token under faults.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createAzureAccess } from '../../src/azure/azure-access.js';
import { once } from '../../src/app.js';
import type { AppContext } from '../../src/app-context.js';
import type { RetrySettings } from '../../src/azure/http-policies.js';
import { startSandbox, type FaultInput, type RequestLogEntry, type Sandbox } from '../../src/sandbox/index.js';
import { ERROR_META_KEY } from '../../src/tools/register-tools.js';
import { azureOptionsForSandbox } from '../../src/wiring/sandbox-azure.js';
import { connect, testApp, textOf } from '../helpers/mcp.js';
import { FAST_RETRY } from '../helpers/sandbox-app.js';
import { LEAK, rowOf, TOOL_ROWS } from './tool-rows.js';

type CallResult = { isError?: boolean; content?: unknown; structuredContent?: Record<string, unknown>; _meta?: Record<string, unknown> };

interface FaultKind {
    name: string;
    fault: Omit<FaultInput, 'path' | 'method' | 'registry' | 'times'>;
    /** An idempotent request that met this fault once must succeed on retry. */
    retried: boolean;
    retry?: Partial<RetrySettings>;
    /**
     * 'all': every route the tool used fails once. 'key': the first route of each listener and every write,
     * for faults that cost real time per hit (a Retry-After, a per-attempt timeout), so the file stays fast.
     */
    routes: 'all' | 'key';
    /** Only the routes of these listeners (default: all). */
    listeners?: RegExp;
}

const FAULTS: readonly FaultKind[] = [
    { name: '429 with Retry-After', fault: { status: 429, retryAfterSeconds: 1 }, retried: true, routes: 'key' },
    { name: '500', fault: { status: 500 }, retried: true, routes: 'all' },
    { name: '503', fault: { status: 503 }, retried: true, routes: 'all' },
    { name: 'connection reset', fault: { action: 'reset' }, retried: true, routes: 'all' },
    // A per-attempt timeout far above a loaded machine's normal answer, far below the injected delay.
    { name: 'timeout', fault: { action: 'slow', delayMs: 60_000 }, retried: true, retry: { timeoutMs: 1_500 }, routes: 'key' },
    { name: 'malformed JSON', fault: { action: 'malformed' }, retried: false, routes: 'all' },
    { name: 'expired token', fault: { action: 'expired-token' }, retried: false, routes: 'all' },
    // The data plane's own tokens: a registry that calls a cached token expired gets a fresh exchange.
    { name: 'expired registry token', fault: { action: 'expired-token' }, retried: true, routes: 'all', listeners: /^registry:/ }
];

/** Writes that change state; token mints and the credential POST only read. */
const isWrite = (e: Pick<RequestLogEntry, 'method' | 'path'>) => !['GET', 'HEAD'].includes(e.method) && !/\/oauth2\/|\/list\w*Credential$/i.test(e.path);
/** Requests a retry may repeat without harm (http-policies.ts: isIdempotent). */
const isIdempotent = (e: Route) => e.method !== 'POST' || /\/oauth2\/(exchange|token)$|\/list\w*Credential$/i.test(e.path);
/** A write the sandbox's handler ran (not answered by a fault, not abandoned). */
const handled = (e: RequestLogEntry) => e.fault === undefined && e.status !== 0;

interface Route {
    listener: string;
    method: string;
    path: string;
}

const routeKey = (r: Route) => `${r.listener} ${r.method} ${r.path}`;

function routesOf(entries: RequestLogEntry[]): Route[] {
    const seen = new Map<string, Route>();
    for (const e of entries) seen.set(routeKey(e), { listener: e.listener, method: e.method, path: e.path });
    return [...seen.values()];
}

/** The routes a fault kind strikes: all, or the first of each listener plus every write. */
function struck(all: Route[], kind: FaultKind): Route[] {
    const routes = kind.listeners ? all.filter(r => kind.listeners!.test(r.listener)) : all;
    if (kind.routes === 'all') return routes;
    const first = new Set<string>();
    return routes.filter(r => {
        const isFirst = !first.has(r.listener);
        first.add(r.listener);
        return isFirst || isWrite(r);
    });
}

/** One fault per route, spent after one match; registry routes are restricted to their registry's listener. */
function injectOnce(sb: Sandbox, routes: Route[], kind: FaultKind): void {
    for (const r of routes) {
        const registry = r.listener.startsWith('registry:') ? r.listener.slice('registry:'.length) : undefined;
        // A literal path is its own glob unless it holds a '*' (never in these routes).
        sb.faults.add({ ...kind.fault, method: r.method, path: r.path, ...(registry ? { registry } : {}), times: 1 });
    }
}

let base: AppContext;
const registered = await listedTools();

async function listedTools(): Promise<string[]> {
    const app = await testApp();
    const conn = await connect(app);
    try {
        return (await conn.client.listTools()).tools.map(t => t.name);
    } finally {
        await conn.close();
    }
}

beforeAll(async () => {
    base = await testApp();
});

/** A sandbox and an MCP client whose Azure access (and so every cache) is new. */
async function fixture(retry: Partial<RetrySettings> = {}) {
    const sb = await startSandbox({ behaviour: { conversionSeconds: 0.2, nodePoolUpdateSeconds: 0.2 } });
    const app: AppContext = { ...base, azure: once(() => createAzureAccess(azureOptionsForSandbox(sb, { registryCacheMs: 0, retry: { ...FAST_RETRY, ...retry } }))) };
    const conn = await connect(app);
    return {
        sb,
        call: async (name: string, args: Record<string, unknown>) => (await conn.client.callTool({ name, arguments: args })) as CallResult,
        alive: async () => (await conn.client.listTools()).tools.length,
        close: async () => {
            await conn.close().catch(() => undefined);
            await sb.close();
        }
    };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;

/** Success, or an isError result with a code: no INTERNAL, no stack, no path. */
function expectCleanOutcome(r: CallResult, what: string): void {
    const text = textOf(r);
    expect(text, `${what}: ${text}`).not.toMatch(LEAK);
    if (!r.isError) return;
    const error = r._meta?.[ERROR_META_KEY] as { code?: string } | undefined;
    expect(error?.code, `${what}: an error code in _meta: ${text}`).toMatch(/^[A-Z][A-Z_]+$/);
    expect(error?.code, `${what}: ${text}`).not.toBe('INTERNAL');
}

function expectNoWriteTwice(sb: Sandbox, what: string): void {
    const counts = new Map<string, number>();
    for (const e of sb.requestLog.entries(e => isWrite(e) && handled(e))) counts.set(routeKey(e), (counts.get(routeKey(e)) ?? 0) + 1);
    const twice = [...counts].filter(([, n]) => n > 1);
    expect(twice, `${what}: writes the sandbox applied more than once`).toEqual([]);
}

/** The token of a plan result (tools.md: `{ status: "plan", confirmationToken }`). */
function tokenOf(r: CallResult, what: string): string {
    const token = r.structuredContent?.confirmationToken;
    if (r.isError || typeof token !== 'string') throw new Error(`${what}: expected a plan with a confirmationToken, got ${textOf(r)}`);
    return token;
}

/** Runs the tool's row once without faults: the routes it uses, in two phases for a change tool. */
async function learnRoutes(tool: string): Promise<{ plan: Route[]; apply: Route[] }> {
    const row = rowOf(tool);
    const f = await fixture();
    try {
        const first = await f.call(tool, row.args);
        expect(first.isError, `${tool} without faults: ${textOf(first)}`).toBeFalsy();
        const plan = routesOf(f.sb.requestLog.entries());
        if (!row.change) return { plan, apply: [] };
        f.sb.requestLog.clear();
        const applied = await f.call(tool, { ...row.args, confirmationToken: tokenOf(first, tool) });
        expect(applied.isError, `${tool} apply without faults: ${textOf(applied)}`).toBeFalsy();
        expect(applied.structuredContent?.status, `${tool} apply without faults`).toBe('applied');
        return { plan, apply: routesOf(f.sb.requestLog.entries()) };
    } finally {
        await f.close();
    }
}

/** One call under `kind` on every route it used; asserts the outcome; returns the result. */
async function underFaults(f: Fixture, tool: string, args: Record<string, unknown>, routes: Route[], kind: FaultKind, what: string): Promise<CallResult> {
    f.sb.faults.clear();
    const before = f.sb.requestLog.entries().length;
    const hit = struck(routes, kind);
    injectOnce(f.sb, hit, kind);
    const r = await f.call(tool, args);
    f.sb.faults.clear();
    expectCleanOutcome(r, what);
    // A retried fault on idempotent requests only: the tool must get through. (A POST that timed out or met a
    // 5xx may have been applied: it is not repeated, and the call ends in a clear error.)
    if (kind.retried && hit.every(isIdempotent)) {
        const trace = f.sb.requestLog.entries().slice(before).map(e => `${e.listener} ${e.method} ${e.path} ${e.status} ${e.fault ?? ''}`);
        expect(r.isError, `${what}: ${textOf(r)}\n${trace.join('\n')}`).toBeFalsy();
    }
    return r;
}

it('every tool in tools/list has a row in tool-rows.ts', () => {
    expect(registered.length).toBeGreaterThanOrEqual(6);
    expect(registered.filter(t => !TOOL_ROWS[t])).toEqual([]);
});

describe.concurrent.each(registered)('%s under faults', tool => {
    // Learnt once per tool, shared by its fault cases (a failure fails each of them, with the reason).
    let learning: Promise<{ plan: Route[]; apply: Route[] }> | undefined;
    const learnt = () => (learning ??= learnRoutes(tool));

    it.each(FAULTS)('$name', async kind => {
        const row = rowOf(tool);
        const { plan, apply } = await learnt();
        const f = await fixture(kind.retry);
        try {
            const what = `${tool} / ${kind.name}`;
            let r = await underFaults(f, tool, row.args, plan, kind, `${what} (${row.change ? 'plan' : 'call'})`);
            if (row.change) {
                // A plan refused under faults is asked again without them: the apply is what must not double.
                if (r.isError) r = await f.call(tool, row.args);
                const token = tokenOf(r, what);
                const applied = await underFaults(f, tool, { ...row.args, confirmationToken: token }, apply, kind, `${what} (apply)`);
                if (!applied.isError) expect(['applied', 'no_change']).toContain(applied.structuredContent?.status);
            }
            expectNoWriteTwice(f.sb, what);
            // Not a crash: the same server still answers.
            expect(await f.alive()).toBe(registered.length);
        } finally {
            await f.close();
        }
    });
});
