/** acr_set_repository_streaming through an MCP client against the sandbox: plan, confirm, apply, read back. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxApp, textOf, type SandboxApp } from '../../helpers/sandbox-app.js';
import { changeWorld } from '../change/change-world.js';

const TOOL = 'acr_set_repository_streaming';
let t: SandboxApp;
const audit: string[] = [];
beforeAll(async () => {
    t = await startSandboxApp({ sandbox: { world: changeWorld() }, changes: { audit: line => void audit.push(line) } });
});
afterAll(async () => t?.close());

const writes = (path: RegExp) => t.sb.requestLog.entries(e => e.method === 'POST' && path.test(e.path) && e.fault === undefined && e.status < 300).length;
const flagPosts = (repo: string) => writes(new RegExp(`^/acr/v1/${repo}/_streaming$`));

describe('acr_set_repository_streaming', () => {
    it('plans without changing anything, applies with the token, and the read tool shows the new state', async () => {
        const args = { registry: 'changeacr', repository: 'ml/trainer', enabled: true };
        const plan = await t.call(TOOL, args);
        expect(plan.isError).toBeFalsy();
        const p = plan.structuredContent as any;
        expect(p).toMatchObject({
            status: 'plan',
            plan: {
                target: 'changeacr.azurecr.io/ml/trainer',
                current: { convertPushedImages: false },
                desired: { convertPushedImages: true },
                azCommand: 'az acr artifact-streaming update --name changeacr --repository ml/trainer --enable-streaming true',
                requiredRole: expect.stringMatching(/Owner or Contributor/)
            },
            confirmationToken: expect.any(String),
            expiresAt: expect.any(String)
        });
        expect(textOf(plan)).toContain(p.confirmationToken);
        expect(flagPosts('ml/trainer')).toBe(0);
        expect((await t.call('acr_get_repository_streaming', { registry: 'changeacr', repository: 'ml/trainer' })).structuredContent).toMatchObject({ convertPushedImages: false });

        const applied = await t.call(TOOL, { ...args, confirmationToken: p.confirmationToken });
        expect(applied.isError).toBeFalsy();
        expect(applied.structuredContent).toMatchObject({ status: 'applied', result: { convertPushedImages: true, operationId: expect.any(String) } });
        expect(flagPosts('ml/trainer')).toBe(1);
        expect((await t.call('acr_get_repository_streaming', { registry: 'changeacr', repository: 'ml/trainer' })).structuredContent).toMatchObject({ convertPushedImages: true });

        // One audit line, with before → after, and never the token.
        const line = JSON.parse(audit.at(-1)!);
        expect(line).toMatchObject({ tool: TOOL, target: 'changeacr.azurecr.io/ml/trainer', before: { convertPushedImages: false }, after: { convertPushedImages: true }, confirmedBy: 'token' });
        expect(audit.join('\n')).not.toContain(p.confirmationToken);

        // Replaying the token: the state it was planned on is gone.
        const replay = await t.call(TOOL, { ...args, confirmationToken: p.confirmationToken });
        expect(replay.isError).toBe(true);
        expect(textOf(replay)).toMatch(/state changed since this plan[\s\S]*plan again/i);
        expect(flagPosts('ml/trainer')).toBe(1);

        // Asking for the current state is no_change, not an error.
        const again = await t.call(TOOL, args);
        expect(again.structuredContent).toMatchObject({ status: 'no_change' });
        expect(again.structuredContent).not.toHaveProperty('confirmationToken');
    });

    it('refuses a token used for other arguments, and a forged one', async () => {
        const plan = (await t.call(TOOL, { registry: 'changeacr', repository: 'web/app', enabled: false })).structuredContent as any;
        const other = await t.call(TOOL, { registry: 'changeacr', repository: 'ml/trainer', enabled: false, confirmationToken: plan.confirmationToken });
        expect(textOf(other)).toMatch(/issued for another change[\s\S]*plan again/);
        const forged = await t.call(TOOL, { registry: 'changeacr', repository: 'web/app', enabled: false, confirmationToken: plan.confirmationToken.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A')) });
        expect(textOf(forged)).toMatch(/not valid/);
        expect(flagPosts('web/app')).toBe(0);
    });

    it('backfill lists every image it converts newest first and why it skips the others, then starts those conversions', async () => {
        const args = { registry: 'abacacr', repository: 'ml/trainer', enabled: true, backfill: true };
        const p = (await t.call(TOOL, args)).structuredContent as any;
        expect(p.plan.desired.backfill).toEqual({
            convert: [
                { image: 'abacacr.azurecr.io/ml/trainer:v3', digest: expect.stringMatching(/^sha256:/) },
                { image: 'abacacr.azurecr.io/ml/trainer:v0', digest: expect.stringMatching(/^sha256:/) }
            ],
            skipped: [
                { image: 'abacacr.azurecr.io/ml/trainer:stable', reason: 'already has a streaming artifact' },
                { image: 'abacacr.azurecr.io/ml/trainer:v1-arm', reason: 'not convertible: would fail with UNSUPPORTED_PLATFORM' }
            ],
            leftOut: null
        });
        expect(p.plan.requiredRole).toMatch(/Container Registry Repository Writer/);
        expect(p.plan.azCommand.split('\n')).toEqual([
            'az acr artifact-streaming update --name abacacr --repository ml/trainer --enable-streaming true',
            'az acr artifact-streaming create --name abacacr --image ml/trainer:v3 --no-wait',
            'az acr artifact-streaming create --name abacacr --image ml/trainer:v0 --no-wait'
        ]);
        const applied = (await t.call(TOOL, { ...args, confirmationToken: p.confirmationToken })).structuredContent as any;
        expect(applied.status).toBe('applied');
        expect(applied.result.conversions.map((c: any) => c.image)).toEqual(['abacacr.azurecr.io/ml/trainer:v3', 'abacacr.azurecr.io/ml/trainer:v0']);
        expect(applied.result.failed).toBeNull();
        const inspected = (await t.call('acr_inspect_image', { image: 'abacacr.azurecr.io/ml/trainer:v3' })).structuredContent as any;
        expect(inspected.lastOperation).toMatchObject({ id: applied.result.conversions[0].operationId });
        // Planning again while they run: nothing left to do.
        expect(((await t.call(TOOL, args)).structuredContent as any).status).toBe('no_change');
    });

    it('refuses Basic and CMK registries before any write', async () => {
        const basic = await t.call(TOOL, { registry: 'basicacr', repository: 'ml/trainer', enabled: true });
        expect(basic.isError).toBe(true);
        expect(textOf(basic)).toMatch(/cannot use artifact streaming[\s\S]*Premium/);
        const cmk = await t.call(TOOL, { registry: 'cmkacr', repository: 'ml/trainer', enabled: true });
        expect(textOf(cmk)).toMatch(/customer-managed key/);
        expect(t.sb.requestLog.entries(e => e.method === 'POST' && /_streaming/.test(e.path) && /basicacr|cmkacr/.test(e.listener)).length).toBe(0);
    });

    it('backfill without enabled is a clear input error', async () => {
        const r = await t.call(TOOL, { registry: 'changeacr', repository: 'ml/trainer', enabled: false, backfill: true });
        expect(textOf(r)).toMatch(/backfill needs enabled: true/);
    });
});

describe('acr_set_repository_streaming backfill bounds and partial failures', () => {
    it(`considers only the newest 50 images and says what it left out`, async () => {
        const world = changeWorld();
        const images = Array.from({ length: 53 }, (_, i) => ({
            tags: [`t${String(i).padStart(2, '0')}`],
            platforms: [{ os: 'linux' as const, architecture: 'amd64' as const, layerSizes: [1000 + i] }],
            pushedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()
        }));
        world.registries![0]!.repositories = [{ name: 'big/repo', images }];
        const big = await startSandboxApp({ sandbox: { world } });
        try {
            const p = (await big.call(TOOL, { registry: 'changeacr', repository: 'big/repo', enabled: true, backfill: true })).structuredContent as any;
            expect(p.plan.desired.backfill.convert).toHaveLength(50);
            expect(p.plan.desired.backfill.convert[0].image).toBe('changeacr.azurecr.io/big/repo:t52');
            expect(p.plan.desired.backfill.convert.at(-1).image).toBe('changeacr.azurecr.io/big/repo:t03');
            expect(p.plan.desired.backfill.leftOut).toMatch(/beyond the newest 50/);
            expect(p.plan.warnings).toEqual([p.plan.desired.backfill.leftOut]);
        } finally {
            await big.close();
        }
    });

    it('a conversion refused midway: the result says what started and what did not; planning again lists only the rest', async () => {
        const one = await startSandboxApp({ sandbox: { world: changeWorld() } });
        try {
            const args = { registry: 'changeacr', repository: 'ml/trainer', enabled: true, backfill: true };
            const p = (await one.call(TOOL, args)).structuredContent as any;
            expect(p.plan.desired.backfill.convert.map((c: any) => c.image)).toEqual(['changeacr.azurecr.io/ml/trainer:v3', 'changeacr.azurecr.io/ml/trainer:v0']);
            const v0 = p.plan.desired.backfill.convert[1].digest;
            one.sb.faults.add({ method: 'POST', path: `/acr/v1/ml/trainer/_streaming/${v0}`, status: 500, times: 1 });
            const r = (await one.call(TOOL, { ...args, confirmationToken: p.confirmationToken })) as any;
            expect(r.structuredContent).toMatchObject({
                status: 'applied',
                result: { convertPushedImages: true, conversions: [{ image: 'changeacr.azurecr.io/ml/trainer:v3', reused: false }], failed: { image: 'changeacr.azurecr.io/ml/trainer:v0' }, notStarted: [] }
            });
            expect(textOf(r)).toMatch(/Started 1 of 2[\s\S]*Stopped at changeacr.azurecr.io\/ml\/trainer:v0/);
            const again = (await one.call(TOOL, args)).structuredContent as any;
            expect(again.plan.current).toEqual({ convertPushedImages: true });
            expect(again.plan.desired.backfill.convert.map((c: any) => c.image)).toEqual(['changeacr.azurecr.io/ml/trainer:v0']);
            expect((await one.call(TOOL, { ...args, confirmationToken: again.confirmationToken })).structuredContent).toMatchObject({ status: 'applied' });
            const starts = one.sb.requestLog.entries(e => e.method === 'POST' && e.path.startsWith('/acr/v1/ml/trainer/_streaming/') && e.status === 202);
            expect(starts).toHaveLength(2);
        } finally {
            await one.close();
        }
    });
});
