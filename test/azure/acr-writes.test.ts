/** The ACR write calls of the change tools against the sandbox: start/reuse, cancel, delete a referrer, permissions. */
import { afterEach, describe, expect, it } from 'vitest';
import { startSandboxApp, type SandboxApp } from '../helpers/sandbox-app.js';
import { changeWorld } from '../tools/change/change-world.js';

const open: SandboxApp[] = [];
afterEach(async () => {
    await Promise.all(open.splice(0).map(t => t.close()));
});
const o = { abortSignal: new AbortController().signal, requiredRole: 'the role named by the tool' };

async function setup(world = changeWorld()) {
    const t = await startSandboxApp({ sandbox: { world, behaviour: { conversionSeconds: 600 } } });
    open.push(t);
    const azure = await t.app.azure();
    const reg = await azure.findRegistry('changeacr', o);
    const ref = (tag: string) => azure.parseImage(`changeacr.azurecr.io/ml/trainer:${tag}`);
    return { t, azure, reg, ref };
}

describe('ACR writes', () => {
    it('starts a conversion once (a second start reuses it), and cancels it', async () => {
        const { t, azure, reg, ref } = await setup();
        const digest = (await azure.inspectImage(reg, ref('v3'), o)).manifest.digest;
        const first = await azure.startConversion(reg, 'ml/trainer', digest, o);
        const second = await azure.startConversion(reg, 'ml/trainer', digest, o);
        expect(first.reused).toBe(false);
        expect(second).toMatchObject({ operationId: first.operationId, reused: true });
        expect(t.sb.requestLog.entries(e => e.method === 'POST' && e.path === `/acr/v1/ml/trainer/_streaming/${digest}`)).toHaveLength(1);
        expect(await azure.cancelOperation(reg, 'ml/trainer', first.operationId, o)).toEqual({ status: 'Canceled' });
        expect((await azure.inspectImage(reg, ref('v3'), o)).lastOperation).toMatchObject({ id: first.operationId, status: 'Canceled' });
        await expect(azure.cancelOperation(reg, 'ml/trainer', first.operationId, o)).rejects.toMatchObject({ code: 'AZURE_ERROR' });
    });

    it('deleting the streaming referrer turns streaming off for that image; deleting it again reports it gone', async () => {
        const { azure, reg, ref } = await setup();
        const before = await azure.inspectImage(reg, ref('v2'), o);
        expect(before.streamingArtifact.present).toBe(true);
        expect(await azure.deleteManifest(reg, 'ml/trainer', before.streamingArtifact.digest!, o)).toBe(true);
        expect((await azure.inspectImage(reg, ref('v2'), o)).streamingArtifact).toEqual({ present: false, digest: null });
        expect(await azure.deleteManifest(reg, 'ml/trainer', before.streamingArtifact.digest!, o)).toBe(false);
    });

    it('without delete rights the refusal names the role the tool asked for', async () => {
        const { azure, reg, ref } = await setup(changeWorld({ registryRoles: ['AcrPush'] }));
        const referrer = (await azure.inspectImage(reg, ref('v2'), o)).streamingArtifact.digest!;
        await expect(azure.deleteManifest(reg, 'ml/trainer', referrer, o)).rejects.toMatchObject({ code: 'PERMISSION_DENIED', fix: expect.stringContaining('the role named by the tool') });
        // AcrPush may start conversions.
        const digest = (await azure.inspectImage(reg, ref('v3'), o)).manifest.digest;
        expect((await azure.startConversion(reg, 'ml/trainer', digest, o)).reused).toBe(false);
    });
});
