import { afterAll, describe, expect, it } from 'vitest';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1HttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createAzureAccess } from '../../src/azure/azure-access.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { azureOptionsForSandbox } from '../../src/wiring/sandbox-azure.js';
import { serveHttpForSuite } from '../helpers/http-suite.js';
import { testApp } from '../helpers/mcp.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { FAST_RETRY } from '../helpers/sandbox-app.js';
import { waitFor } from '../helpers/wait-for.js';

const SLOW_MS = 8_000;
let sb: Sandbox;
const http = serveHttpForSuite({ host: '127.0.0.1', maxBodyBytes: 1 << 20, maxSessions: 10, sessionIdleMs: 60_000 }, async () => {
    sb = await startSandbox();
    return testApp({}, { azure: () => createAzureAccess(azureOptionsForSandbox(sb, { retry: { ...FAST_RETRY, timeoutMs: 30_000 } })) });
});
afterAll(() => sb?.close());

/** The ARM registry list answers only after SLOW_MS; a cancelled call must abort that request early. */
async function slowRegistryListAbortedEarly(cancel: (ac: AbortController) => Promise<unknown>) {
    sb.faults.clear();
    sb.requestLog.clear();
    sb.faults.add({ method: 'GET', path: '/subscriptions/*/providers/Microsoft.ContainerRegistry/registries', action: 'slow', delayMs: SLOW_MS, times: 1 });
    const ac = new AbortController();
    const call = cancel(ac);
    // Cancel once the request is held at the sandbox (its fault spent), however long a cold start took to send it.
    await waitFor(() => sb.faults.list().length === 0, 20_000, 'the ARM request to reach the sandbox');
    ac.abort('user pressed stop');
    // The client gives up with the abort reason: a 2025-era McpError -32001, a 2026-era SdkError REQUEST_TIMEOUT.
    await expect(call).rejects.toThrow(/user pressed stop/);
    // The server side stopped too: the slow ARM request was abandoned, well before the sandbox would have answered.
    const arm = await waitFor(() => {
        const hits = sb.requestLog.entries().filter(e => e.listener === 'arm' && e.path.endsWith('/registries'));
        return hits.length > 0 && hits;
    }, 20_000, 'the abandoned ARM request in the sandbox log');
    expect(arm.every(e => e.durationMs < SLOW_MS - 1000)).toBe(true);
}

describe('cancellation over HTTP reaches the tool and its Azure calls', () => {
    it('for a 2025-era client (sessionful)', async () => {
        const client = new V1Client({ name: 'v1', version: '1' });
        closeAfterTest(client);
        await client.connect(new V1HttpTransport(http.url));
        await slowRegistryListAbortedEarly(ac => client.callTool({ name: 'acr_list_registries', arguments: {} }, undefined, { signal: ac.signal }));
    });

    it('for a 2026-07-28 client', async () => {
        const client = new Client({ name: 'v2', version: '1' }, { versionNegotiation: { mode: 'auto' } });
        closeAfterTest(client);
        await client.connect(new StreamableHTTPClientTransport(http.url));
        expect(client.getProtocolEra()).toBe('modern');
        await slowRegistryListAbortedEarly(ac => client.callTool({ name: 'acr_list_registries', arguments: {} }, { signal: ac.signal }));
    });
});
