/** The selected cloud decides the ARM token audience and which login servers may receive tokens. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAzureAccess } from '../../src/azure/azure-access.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { azureOptionsForSandbox, sandboxCredential } from '../../src/wiring/sandbox-azure.js';
import { FAST_RETRY } from '../helpers/sandbox-app.js';

let sb: Sandbox;
const signal = new AbortController().signal;
beforeAll(async () => {
    sb = await startSandbox();
});
afterAll(async () => sb?.close());

it('asks Entra for the China ARM audience and refuses azurecr.io hosts in the China cloud', async () => {
    const scopes: string[] = [];
    const base = sandboxCredential(sb.tenantId);
    const azure = await createAzureAccess(
        azureOptionsForSandbox(sb, { cloud: 'AzureChinaCloud', retry: FAST_RETRY, credential: { getToken: async (s, o) => (scopes.push(String(s)), base.getToken(s, o)) } })
    );
    const regs = await azure.listRegistries({ abortSignal: signal });
    expect(regs.map(r => r.name)).toContain('contosoacr');
    expect(new Set(scopes)).toEqual(new Set(['https://management.chinacloudapi.cn/.default']));
    sb.requestLog.clear();
    await expect(azure.getRepositoryStreaming(regs.find(r => r.name === 'contosoacr')!, 'ml/trainer', { abortSignal: signal })).rejects.toThrow(/Refused to contact/);
    expect(sb.requestLog.entries(e => e.listener.startsWith('registry:'))).toHaveLength(0);
});

it('the public cloud uses the public ARM audience for ARM and for the exchange', async () => {
    const scopes: string[] = [];
    const base = sandboxCredential(sb.tenantId);
    const azure = await createAzureAccess(azureOptionsForSandbox(sb, { retry: FAST_RETRY, credential: { getToken: async (s, o) => (scopes.push(String(s)), base.getToken(s, o)) } }));
    const reg = await azure.findRegistry('contosoacr', { abortSignal: signal });
    await azure.getRepositoryStreaming(reg, 'ml/trainer', { abortSignal: signal });
    expect(new Set(scopes)).toEqual(new Set(['https://management.azure.com/.default']));
});
