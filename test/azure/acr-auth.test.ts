/** The ACR token exchange and its caches, proven from the sandbox's request log. */
import { afterEach, describe, expect, it } from 'vitest';
import { createAzureAccess } from '../../src/azure/azure-access.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { azureOptionsForSandbox, sandboxCredential } from '../../src/wiring/sandbox-azure.js';
import { FAST_RETRY, startSandboxApp, type SandboxApp } from '../helpers/sandbox-app.js';

const count = (sb: Sandbox, path: string) => sb.requestLog.entries(e => e.listener === 'registry:contosoacr' && e.path === path).length;
const signal = new AbortController().signal;

let t: SandboxApp | undefined;
let sb: Sandbox | undefined;
afterEach(async () => {
    await t?.close();
    await sb?.close();
    t = sb = undefined;
});

describe('ACR token caching', () => {
    it('two inspections of the same repository cost one exchange; a warm inspection costs no token call at all', async () => {
        t = await startSandboxApp();
        const first = await t.call('acr_inspect_image', { image: 'contosoacr.azurecr.io/ml/trainer:v1' });
        expect(first.isError).toBeFalsy();
        expect(count(t.sb, '/oauth2/exchange')).toBe(1);
        expect(count(t.sb, '/oauth2/token')).toBe(1);
        expect(count(t.sb, '/v2/')).toBe(1);

        t.sb.requestLog.clear();
        const second = await t.call('acr_inspect_image', { image: 'contosoacr.azurecr.io/ml/trainer:v2' });
        expect(second.isError).toBeFalsy();
        expect(count(t.sb, '/oauth2/exchange')).toBe(0);
        expect(count(t.sb, '/oauth2/token')).toBe(0);
        expect(count(t.sb, '/v2/')).toBe(0);
        // ARM's registry list is cached too: a warm inspection only talks to the registry.
        expect(t.sb.requestLog.entries(e => e.listener === 'arm')).toHaveLength(0);
    });

    it('a new repository needs a new access token but reuses the refresh token', async () => {
        t = await startSandboxApp();
        await t.call('acr_inspect_image', { image: 'contosoacr.azurecr.io/ml/trainer:v1' });
        await t.call('acr_inspect_image', { image: 'contosoacr.azurecr.io/ml/inference:v3' });
        expect(count(t.sb, '/oauth2/exchange')).toBe(1);
        expect(count(t.sb, '/oauth2/token')).toBe(2);
    });

    it('renews an expired access token with the cached refresh token (sandbox clock)', async () => {
        let clock = Date.now();
        const now = () => clock;
        sb = await startSandbox({ now });
        const azure = await createAzureAccess(azureOptionsForSandbox(sb, { now, credential: sandboxCredential(sb.tenantId, now), retry: FAST_RETRY }));
        const reg = await azure.findRegistry('contosoacr', { abortSignal: signal });
        await azure.getRepositoryStreaming(reg, 'ml/trainer', { abortSignal: signal });
        clock += 76 * 60_000; // ACR access tokens live 75 minutes in the sandbox
        await azure.getRepositoryStreaming(reg, 'ml/trainer', { abortSignal: signal });
        expect(count(sb, '/oauth2/exchange')).toBe(1);
        expect(count(sb, '/oauth2/token')).toBe(2);
        clock += 4 * 60 * 60_000; // past the refresh token's 3 hours: a new exchange
        await azure.getRepositoryStreaming(reg, 'ml/trainer', { abortSignal: signal });
        expect(count(sb, '/oauth2/exchange')).toBe(2);
    });

    it('re-exchanges when the registry rejects a cached token mid-session', async () => {
        let serverClock = Date.now();
        sb = await startSandbox({ now: () => serverClock });
        // Our clock stands still, so the cached token looks valid to us; the registry says it expired.
        const frozen = Date.now();
        const azure = await createAzureAccess(azureOptionsForSandbox(sb, { now: () => frozen, credential: sandboxCredential(sb.tenantId, () => serverClock), retry: FAST_RETRY }));
        const reg = await azure.findRegistry('contosoacr', { abortSignal: signal });
        expect(await azure.getRepositoryStreaming(reg, 'ml/trainer', { abortSignal: signal })).toEqual({ convertPushedImages: true });
        serverClock += 5 * 60 * 60_000;
        sb.requestLog.clear();
        expect(await azure.getRepositoryStreaming(reg, 'ml/trainer', { abortSignal: signal })).toEqual({ convertPushedImages: true });
        const seen = sb.requestLog.entries(e => e.listener === 'registry:contosoacr').map(e => `${e.method} ${e.path} ${e.status}`);
        expect(seen).toEqual([
            'GET /acr/v1/ml/trainer/_streaming 401',
            'POST /oauth2/exchange 200',
            'POST /oauth2/token 200',
            'GET /acr/v1/ml/trainer/_streaming 200'
        ]);
    });

    it('re-exchanges once when the registry refuses the cached refresh token (found by the fault matrix)', async () => {
        t = await startSandboxApp();
        await t.call('acr_get_repository_streaming', { registry: 'contosoacr', repository: 'ml/trainer' });
        t.sb.requestLog.clear();
        // A new repository needs a new access token, asked for with the cached refresh token, which the registry now calls expired.
        t.sb.faults.add({ method: 'POST', path: '/oauth2/token', registry: 'contosoacr', action: 'expired-token', times: 1 });
        const r = await t.call('acr_get_repository_streaming', { registry: 'contosoacr', repository: 'ml/inference' });
        expect(r.isError).toBeFalsy();
        const seen = t.sb.requestLog.entries(e => e.listener === 'registry:contosoacr').map(e => `${e.method} ${e.path} ${e.status}`);
        expect(seen).toEqual(['POST /oauth2/token 401', 'POST /oauth2/exchange 200', 'POST /oauth2/token 200', 'GET /acr/v1/ml/inference/_streaming 200']);
    });

    it('a refresh token refused twice is a clear "not authenticated" error, after one new exchange', async () => {
        t = await startSandboxApp();
        t.sb.faults.add({ method: 'POST', path: '/oauth2/token', registry: 'contosoacr', action: 'expired-token' });
        const r = await t.call('acr_get_repository_streaming', { registry: 'contosoacr', repository: 'ml/trainer' });
        expect(r.isError).toBe(true);
        expect(r.content[0]?.text).toMatch(/not authenticated[\s\S]*Code: UNAUTHENTICATED/);
        expect(count(t.sb, '/oauth2/exchange')).toBe(2);
        expect(count(t.sb, '/oauth2/token')).toBe(2);
    });

    it('a 401 on a data call (forced) is answered by one re-exchange and one retry', async () => {
        t = await startSandboxApp();
        await t.call('acr_get_repository_streaming', { registry: 'contosoacr', repository: 'ml/trainer' });
        t.sb.faults.add({ method: 'GET', path: '/acr/v1/ml/trainer/_streaming', registry: 'contosoacr', status: 401, times: 1 });
        const r = await t.call('acr_get_repository_streaming', { registry: 'contosoacr', repository: 'ml/trainer' });
        expect(r.structuredContent).toMatchObject({ convertPushedImages: true });
        expect(count(t.sb, '/oauth2/exchange')).toBe(2);
    });

    it('falls back to the ACR audience when the registry refuses the ARM-audience token', async () => {
        sb = await startSandbox();
        const scopes: string[] = [];
        const base = sandboxCredential(sb.tenantId);
        const credential = { getToken: async (s: string | string[], o?: object) => (scopes.push(String(s)), base.getToken(s, o)) };
        const azure = await createAzureAccess(azureOptionsForSandbox(sb, { credential, retry: FAST_RETRY }));
        sb.faults.add({ method: 'POST', path: '/oauth2/exchange', registry: 'contosoacr', status: 401, times: 1 });
        const reg = await azure.findRegistry('contosoacr', { abortSignal: signal });
        expect(await azure.getRepositoryStreaming(reg, 'web/frontend', { abortSignal: signal })).toEqual({ convertPushedImages: true });
        expect(scopes.filter(s => !s.includes('management'))).toEqual(['https://containerregistry.azure.net/.default']);
        expect(count(sb, '/oauth2/exchange')).toBe(2);
    });

    it('shares one exchange between concurrent calls', async () => {
        sb = await startSandbox();
        const azure = await createAzureAccess(azureOptionsForSandbox(sb, { retry: FAST_RETRY }));
        const reg = await azure.findRegistry('contosoacr', { abortSignal: signal });
        await Promise.all(['ml/trainer', 'ml/inference', 'web/frontend', 'edge/agent'].map(r => azure.getRepositoryStreaming(reg, r, { abortSignal: signal })));
        expect(count(sb, '/oauth2/exchange')).toBe(1);
        expect(count(sb, '/v2/')).toBe(1);
    });

    it('many 401s for one stale multi-scope token cost one re-exchange and one token request', async () => {
        let serverClock = Date.now();
        sb = await startSandbox({ now: () => serverClock });
        const frozen = Date.now(); // our clock stands still: the cached shared token looks valid to us
        const azure = await createAzureAccess(azureOptionsForSandbox(sb, { now: () => frozen, credential: sandboxCredential(sb.tenantId, () => serverClock), retry: FAST_RETRY }));
        const reg = await azure.findRegistry('contosoacr', { abortSignal: signal });
        const { repositories } = await azure.listRepositories(reg, { n: 50, abortSignal: signal });
        await azure.authorizeRepositories(reg, repositories, { abortSignal: signal });
        const first = await Promise.all(repositories.map(r => azure.getRepositoryStreaming(reg, r, { abortSignal: signal })));
        expect(count(sb, '/oauth2/token')).toBe(2); // catalog + every repository at once
        serverClock += 5 * 60 * 60_000;
        sb.requestLog.clear();
        await azure.authorizeRepositories(reg, repositories, { abortSignal: signal }); // cached: no request
        const again = await Promise.all(repositories.map(r => azure.getRepositoryStreaming(reg, r, { abortSignal: signal })));
        expect(again).toEqual(first);
        const streaming = sb.requestLog.entries(e => e.path.endsWith('/_streaming'));
        expect(streaming.filter(e => e.status === 401)).toHaveLength(repositories.length);
        expect(streaming.filter(e => e.status === 200)).toHaveLength(repositories.length);
        expect(count(sb, '/oauth2/exchange')).toBe(1);
        expect(count(sb, '/oauth2/token')).toBe(1);
    });

    it('a caller joining a multi-scope token request whose starter cancels still gets its token', async () => {
        sb = await startSandbox({ behaviour: { latencyMs: 40 } });
        const azure = await createAzureAccess(azureOptionsForSandbox(sb, { retry: FAST_RETRY }));
        const reg = await azure.findRegistry('contosoacr', { abortSignal: signal });
        const starter = new AbortController();
        const batch = azure.authorizeRepositories(reg, ['ml/trainer', 'ml/inference', 'web/frontend'], { abortSignal: starter.signal });
        await new Promise(r => setTimeout(r, 10)); // the batch is waiting on the challenge
        const joiner = azure.getRepositoryStreaming(reg, 'ml/trainer', { abortSignal: signal });
        starter.abort();
        await expect(batch).rejects.toThrow();
        expect(await joiner).toEqual({ convertPushedImages: true });
    });

    it('single-scope mode (maxScopesPerToken 1) asks for one token per repository, as before', async () => {
        sb = await startSandbox();
        const azure = await createAzureAccess(azureOptionsForSandbox(sb, { retry: FAST_RETRY, maxScopesPerToken: 1 }));
        const reg = await azure.findRegistry('contosoacr', { abortSignal: signal });
        await azure.authorizeRepositories(reg, ['ml/trainer', 'ml/inference'], { abortSignal: signal });
        expect(count(sb, '/oauth2/token')).toBe(0);
        await Promise.all(['ml/trainer', 'ml/inference'].map(r => azure.getRepositoryStreaming(reg, r, { abortSignal: signal })));
        expect(count(sb, '/oauth2/token')).toBe(2);
    });
});
