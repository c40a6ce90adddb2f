/**
 * What a failed Azure request says about retrying comes from what the reliability policy did (the attempts it
 * counted), not from the status: a read that met a 503 was retried and says how often; a write that met one
 * was sent once and says so. A write without an answer (timed out, connection lost) may have been applied: it
 * says to check the state before trying again, never just "retry". Through an MCP client against the sandbox.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { FAST_RETRY, startSandboxApp, textOf, type SandboxApp } from '../helpers/sandbox-app.js';
import { changeWorld } from '../tools/change/change-world.js';

const TOOL = 'acr_set_repository_streaming';
const ARGS = { registry: 'changeacr', repository: 'ml/trainer', enabled: true };
const FLAG = '/acr/v1/ml/trainer/_streaming';

const open: SandboxApp[] = [];
afterEach(async () => {
    await Promise.all(open.splice(0).map(t => t.close()));
});
async function app(opts: Parameters<typeof startSandboxApp>[0] = {}): Promise<SandboxApp> {
    const t = await startSandboxApp({ sandbox: { world: changeWorld() }, ...opts });
    open.push(t);
    return t;
}
const flagWrites = (sb: Sandbox) => sb.requestLog.entries(e => e.method === 'POST' && e.path === FLAG);

/** Plans the change, then applies it with its token: the apply's result. */
async function apply(t: SandboxApp) {
    const plan = (await t.call(TOOL, ARGS)).structuredContent as { confirmationToken: string };
    return t.call(TOOL, { ...ARGS, confirmationToken: plan.confirmationToken });
}

describe('whether a failed request was retried', () => {
    it('a GET that kept meeting 503 was retried, and says how many attempts were made', async () => {
        const t = await app();
        t.sb.faults.add({ method: 'GET', path: FLAG, status: 503 });
        const r = await t.call(TOOL, ARGS);
        expect(r.isError).toBe(true);
        const attempts = t.sb.requestLog.entries(e => e.method === 'GET' && e.path === FLAG && e.status === 503).length;
        expect(attempts).toBe(FAST_RETRY.maxRetries + 1);
        expect(textOf(r)).toMatch(/server error/);
        expect(textOf(r)).toContain(`answered 503`);
        expect(textOf(r)).toContain(`(${attempts} attempts)`);
        expect(textOf(r)).not.toMatch(/not retried/);
    });

    it('the same from Resource Manager (the SDK client\'s error carries the request the policy counted)', async () => {
        const t = await app();
        t.sb.faults.add({ method: 'GET', path: '/subscriptions/*/providers/Microsoft.ContainerRegistry/registries', status: 503 });
        const r = await t.call('acr_list_registries', {});
        expect(r.isError).toBe(true);
        const attempts = t.sb.requestLog.entries(e => e.status === 503).length;
        expect(attempts).toBe(FAST_RETRY.maxRetries + 1);
        expect(textOf(r)).toMatch(/Azure Resource Manager answered 503/);
        expect(textOf(r)).toContain(`(${attempts} attempts)`);
    });

    it('a POST that met 503 was sent once and says it was not retried', async () => {
        const t = await app();
        t.sb.faults.add({ method: 'POST', path: FLAG, status: 503 });
        const r = await apply(t);
        expect(r.isError).toBe(true);
        expect(flagWrites(t.sb)).toHaveLength(1);
        expect(textOf(r)).toMatch(/server error/);
        expect(textOf(r)).toContain('(not retried: a request that may change something is never repeated automatically)');
        expect(textOf(r)).not.toMatch(/\(retried\)|attempts\)/);
        expect(textOf(r)).toMatch(/may have been applied: check the current state first/);
    });
});

describe('a write without an answer', () => {
    it('timed out: says the change may have been applied and how to check, not to retry', async () => {
        const t = await app({ azure: { retry: { ...FAST_RETRY, timeoutMs: 1_000 } } });
        t.sb.faults.add({ method: 'POST', path: FLAG, action: 'slow', delayMs: 60_000, times: 1 });
        const r = await apply(t);
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/timed out/);
        expect(textOf(r)).toMatch(/may have been applied: check the current state first \(call the same tool again without confirmationToken/);
        expect(textOf(r)).not.toMatch(/retry in a moment/);
        // Sent once: a POST is not repeated after a timeout (the abandoned request is logged only once the sandbox lets go of it).
        expect(textOf(r)).toContain('(1 attempt)');
    });

    it('lost its connection after the registry applied it: says so, and the plan it points to shows the change made', async () => {
        const t = await app();
        t.sb.faults.add({ method: 'POST', path: FLAG, action: 'reset', after: true, times: 1 });
        const r = await apply(t);
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/connection broke/);
        expect(textOf(r)).toMatch(/not retried/);
        expect(textOf(r)).toMatch(/may have been applied: check the current state first/);
        expect(textOf(r)).not.toMatch(/retry in a moment/);
        expect(flagWrites(t.sb)).toHaveLength(1);
        // Following the advice: the same tool without a token reads the state and finds nothing left to do.
        const again = await t.call(TOOL, ARGS);
        expect(again.structuredContent).toMatchObject({ status: 'no_change' });
    });
});

describe('an expired token', () => {
    it('Resource Manager answering ExpiredAuthenticationToken: points at the clock first, then signing in', async () => {
        const t = await app();
        t.sb.faults.add({ method: 'GET', path: '/subscriptions/*/providers/Microsoft.ContainerRegistry/registries', action: 'expired-token' });
        const r = await t.call('acr_list_registries', {});
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/answered 401 ExpiredAuthenticationToken/);
        expect(textOf(r)).toMatch(/if this machine's clock is behind, correct it \(NTP\); otherwise sign in again: `az login/);
        expect(textOf(r)).toMatch(/UNAUTHENTICATED/);
    });
});
