/** The per-image change tools confirmed by the user in an elicitation form (both eras): the form shows the plan, and only accept acts. */
import { afterEach, describe, expect, it } from 'vitest';
import { startSandboxApp, type SandboxApp } from '../../helpers/sandbox-app.js';
import { streamingChangeWorld } from './streaming-change-world.js';

type Action = 'accept' | 'decline';
const open: SandboxApp[] = [];
afterEach(async () => {
    await Promise.all(open.splice(0).map(o => o.close()));
});

async function withForm(era: 'legacy' | 'modern', action: Action, asked: string[]) {
    const t = await startSandboxApp({ sandbox: { world: streamingChangeWorld() }, era, azure: { conversionPollMs: 20 }, client: { capabilities: { elicitation: { form: {} } } } });
    open.push(t);
    t.client.setRequestHandler('elicitation/create', async req => {
        asked.push(String((req.params as { message?: string }).message));
        return action === 'accept' ? { action, content: { confirm: true } } : { action };
    });
    return t;
}

const deletes = (t: SandboxApp) => t.sb.requestLog.entries(e => e.method === 'DELETE' && e.fault === undefined && e.status === 202).length;

describe.each(['legacy', 'modern'] as const)('%s era', era => {
    it('acr_remove_streaming_artifact: the form names the role and the az command; decline deletes nothing, accept deletes', async () => {
        const image = 'streamacr.azurecr.io/ml/trainer:v2';
        const asked: string[] = [];
        const declined = await withForm(era, 'decline', asked);
        expect((await declined.call('acr_remove_streaming_artifact', { image })).structuredContent).toMatchObject({ status: 'declined' });
        expect(deletes(declined)).toBe(0);
        expect(asked[0]).toMatch(/Needs: AcrDelete[\s\S]*az acr manifest delete --registry streamacr --name ml\/trainer@sha256:/);

        const accepted = await withForm(era, 'accept', []);
        expect((await accepted.call('acr_remove_streaming_artifact', { image })).structuredContent).toMatchObject({ status: 'applied', result: { streamingArtifact: null } });
        expect(deletes(accepted)).toBe(1);
    });

    it('acr_create_streaming_artifact with wait: accepted in the form, then progress to the terminal status', async () => {
        const t = await withForm(era, 'accept', []);
        const seen: number[] = [];
        const r = (await t.client.callTool({ name: 'acr_create_streaming_artifact', arguments: { image: 'streamacr.azurecr.io/ml/trainer:v3', wait: true } }, { onprogress: p => void seen.push(p.progress) })) as any;
        expect(r.structuredContent).toMatchObject({ status: 'applied', result: { status: 'Succeeded', waited: 'done' } });
        expect(seen.at(-1)).toBe(100);
    });
});
