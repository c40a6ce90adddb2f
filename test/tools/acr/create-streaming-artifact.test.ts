/** acr_create_streaming_artifact through an MCP client against the sandbox: plan, confirm, apply, watch, read back. */
import { describe, expect, it } from 'vitest';
import { textOf } from '../../helpers/sandbox-app.js';
import { streamingChangeApp } from './streaming-change-world.js';

const TOOL = 'acr_create_streaming_artifact';
const { t, audit } = streamingChangeApp();

/** Conversion POSTs that reached a registry (`handled`: excluding those a fault answered before the handler ran). */
const conversionPosts = (registry: string, tag?: 'handled') =>
    t.sb.requestLog.entries(e => e.listener === `registry:${registry}` && e.method === 'POST' && /^\/acr\/v1\/.+\/_streaming\/sha256:/.test(e.path) && (tag !== 'handled' || e.fault === undefined)).length;

const img = (registry: string, tag: string) => `${registry}.azurecr.io/ml/trainer:${tag}`;
const inspect = async (image: string) => (await t.call('acr_inspect_image', { image })).structuredContent as any;
const plan = async (args: Record<string, unknown>) => (await t.call(TOOL, args)).structuredContent as any;
const errorCode = (r: unknown) => (r as { _meta?: Record<string, any> })._meta?.['acr-streaming-mcp/error']?.code;

describe('acr_create_streaming_artifact', () => {
    it('plans without starting anything, applies with the token, and acr_inspect_image shows the conversion', async () => {
        const args = { image: img('streamacr', 'v3') };
        const p = await plan(args);
        expect(p).toMatchObject({
            status: 'plan',
            plan: {
                target: 'streamacr.azurecr.io/ml/trainer:v3',
                current: { streamingArtifact: null, lastOperation: null },
                azCommand: 'az acr artifact-streaming create --name streamacr --image ml/trainer:v3 --no-wait',
                requiredRole: expect.stringMatching(/AcrPush/)
            },
            confirmationToken: expect.any(String)
        });
        expect(conversionPosts('streamacr')).toBe(0);

        const applied = await t.call(TOOL, { ...args, confirmationToken: p.confirmationToken });
        expect(applied.isError).toBeFalsy();
        const r = (applied.structuredContent as any).result;
        expect(r).toMatchObject({ operationId: expect.any(String), status: 'NotStarted', reused: false, waited: 'no' });
        expect(textOf(applied)).toMatch(/Started conversion operation .* acr_inspect_image/);
        expect(conversionPosts('streamacr')).toBe(1);
        expect((await inspect(args.image)).lastOperation).toMatchObject({ id: r.operationId });
        expect(JSON.parse(audit.at(-1)!)).toMatchObject({ tool: TOOL, target: args.image, operationId: r.operationId });

        // The token was for the state before the conversion: replaying it is refused, nothing is started twice.
        const replay = await t.call(TOOL, { ...args, confirmationToken: p.confirmationToken });
        expect(textOf(replay)).toMatch(/state changed since this plan[\s\S]*plan again/i);
        // Once it succeeded the image has a streaming artifact: asking again is no_change with its digest.
        await expect.poll(async () => (await inspect(args.image)).streamingArtifact.present, { timeout: 30_000 }).toBe(true);
        const again = await plan(args);
        expect(again).toMatchObject({ status: 'no_change', result: { streamingArtifact: expect.stringMatching(/^sha256:/) } });
        expect(conversionPosts('streamacr')).toBe(1);
    });

    it('with wait, reports increasing progress to 100 and ends at the terminal status', async () => {
        const args = { image: img('streamacr', 'v0'), wait: true };
        const p = await plan(args);
        expect(p.plan.azCommand).toBe('az acr artifact-streaming create --name streamacr --image ml/trainer:v0');
        const seen: { progress: number; total?: number; message?: string }[] = [];
        const r = (await t.client.callTool({ name: TOOL, arguments: { ...args, confirmationToken: p.confirmationToken } }, { onprogress: n => void seen.push(n) })) as any;
        expect(r.isError).toBeFalsy();
        expect(r.structuredContent.result).toMatchObject({ status: 'Succeeded', waited: 'done', progress: 100 });
        expect(textOf(r)).toMatch(/Converted .*v0 .*Succeeded/);
        expect(seen.length).toBeGreaterThanOrEqual(2);
        expect(seen.every(n => n.total === 100)).toBe(true);
        for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress).toBeGreaterThan(seen[i - 1]!.progress);
        expect(seen[0]!.message).toContain(`operation ${r.structuredContent.result.operationId}`);
        expect(seen.at(-1)).toMatchObject({ progress: 100, message: expect.stringMatching(/^Succeeded/) });
        expect((await inspect(args.image)).streamingArtifact.present).toBe(true);
    });

    it('cancelling the call while it waits stops the wait, not the conversion: the progress carried the operation id', async () => {
        const args = { image: img('streamacr', 'slow'), wait: true };
        const p = await plan(args);
        const ac = new AbortController();
        const seen: string[] = [];
        const call = t.client.callTool(
            { name: TOOL, arguments: { ...args, confirmationToken: p.confirmationToken } },
            { signal: ac.signal, onprogress: n => void (seen.push(n.message ?? ''), ac.abort('user pressed stop')) }
        );
        await expect(call).rejects.toThrow(/user pressed stop/);
        const id = /operation ([0-9a-f-]{36})/.exec(seen[0] ?? '')?.[1];
        expect(id).toBeDefined();
        // The conversion keeps running on the registry, and asking again reuses it.
        expect((await inspect(args.image)).lastOperation).toMatchObject({ id, status: expect.stringMatching(/NotStarted|Running/) });
        const again = await plan({ image: args.image });
        expect(again).toMatchObject({ status: 'no_change', result: { operationId: id, reused: true } });
        const digest = (await inspect(args.image)).digest;
        expect(t.sb.requestLog.entries(e => e.method === 'POST' && e.path.endsWith(`/_streaming/${digest}`)).length).toBe(1);
        // The handler stopped waiting and returned (its audit line names the operation).
        await expect.poll(() => audit.some(l => JSON.parse(l).operationId === id), { timeout: 30_000 }).toBe(true);
        expect(t.sb.requestLog.entries(e => e.method === 'POST' && e.listener === 'registry:streamacr' && e.path.endsWith(`/_operations/${id}:cancel`))).toEqual([]);
    });

    it('an index is converted by its own digest, and the plan says only its linux/amd64 entry streams', async () => {
        const p = await plan({ image: img('streamacr', 'multi') });
        expect(p.plan.sideEffects[0]).toMatch(/index's linux\/amd64 entry \(sha256:[a-f0-9]{64}\)/);
        const applied = (await t.call(TOOL, { image: img('streamacr', 'multi'), wait: true, confirmationToken: 'x' })) as any;
        expect(applied.isError).toBe(true); // a token for other arguments (wait) is refused
        const ok = (await t.call(TOOL, { image: img('streamacr', 'multi'), confirmationToken: p.confirmationToken })).structuredContent as any;
        expect(ok.status).toBe('applied');
        await expect.poll(async () => (await inspect(img('streamacr', 'multi'))).streamingArtifact.present, { timeout: 30_000 }).toBe(true);
    });

    it('reuses a conversion under way instead of starting a second one', async () => {
        const before = conversionPosts('streamacr');
        const r = await plan({ image: img('streamacr', 'busy') });
        expect(r).toMatchObject({ status: 'no_change', result: { operationId: expect.any(String), status: 'Running', reused: true } });
        expect(r.plan.action).toMatch(/Nothing to start: conversion .* is Running/);
        expect(r).not.toHaveProperty('confirmationToken');
        expect(r.result.operationId).toBe((await inspect(img('streamacr', 'busy'))).lastOperation.id);
        expect(conversionPosts('streamacr')).toBe(before);
    });

    it('refuses images the service would not convert, with the code the conversion would fail with', async () => {
        const before = conversionPosts('streamacr');
        const arm = await t.call(TOOL, { image: img('streamacr', 'v1-arm') });
        expect(arm.isError).toBe(true);
        expect(errorCode(arm)).toBe('IMAGE_PLATFORM_UNSUPPORTED');
        expect(textOf(arm)).toMatch(/cannot be converted[\s\S]*UNSUPPORTED_PLATFORM/);
        const missing = await t.call(TOOL, { image: img('streamacr', 'nope') });
        expect(errorCode(missing)).toBe('IMAGE_NOT_FOUND');
        const bad = await t.call(TOOL, { image: 'evil.example.com/ml/trainer:v1' });
        expect(bad.isError).toBe(true);
        expect(textOf(bad)).toMatch(/azurecr\.io/);
        expect(conversionPosts('streamacr')).toBe(before);
    });

    it('by digest: warns that only pulls by tag stream', async () => {
        const digest = (await inspect(img('streamacr', 'broken'))).digest;
        const p = await plan({ image: `streamacr.azurecr.io/ml/trainer@${digest}` });
        expect(p.plan.azCommand).toBe(`az acr artifact-streaming create --name streamacr --image ml/trainer@${digest} --no-wait`);
        expect(p.plan.warnings.join(' ')).toMatch(/Only pulls by tag stream[\s\S]*last conversion .* failed/);
    });

    it('a connection reset after the registry accepted the POST: a clear error, and retrying starts no second conversion', async () => {
        const args = { image: img('pushacr', 'v3') };
        const p = await plan(args);
        t.sb.faults.add({ method: 'POST', path: '/acr/v1/*/_streaming/sha256:*', registry: 'pushacr', action: 'reset', after: true, times: 1 });
        const failed = await t.call(TOOL, { ...args, confirmationToken: p.confirmationToken });
        expect(failed.isError).toBe(true);
        expect(errorCode(failed)).toBe('CONNECTION');
        expect(textOf(failed)).toMatch(/may be under way[\s\S]*without confirmationToken[\s\S]*no second one/);
        expect(conversionPosts('pushacr')).toBe(1);

        // The same token again: the state changed (a conversion is under way), so it is refused.
        const retry = await t.call(TOOL, { ...args, confirmationToken: p.confirmationToken });
        expect(textOf(retry)).toMatch(/plan again/);
        // Planning again finds the conversion the lost POST started.
        const again = await plan(args);
        expect(again).toMatchObject({ status: 'no_change', result: { reused: true, operationId: (await inspect(args.image)).lastOperation.id } });
        expect(conversionPosts('pushacr')).toBe(1);
    });

    it('a 5xx before the registry acted: a clear error, and the same token then applies once', async () => {
        const args = { image: img('pushacr', 'v0') };
        const p = await plan(args);
        const before = conversionPosts('pushacr', 'handled');
        t.sb.faults.add({ method: 'POST', path: '/acr/v1/*/_streaming/sha256:*', registry: 'pushacr', status: 503, times: 1 });
        const failed = await t.call(TOOL, { ...args, confirmationToken: p.confirmationToken });
        expect(errorCode(failed)).toBe('SERVER_ERROR');
        expect(textOf(failed)).toMatch(/server error[\s\S]*reuses it/);
        expect(conversionPosts('pushacr', 'handled')).toBe(before);
        const ok = (await t.call(TOOL, { ...args, confirmationToken: p.confirmationToken })).structuredContent as any;
        expect(ok).toMatchObject({ status: 'applied', result: { reused: false } });
        expect(conversionPosts('pushacr', 'handled')).toBe(before + 1);
    });

    it('without push rights: refused at the plan, before any write, naming the role for both role-assignment modes', async () => {
        const legacy = await t.call(TOOL, { image: img('pullacr', 'v3') });
        expect(errorCode(legacy)).toBe('PERMISSION_DENIED');
        expect(textOf(legacy)).toMatch(/no push right on pullacr\.azurecr\.io\/ml\/trainer[\s\S]*ask for AcrPush \(or Contributor\/Owner\)/);
        expect(t.sb.requestLog.entries(e => e.listener === 'registry:pullacr' && e.method === 'POST' && /_streaming/.test(e.path))).toEqual([]);
        const abac = await t.call(TOOL, { image: 'abacwriter.azurecr.io/ml/trainer:v3' });
        expect(abac.isError).toBeFalsy(); // Repository Writer may convert
        expect((abac.structuredContent as any).plan.requiredRole).toMatch(/Container Registry Repository Writer/);
    });

    it('rights lost between plan and confirmation: the registry refuses the write, and the error names the role', async () => {
        const p = await plan({ image: img('streamacr', 'broken'), wait: true });
        t.sb.faults.add({ method: 'POST', path: '/acr/v1/*/_streaming/sha256:*', registry: 'streamacr', status: 403, times: 1 });
        const denied = await t.call(TOOL, { image: img('streamacr', 'broken'), wait: true, confirmationToken: p.confirmationToken });
        expect(errorCode(denied)).toBe('PERMISSION_DENIED');
        expect(textOf(denied)).toMatch(/refused: permission denied[\s\S]*ask for AcrPush/);
    });
});
