/**
 * Where tokens may go, and that nothing secret leaks. A canary HTTPS server stands in for every host
 * that must never be contacted; every endpoint the sandbox does not know resolves to it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcrSession } from '../../src/azure/acr-auth.js';
import { AcrTransport } from '../../src/azure/acr-transport.js';
import { CLOUDS } from '../../src/azure/cloud.js';
import { createLogger } from '../../src/log.js';
import { sandboxCredential } from '../../src/wiring/sandbox-azure.js';
import { FAST_RETRY, startSandboxApp, textOf, type SandboxApp } from '../helpers/sandbox-app.js';
import { startCanary, type Canary } from './canary.js';

let canary: Canary;
let t: SandboxApp;
const logs: string[] = [];

beforeAll(async () => {
    canary = await startCanary();
    const known = new Map<string, string>();
    t = await startSandboxApp({
        log: createLogger('debug', line => logs.push(line)),
        azure: {
            // Every host the sandbox does not serve goes to the canary: any request there is a leak.
            resolveEndpoint: host => known.get(host) ?? canary.origin
        }
    });
    for (const [host, origin] of Object.entries(t.sb.registryEndpoints)) known.set(host, origin);
});
afterAll(async () => {
    await t?.close();
    await canary?.close();
});

describe('hostile image references are refused before any network call', () => {
    it.each([
        'evil.example.com/a:1',
        'x.azurecr.io.evil.example.com/a:1',
        'contosoacr.azurecr.io/../a:1',
        'contosoacr.azurecr.io/' + 'a'.repeat(10_240) + ':1',
        'contosoacr.azurecr.io/a:1\r\nX-Evil: 1',
        'contosoacr.azurecr.io/a@sha256:nothex',
        'user@contosoacr.azurecr.io/a:1',
        'contosoacr.azurecr.io:8443/a:1'
    ])('%s', async image => {
        t.sb.requestLog.clear();
        const r = await t.call('acr_inspect_image', { image });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toContain('contosoacr.azurecr.io/ml/trainer:v1');
        expect(textOf(r).length).toBeLessThan(1_000);
        expect(t.sb.requestLog.entries()).toHaveLength(0);
        expect(canary.connections).toBe(0);
    });

    it('a registry name with a suffix or path is refused', async () => {
        for (const registry of ['contosoacr.azurecr.io', '../contosoacr', 'evil.example.com']) {
            const r = await t.call('acr_get_repository_streaming', { registry });
            expect(r.isError).toBe(true);
            expect(textOf(r)).toContain('contosoacr');
        }
        const r = await t.call('acr_get_repository_streaming', { registry: 'contosoacr', repository: '../../etc' });
        expect(r.isError).toBe(true);
        expect(canary.connections).toBe(0);
    });
});

describe('tokens only go to ARM and to login servers ARM reported', () => {
    it('a well-formed login server that ARM did not report gets no request, even when it resolves', async () => {
        const r = await t.call('acr_inspect_image', { image: 'canaryacr01.azurecr.io/app:v1' });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/Registry "canaryacr01" was not found[\s\S]*visible: contosoacr, fabrikamstd, woodgrovecmk/);
        expect(canary.connections).toBe(0);
    });

    it('a challenge whose realm points elsewhere is refused before the Entra token is sent', async () => {
        // A "registry" that ARM would have reported, whose challenge names the canary as token endpoint.
        const rogue = await startCanary((path, origin) => ({ status: 401, headers: { 'www-authenticate': `Bearer realm="${canary.origin}/oauth2/token",service="rogueacr01.azurecr.io"` }, body: origin && path }));
        try {
            let tokensIssued = 0;
            const { Agent } = await import('node:https');
            const transport = new AcrTransport({
                agent: new Agent({ ca: rogue.caPem }),
                retry: FAST_RETRY,
                resolveEndpoint: host => (host === 'rogueacr01.azurecr.io' ? rogue.origin : canary.origin),
                isAllowedHost: host => host === 'rogueacr01.azurecr.io'
            });
            const credential = sandboxCredential('t');
            const session = new AcrSession(
                'rogueacr01.azurecr.io',
                { cloud: CLOUDS.AzureCloud, credential: { getToken: async (s, o) => (tokensIssued++, credential.getToken(s, o)) }, transport, skewMs: 0, now: Date.now },
                false
            );
            await expect(session.accessToken('repository:a:pull', { abortSignal: new AbortController().signal })).rejects.toThrow(/Refused the token endpoint/);
            expect(rogue.requests).toEqual(['GET /v2/']);
            expect(tokensIssued).toBe(0);
            expect(canary.connections).toBe(0);
        } finally {
            await rogue.close();
        }
    });

    it('an untrusted certificate is a clear ToolError, not an unexpected failure', async () => {
        const untrusted = await startSandboxApp({ azure: { caPem: canary.caPem } });
        try {
            const r = await untrusted.call('acr_list_registries', {});
            expect(r.isError).toBe(true);
            expect(textOf(r)).toMatch(/TLS[\s\S]*Fix:/);
            expect(textOf(r)).not.toContain('unexpectedly');
        } finally {
            await untrusted.close();
        }
    });

    it('the transport refuses hosts outside the allow-list, userinfo, ports and plain http', () => {
        const transport = new AcrTransport({ retry: FAST_RETRY, isAllowedHost: h => h === 'contosoacr.azurecr.io' });
        for (const url of ['https://evil.example.com/', 'https://u:p@contosoacr.azurecr.io/', 'https://contosoacr.azurecr.io:444/', 'http://contosoacr.azurecr.io/']) {
            expect(() => transport.assertAllowed(new URL(url)), url).toThrow(/Refused to contact/);
        }
    });
});

describe('no token or secret in results, errors or logs', () => {
    it('after a session with successes and failures', async () => {
        const outputs: string[] = [];
        t.sb.faults.add({ method: 'GET', path: '/acr/v1/*/_streaming', registry: 'contosoacr', status: 401, times: 3 });
        for (const [name, args] of [
            ['acr_inspect_image', { image: 'contosoacr.azurecr.io/ml/trainer:v1' }],
            ['acr_get_repository_streaming', { registry: 'contosoacr', repository: 'ml/trainer' }],
            ['acr_get_repository_streaming', { registry: 'contosoacr' }],
            ['aks_get_streaming_status', { cluster: 'aks-prod', registry: 'contosoacr' }]
        ] as const) {
            const r = await t.call(name, args);
            outputs.push(JSON.stringify(r));
        }
        const all = [...outputs, ...logs].join('\n');
        expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}/); // JWT-shaped tokens (Entra, refresh, access)
        expect(all).not.toMatch(/sandbox-kube-[0-9a-f]{8}/);
        expect(all).not.toMatch(/(access|refresh)_token=[^[&\s]/);
        expect(canary.connections).toBe(0);
    });

    it('a credential failure is a ToolError naming what was tried and the fix', async () => {
        const failing = await startSandboxApp({
            azure: {
                tenant: 'contoso.onmicrosoft.com',
                tenantId: undefined,
                credential: {
                    getToken: async () => {
                        throw Object.assign(new Error('Azure CLI could not be found. Token eyJhbGciOiJub25lIn0.eyJleHAiOjF9.sig was stale'), { name: 'CredentialUnavailableError' });
                    }
                }
            }
        });
        try {
            const r = await failing.call('acr_list_registries', {});
            expect(r.isError).toBe(true);
            const text = textOf(r);
            expect(text).toMatch(/Could not get an Azure access token[\s\S]*tried the configured credential[\s\S]*az login --tenant contoso\.onmicrosoft\.com/);
            expect(text).not.toContain('eyJhbGciOiJub25lIn0.eyJleHAiOjF9');
            expect(text).not.toMatch(/\n\s+at /);
        } finally {
            await failing.close();
        }
    });
});
