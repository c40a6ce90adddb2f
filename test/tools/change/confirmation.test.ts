/**
 * The confirmation rules every change tool shares, shown on acr_set_repository_streaming: expiry, state
 * changed underneath, replicas sharing a key, permissions per role-assignment mode, failures during apply.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAzureAccess } from '../../../src/azure/azure-access.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { azureOptionsForSandbox } from '../../../src/wiring/sandbox-azure.js';
import { ConfirmationSigner, CONFIRMATION_TTL_MS, signerFromSetting } from '../../../src/tools/change/confirmation-token.js';
import { connect, testApp } from '../../helpers/mcp.js';
import { FAST_RETRY, startSandboxApp, textOf, type SandboxApp } from '../../helpers/sandbox-app.js';
import { changeWorld } from './change-world.js';

const TOOL = 'acr_set_repository_streaming';
const ARGS = { registry: 'changeacr', repository: 'ml/trainer', enabled: true };
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
    await Promise.all(open.splice(0).map(o => o.close()));
});

async function sandboxApp(opts: Parameters<typeof startSandboxApp>[0] = {}): Promise<SandboxApp> {
    const t = await startSandboxApp({ sandbox: { world: changeWorld() }, ...opts });
    open.push(t);
    return t;
}

const successfulFlagWrites = (sb: Sandbox, repo = 'ml/trainer') =>
    sb.requestLog.entries(e => e.method === 'POST' && e.path === `/acr/v1/${repo}/_streaming` && e.fault === undefined && e.status === 202).length;

/** A second MCP server (own AppContext, own Azure access) on the same sandbox: another replica. */
async function replica(sb: Sandbox, signer: ConfirmationSigner) {
    const app = await testApp({}, { azure: () => createAzureAccess(azureOptionsForSandbox(sb, { retry: FAST_RETRY })), changes: { signer, audit: () => undefined } });
    const conn = await connect(app, 'legacy');
    open.push(conn);
    return (name: string, args: Record<string, unknown>) => conn.client.callTool({ name, arguments: args }) as Promise<any>;
}

describe('confirmation tokens', () => {
    it('expire after ten minutes', async () => {
        let now = Date.now();
        const t = await sandboxApp({ changes: { signer: new ConfirmationSigner(Buffer.alloc(32, 7), () => now), audit: () => undefined } });
        const plan = (await t.call(TOOL, ARGS)).structuredContent as any;
        now += CONFIRMATION_TTL_MS + 1;
        const late = await t.call(TOOL, { ...ARGS, confirmationToken: plan.confirmationToken });
        expect(late.isError).toBe(true);
        expect(textOf(late)).toMatch(/expired[\s\S]*plan again/);
        expect(successfulFlagWrites(t.sb)).toBe(0);
    });

    it('are refused when the state changed underneath (another replica applied the same change first)', async () => {
        const t = await sandboxApp();
        const other = await replica(t.sb, ConfirmationSigner.random());
        const mine = (await t.call(TOOL, ARGS)).structuredContent as any;
        const theirs = (await other(TOOL, ARGS)).structuredContent;
        expect((await other(TOOL, { ...ARGS, confirmationToken: theirs.confirmationToken })).structuredContent).toMatchObject({ status: 'applied' });
        const stale = await t.call(TOOL, { ...ARGS, confirmationToken: mine.confirmationToken });
        expect(textOf(stale)).toMatch(/state changed since this plan/);
        expect(successfulFlagWrites(t.sb)).toBe(1);
    });

    it('work across replicas that share --confirmation-key, and not across different keys', async () => {
        const sb = await startSandbox({ world: changeWorld() });
        open.push(sb);
        const key = 'a-shared-confirmation-key-of-at-least-32-chars';
        const a = await replica(sb, signerFromSetting(key));
        const b = await replica(sb, signerFromSetting(key));
        const c = await replica(sb, signerFromSetting('another-confirmation-key-of-32-characters-x'));
        const plan = (await a(TOOL, ARGS)).structuredContent;
        const wrongKey = await c(TOOL, { ...ARGS, confirmationToken: plan.confirmationToken });
        expect(textOf(wrongKey)).toMatch(/not valid/);
        expect((await b(TOOL, { ...ARGS, confirmationToken: plan.confirmationToken })).structuredContent).toMatchObject({ status: 'applied' });
        expect(successfulFlagWrites(sb)).toBe(1);
    });

    it('a key shorter than 32 characters, or an unreadable key file, is refused at start', () => {
        expect(() => signerFromSetting('short')).toThrow(/at least 32/);
        expect(() => signerFromSetting('file:/nonexistent/key')).toThrow(/cannot read the confirmation key file/);
    });
});

describe('permissions', () => {
    it('legacy registry: AcrPush cannot manage auto-conversion; the error names Owner or Contributor', async () => {
        const t = await sandboxApp({ sandbox: { world: changeWorld({ registryRoles: ['AcrPush'] }) } });
        const plan = (await t.call(TOOL, ARGS)).structuredContent as any;
        const r = await t.call(TOOL, { ...ARGS, confirmationToken: plan.confirmationToken });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/permission denied[\s\S]*Owner or Contributor[\s\S]*nothing was changed/);
        expect(successfulFlagWrites(t.sb)).toBe(0);
    });

    it('ABAC registry: a Repository Reader is refused; the error names Container Registry Repository Writer', async () => {
        const t = await sandboxApp({ sandbox: { world: changeWorld({ abacRoles: ['Container Registry Repository Reader'] }) } });
        const args = { ...ARGS, registry: 'abacacr' };
        const plan = (await t.call(TOOL, args)).structuredContent as any;
        const r = await t.call(TOOL, { ...args, confirmationToken: plan.confirmationToken });
        expect(textOf(r)).toMatch(/permission denied[\s\S]*Container Registry Repository Writer/);
        expect(successfulFlagWrites(t.sb)).toBe(0);
    });

    it('ABAC registry: AcrPush is not honoured there', async () => {
        const t = await sandboxApp({ sandbox: { world: changeWorld({ abacRoles: ['AcrPush'] }) } });
        const args = { ...ARGS, registry: 'abacacr' };
        const r = await t.call(TOOL, args);
        // Without AcrPull honoured even the read of the current state is refused: a clear error, nothing planned.
        expect(r.isError).toBe(true);
        expect(successfulFlagWrites(t.sb)).toBe(0);
    });
});

describe('failures during apply', () => {
    it.each([
        ['a 500', { status: 500 }, /server error/],
        ['a reset connection', { action: 'reset' as const }, /connection broke/]
    ])('%s gives a clear error; retrying with the same token applies once', async (_label, fault, message) => {
        const t = await sandboxApp();
        const plan = (await t.call(TOOL, ARGS)).structuredContent as any;
        t.sb.faults.add({ method: 'POST', path: '/acr/v1/*/_streaming', times: 1, ...fault });
        const failed = await t.call(TOOL, { ...ARGS, confirmationToken: plan.confirmationToken });
        expect(failed.isError).toBe(true);
        expect(textOf(failed)).toMatch(message);
        expect(successfulFlagWrites(t.sb)).toBe(0);
        const retried = await t.call(TOOL, { ...ARGS, confirmationToken: plan.confirmationToken });
        expect(retried.structuredContent).toMatchObject({ status: 'applied' });
        const thirdTime = await t.call(TOOL, { ...ARGS, confirmationToken: plan.confirmationToken });
        expect(thirdTime.isError).toBe(true);
        expect(successfulFlagWrites(t.sb)).toBe(1);
    });
});
