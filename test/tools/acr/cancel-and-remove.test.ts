/** acr_cancel_streaming_operation and acr_remove_streaming_artifact through an MCP client against the sandbox. */
import { describe, expect, it } from 'vitest';
import { textOf } from '../../helpers/sandbox-app.js';
import { createAcrTestClient } from '../../sandbox/acr/acr-client.js';
import { streamingChangeApp } from './streaming-change-world.js';

const CANCEL = 'acr_cancel_streaming_operation';
const REMOVE = 'acr_remove_streaming_artifact';
const { t, audit } = streamingChangeApp();

const img = (registry: string, tag: string, repo = 'ml/trainer') => `${registry}.azurecr.io/${repo}:${tag}`;
const inspect = async (image: string) => (await t.call('acr_inspect_image', { image })).structuredContent as any;
const sc = async (tool: string, args: Record<string, unknown>) => (await t.call(tool, args)).structuredContent as any;
const errorCode = (r: unknown) => (r as { _meta?: Record<string, any> })._meta?.['acr-streaming-mcp/error']?.code;
const writes = (registry: string, method: string, path: RegExp) =>
    t.sb.requestLog.entries(e => e.listener === `registry:${registry}` && e.method === method && path.test(e.path) && e.fault === undefined && e.status < 300).length;
/** What the registry itself answers (its own client, not our access layer): referrers, the _manifests listing, the last operation. */
async function registrySays(registry: string, digest: string) {
    const loginServer = `${registry}.azurecr.io`;
    const acr = createAcrTestClient({ origin: t.sb.registryEndpoints[loginServer]!, loginServer, caPem: t.sb.caPem });
    const referrers = (await acr.send('GET', `/v2/ml/trainer/referrers/${digest}?artifactType=application%2Fvnd.azure.artifact.streaming.v1`)).json().manifests;
    const listed = (await acr.send('GET', '/acr/v1/ml/trainer/_manifests')).json().manifests.map((m: { digest: string }) => m.digest);
    const last = await acr.send('GET', `/acr/v1/ml/trainer/_streaming/${digest}`);
    return { referrers, listed, lastStatus: last.status === 200 ? last.json().status : last.status };
}

describe('acr_cancel_streaming_operation', () => {
    it('by image: plans the ongoing conversion, cancels it with the token, and acr_inspect_image shows Canceled', async () => {
        const image = img('streamacr', 'busy');
        const before = (await inspect(image)).lastOperation;
        expect(before.status).toBe('Running');
        const p = await sc(CANCEL, { image });
        expect(p).toMatchObject({
            status: 'plan',
            plan: {
                target: image,
                current: { operationId: before.id, status: 'Running' },
                desired: { status: 'Canceled' },
                azCommand: 'az acr artifact-streaming operation cancel --name streamacr --image ml/trainer:busy',
                requiredRole: expect.stringMatching(/AcrPush/)
            }
        });
        expect(writes('streamacr', 'POST', /:cancel$/)).toBe(0);
        const applied = await t.call(CANCEL, { image, confirmationToken: p.confirmationToken });
        expect(applied.isError).toBeFalsy();
        expect((applied.structuredContent as any).result).toMatchObject({ operationId: before.id, status: 'Canceled' });
        expect(writes('streamacr', 'POST', /:cancel$/)).toBe(1);
        expect((await inspect(image)).lastOperation).toMatchObject({ id: before.id, status: 'Canceled' });
        expect(JSON.parse(audit.at(-1)!)).toMatchObject({ tool: CANCEL, operationId: before.id, after: { status: 'Canceled' } });

        // Replaying the token, or asking again: the operation is finished, a clear error naming its status.
        const replay = await t.call(CANCEL, { image, confirmationToken: p.confirmationToken });
        expect(errorCode(replay)).toBe('OPERATION_FINISHED');
        expect(textOf(replay)).toMatch(/already Canceled/);
        expect(writes('streamacr', 'POST', /:cancel$/)).toBe(1);
    });

    it('by registry + repository + operationId, and a token for another operation is refused', async () => {
        const busy2 = (await inspect(img('streamacr', 'busy2'))).lastOperation;
        const args = { registry: 'streamacr', repository: 'ml/trainer', operationId: busy2.id };
        const p = await sc(CANCEL, args);
        expect(p.plan.azCommand).toBe(`az acr artifact-streaming operation cancel --name streamacr --repository ml/trainer --id ${busy2.id}`);
        const other = await t.call(CANCEL, { image: img('streamacr', 'busy2'), confirmationToken: p.confirmationToken });
        expect(textOf(other)).toMatch(/issued for another change[\s\S]*plan again/);
        const ok = await sc(CANCEL, { ...args, confirmationToken: p.confirmationToken });
        expect(ok).toMatchObject({ status: 'applied', result: { status: 'Canceled' } });
    });

    it('a finished, unknown or missing operation is a clear error; mixed or missing arguments too', async () => {
        const stable = await t.call(CANCEL, { image: img('streamacr', 'stable') });
        expect(errorCode(stable)).toBe('OPERATION_FINISHED');
        expect(textOf(stable)).toMatch(/already Succeeded[\s\S]*acr_remove_streaming_artifact/);
        const failed = await t.call(CANCEL, { image: img('streamacr', 'broken') });
        expect(textOf(failed)).toMatch(/already Failed/);
        expect(errorCode(await t.call(CANCEL, { image: img('streamacr', 'v1-arm') }))).toBe('OPERATION_NOT_FOUND');
        expect(errorCode(await t.call(CANCEL, { registry: 'streamacr', repository: 'ml/trainer', operationId: '00000000-0000-0000-0000-000000000000' }))).toBe('OPERATION_NOT_FOUND');
        expect(errorCode(await t.call(CANCEL, { registry: 'streamacr', repository: 'ml/trainer', operationId: '../../x' }))).toBe('INVALID_INPUT');
        expect(errorCode(await t.call(CANCEL, { registry: 'streamacr', repository: 'ml/trainer' }))).toBe('INVALID_INPUT');
        expect(errorCode(await t.call(CANCEL, { image: img('streamacr', 'busy'), registry: 'streamacr' }))).toBe('INVALID_INPUT');
        expect(writes('streamacr', 'POST', /:cancel$/)).toBe(2);
    });

    it('cancels a conversion started by acr_create_streaming_artifact; the image then has no streaming artifact', async () => {
        const image = img('streamacr', 'slow');
        const c = await sc('acr_create_streaming_artifact', { image });
        const started = await sc('acr_create_streaming_artifact', { image, confirmationToken: c.confirmationToken });
        const p = await sc(CANCEL, { image });
        expect(p.plan.current.operationId).toBe(started.result.operationId);
        await sc(CANCEL, { image, confirmationToken: p.confirmationToken });
        expect(await inspect(image)).toMatchObject({ streamingArtifact: { present: false }, lastOperation: { status: 'Canceled' } });
    });
});

describe('acr_remove_streaming_artifact', () => {
    it('plans the deletion of the referrer, deletes it with the token, and the read tools agree it is gone', async () => {
        const image = img('streamacr', 'v2');
        const before = await inspect(image);
        expect(before.streamingArtifact.present).toBe(true);
        const p = await sc(REMOVE, { image });
        expect(p).toMatchObject({
            status: 'plan',
            plan: {
                target: image,
                current: { streamingArtifact: before.streamingArtifact.digest },
                desired: { streamingArtifact: null },
                azCommand: `az acr manifest delete --registry streamacr --name ml/trainer@${before.streamingArtifact.digest} --yes`,
                requiredRole: expect.stringMatching(/^AcrDelete \(or Contributor\/Owner\)/)
            }
        });
        expect(p.plan.sideEffects.join(' ')).toMatch(/stop streaming/);
        expect(p.plan).not.toHaveProperty('warnings');
        expect(writes('streamacr', 'DELETE', /\/manifests\//)).toBe(0);

        const applied = await t.call(REMOVE, { image, confirmationToken: p.confirmationToken });
        expect(applied.isError).toBeFalsy();
        expect((applied.structuredContent as any).result).toEqual({ deleted: [before.streamingArtifact.digest], streamingArtifact: null });
        expect(writes('streamacr', 'DELETE', /\/manifests\//)).toBe(1);
        // The image itself stays, with its tags (v2 and stable share it); only the referrer is gone.
        expect(await inspect(image)).toMatchObject({ digest: before.digest, streamingArtifact: { present: false, digest: null } });
        expect(await inspect(img('streamacr', 'stable'))).toMatchObject({ streamingArtifact: { present: false } });
        // The registry agrees: no streaming referrer, the manifest listing no longer has it, the last conversion is still Succeeded.
        const says = await registrySays('streamacr', before.digest);
        expect(says.referrers).toEqual([]);
        expect(says.listed).toContain(before.digest);
        expect(says.listed).not.toContain(before.streamingArtifact.digest);
        expect(says.lastStatus).toBe('Succeeded');
        expect(JSON.parse(audit.at(-1)!)).toMatchObject({ tool: REMOVE, before: { streamingArtifact: before.streamingArtifact.digest }, after: { streamingArtifact: null } });

        // Again: nothing to remove; the old token is refused.
        expect(await sc(REMOVE, { image })).toMatchObject({ status: 'no_change' });
        expect(textOf(await t.call(REMOVE, { image, confirmationToken: p.confirmationToken }))).toMatch(/state changed[\s\S]*plan again/i);
        // Converting again brings it back.
        const c = await sc('acr_create_streaming_artifact', { image, wait: true });
        expect((await sc('acr_create_streaming_artifact', { image, wait: true, confirmationToken: c.confirmationToken })).result.status).toBe('Succeeded');
        expect((await inspect(image)).streamingArtifact.present).toBe(true);
    });

    it('warns when the repository converts new pushes automatically', async () => {
        const p = await sc(REMOVE, { image: img('streamacr', 'v2', 'web/app') });
        expect(p.plan.warnings.join(' ')).toMatch(/converts new pushes automatically[\s\S]*acr_set_repository_streaming/);
    });

    it('without delete rights: refused at the plan, naming the role for both role-assignment modes; nothing deleted', async () => {
        const legacy = await t.call(REMOVE, { image: img('pushacr', 'v2') });
        expect(errorCode(legacy)).toBe('PERMISSION_DENIED');
        expect(textOf(legacy)).toMatch(/no delete right[\s\S]*ask for AcrDelete \(or Contributor\/Owner\)/);
        const abac = await t.call(REMOVE, { image: img('abacwriter', 'v2') });
        expect(errorCode(abac)).toBe('PERMISSION_DENIED');
        expect(textOf(abac)).toMatch(/ask for Container Registry Repository Contributor on the repository \(ABAC-enabled registry; Writer cannot remove\)/);
        expect(t.sb.requestLog.entries(e => e.method === 'DELETE' && /pushacr|abacwriter/.test(e.listener))).toEqual([]);
        expect((await inspect(img('pushacr', 'v2'))).streamingArtifact.present).toBe(true);

        const ok = await sc(REMOVE, { image: img('abacowner', 'v2') });
        expect(ok.plan.requiredRole).toMatch(/Container Registry Repository Contributor/);
        // Rights lost between plan and confirmation: the registry's refusal names the role too.
        t.sb.faults.add({ method: 'DELETE', path: '/v2/*/manifests/*', registry: 'abacowner', status: 403, times: 1 });
        const denied = await t.call(REMOVE, { image: img('abacowner', 'v2'), confirmationToken: ok.confirmationToken });
        expect(errorCode(denied)).toBe('PERMISSION_DENIED');
        expect(textOf(denied)).toMatch(/ask for Container Registry Repository Contributor/);
        expect((await sc(REMOVE, { image: img('abacowner', 'v2'), confirmationToken: ok.confirmationToken })).status).toBe('applied');
    });

    it('cancel without push rights is refused at the plan, naming the role', async () => {
        const r = await t.call(CANCEL, { image: img('pullacr', 'busy') });
        expect(errorCode(r)).toBe('PERMISSION_DENIED');
        expect(textOf(r)).toMatch(/ask for AcrPush/);
    });

    it('a reset after the registry deleted it: the retried DELETE finds it gone and the result is still right', async () => {
        const image = img('streamacr', 'v2', 'web/app');
        const p = await sc(REMOVE, { image });
        t.sb.faults.add({ method: 'DELETE', path: '/v2/*/manifests/*', registry: 'streamacr', action: 'reset', after: true, times: 1 });
        const r = await t.call(REMOVE, { image, confirmationToken: p.confirmationToken });
        expect(r.isError).toBeFalsy();
        expect((r.structuredContent as any).result.streamingArtifact).toBeNull();
        expect((await inspect(image)).streamingArtifact.present).toBe(false);
        const deletes = t.sb.requestLog.entries(e => e.listener === 'registry:streamacr' && e.method === 'DELETE' && e.path.startsWith('/v2/web/app/manifests/'));
        expect(deletes.map(e => [e.fault ?? null, e.status])).toEqual([
            ['reset', 0],
            [null, 404]
        ]);
    });
});
