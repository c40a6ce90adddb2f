/** --log-level debug is worth the advice the error texts give: each attempt with method, target, status, attempt number and the retry delay. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureAccess } from '../../src/azure/azure-access.js';
import { createLogger } from '../../src/log.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { azureOptionsForSandbox } from '../../src/wiring/sandbox-azure.js';
import { connect, testApp } from '../helpers/mcp.js';
import { FAST_RETRY } from '../helpers/sandbox-app.js';

let sb: Sandbox;
beforeAll(async () => {
    sb = await startSandbox();
});
afterAll(() => sb.close());

describe('debug logging of Azure requests', () => {
    it('logs every attempt (method, host/path without query values, status, attempt) and the delay before a retry', async () => {
        const lines: string[] = [];
        const app = await testApp({}, { log: createLogger('debug', l => lines.push(l)), azure: () => createAzureAccess(azureOptionsForSandbox(sb, { retry: FAST_RETRY })) });
        sb.faults.clear();
        sb.faults.add({ method: 'GET', path: '/subscriptions/*/providers/Microsoft.ContainerRegistry/registries', status: 503, times: 1 });
        const c = await connect(app);
        try {
            const r = await c.client.callTool({ name: 'acr_list_registries', arguments: {} });
            expect(r.isError).toBeFalsy();
        } finally {
            sb.faults.clear();
            await c.close();
        }
        const log = lines.join('\n');
        const target = String.raw`\S+/subscriptions/[0-9a-f-]+/providers/Microsoft\.ContainerRegistry/registries\?api-version`;
        expect(log).toMatch(new RegExp(String.raw`debug: acr_list_registries: GET ${target} -> 503 in \d+ ms \(attempt 1\)`));
        expect(log).toMatch(new RegExp(String.raw`debug: acr_list_registries: retrying GET ${target} in \d+ ms \(503; attempt 2 next\)`));
        expect(log).toMatch(new RegExp(String.raw`debug: acr_list_registries: GET ${target} -> 200 in \d+ ms \(attempt 2\)`));
        // Query values (api versions here, page markers and scopes elsewhere) are not logged.
        expect(log).not.toMatch(/api-version=/);
    });

    it('logs the Kubernetes API reads too', async () => {
        const lines: string[] = [];
        const app = await testApp({}, { log: createLogger('debug', l => lines.push(l)), azure: () => createAzureAccess(azureOptionsForSandbox(sb, { retry: FAST_RETRY })) });
        const c = await connect(app);
        try {
            const r = await c.client.callTool({ name: 'streaming_scan_cluster', arguments: { cluster: 'aks-prod', limit: 5 } });
            expect(r.isError).toBeFalsy();
        } finally {
            await c.close();
        }
        expect(lines.join('\n')).toMatch(/debug: streaming_scan_cluster: GET \S+\/api\/v1\/pods -> 200 in \d+ ms \(attempt 1\)/);
    });
});
