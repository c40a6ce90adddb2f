import { waitFor } from '../helpers/wait-for.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { RequestLog } from '../../src/sandbox/http/request-log.js';
import { Faults, globToRegExp } from '../../src/sandbox/http/faults.js';
import { json } from '../../src/sandbox/http/types.js';
import { startListener } from '../../src/sandbox/server.js';
import { createCertificate } from '../../src/sandbox/tls.js';
import { httpsRequest } from '../helpers/https.js';
import { acrClient } from './sandbox-clients.js';
import { must } from '../helpers/must.js';

let sb: Sandbox | undefined;
afterEach(async () => {
    await sb?.close();
    sb = undefined;
});

const REGISTRY = '/subscriptions/*/resourceGroups/*/providers/Microsoft.ContainerRegistry/registries/*';

/** A raw HTTPS GET that verifies the certificate against the sandbox CA for the given server name. */
async function rawGet(s: Sandbox, origin: string, path: string, servername = 'localhost', headers: Record<string, string> = {}) {
    const r = await httpsRequest(`${origin}${path}`, 'GET', { ca: s.caPem, servername, headers });
    return { ...r, body: r.text };
}

/** One HTTPS request with a body, sent in `chunks` writes (no Content-Length when chunked). */
async function rawSend(origin: string, ca: string, method: string, path: string, chunks: Buffer[], headers: Record<string, string> = {}) {
    const r = await httpsRequest(`${origin}${path}`, method, { ca, chunks, headers });
    return { ...r, body: r.text };
}

describe('sandbox HTTPS front', () => {
    // Start-up time is measured side by side in bench/sandbox.bench.mjs, not asserted here.
    it('serves every endpoint with a certificate valid for its name', async () => {
        sb = await startSandbox();
        expect(Object.keys(sb.registryEndpoints).sort()).toEqual(['contosoacr.azurecr.io', 'fabrikamstd.azurecr.io', 'woodgrovecmk.azurecr.io']);
        for (const origin of [sb.armEndpoint, ...Object.values(sb.registryEndpoints), ...Object.values(sb.kubeEndpoints)]) {
            expect(origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        }
        // The registry keeps its real login server name: TLS verifies against it.
        const v2 = await rawGet(sb, must(sb.registryEndpoints['contosoacr.azurecr.io'], 'the contosoacr endpoint'), '/v2/', 'contosoacr.azurecr.io');
        expect(v2.status).toBe(401);
        const version = await rawGet(sb, must(sb.kubeEndpoints['aks-prod'], 'the aks-prod API server'), '/version');
        expect(JSON.parse(version.body).gitVersion).toBe('v1.30.5');
    });

    it('injects a 429 with Retry-After; the SDK retries and succeeds, and the log shows both', async () => {
        sb = await startSandbox({ behaviour: { faults: [{ method: 'GET', path: REGISTRY, status: 429, retryAfterSeconds: 0, times: 1 }] } });
        const reg = await acrClient(sb, { maxRetries: 2 }).registries.get('rg-registry', 'contosoacr');
        expect(reg.name).toBe('contosoacr');
        const log = sb.requestLog.entries(e => e.listener === 'arm');
        expect(log.map(e => [e.status, e.fault])).toEqual([
            [429, 'status'],
            [200, undefined]
        ]);
        expect(log[0]?.path).toBe('/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-registry/providers/Microsoft.ContainerRegistry/registries/contosoacr');
        expect(log[0]?.query).toMatch(/^api-version=/);
        expect(sb.faults.list()).toEqual([]);
    });

    it('answers a status fault with the error body of the endpoint kind and a Retry-After header', async () => {
        sb = await startSandbox();
        sb.faults.add({ path: '/v2/', registry: 'contosoacr', status: 503, retryAfterSeconds: 2 });
        sb.faults.add({ path: '/api/v1/*', status: 500, times: 1 });
        const hit = await rawGet(sb, must(sb.registryEndpoints['contosoacr.azurecr.io'], 'the contosoacr endpoint'), '/v2/', 'contosoacr.azurecr.io');
        expect(hit.status).toBe(503);
        expect(hit.headers['retry-after']).toBe('2');
        expect(JSON.parse(hit.body).errors[0].code).toBe('UNAVAILABLE');
        // Restricted to contosoacr: another registry is untouched.
        expect((await rawGet(sb, must(sb.registryEndpoints['fabrikamstd.azurecr.io'], 'the fabrikamstd endpoint'), '/v2/', 'fabrikamstd.azurecr.io')).status).toBe(401);
        const kube = await rawGet(sb, must(sb.kubeEndpoints['aks-prod'], 'the aks-prod API server'), '/api/v1/nodes');
        expect(JSON.parse(kube.body)).toMatchObject({ kind: 'Status', code: 500 });
        sb.faults.clear();
        expect((await rawGet(sb, must(sb.registryEndpoints['contosoacr.azurecr.io'], 'the contosoacr endpoint'), '/v2/', 'contosoacr.azurecr.io')).status).toBe(401);
    });

    it('answers a malformed fault with a 200 whose JSON breaks off, and an expired-token fault as each endpoint refuses a stale bearer', async () => {
        sb = await startSandbox();
        const registry = must(sb.registryEndpoints['contosoacr.azurecr.io'], 'the contosoacr endpoint');
        sb.faults.add({ path: '/v2/', registry: 'contosoacr', action: 'malformed', times: 1 });
        const broken = await rawGet(sb, registry, '/v2/', 'contosoacr.azurecr.io');
        expect(broken.status).toBe(200);
        expect(broken.headers['content-type']).toBe('application/json');
        expect(() => JSON.parse(broken.body)).toThrow();

        sb.faults.add({ path: '/v2/', registry: 'contosoacr', action: 'expired-token', times: 1 });
        sb.faults.add({ path: '/subscriptions', action: 'expired-token', times: 1 });
        sb.faults.add({ path: '/api/v1/nodes', action: 'expired-token', times: 1 });
        const acr = await rawGet(sb, registry, '/v2/', 'contosoacr.azurecr.io');
        expect(acr.status).toBe(401);
        expect(acr.headers['www-authenticate']).toBe(`Bearer realm="${registry}/oauth2/token",service="contosoacr.azurecr.io",error="invalid_token"`);
        expect(JSON.parse(acr.body).errors[0].code).toBe('UNAUTHORIZED');
        const arm = await rawGet(sb, sb.armEndpoint, '/subscriptions?api-version=2022-12-01');
        expect(arm.status).toBe(401);
        expect(arm.headers['www-authenticate']).toMatch(/error="invalid_token"/);
        expect(JSON.parse(arm.body).error.code).toBe('ExpiredAuthenticationToken');
        const kube = await rawGet(sb, must(sb.kubeEndpoints['aks-prod'], 'the aks-prod API server'), '/api/v1/nodes');
        expect(JSON.parse(kube.body)).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
        expect(sb.requestLog.entries().map(e => [e.status, e.fault])).toEqual([
            [200, 'status'],
            [401, 'status'],
            [401, 'status'],
            [401, 'status']
        ]);
    });

    it('resets the connection; a retrying SDK client recovers', async () => {
        sb = await startSandbox({ behaviour: { faults: [{ method: '*', path: REGISTRY, action: 'reset', times: 1 }] } });
        await expect(acrClient(sb).registries.get('rg-registry', 'contosoacr')).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|REQUEST_SEND_ERROR/) });
        sb.faults.add({ method: '*', path: REGISTRY, action: 'reset', times: 1 });
        expect((await acrClient(sb, { maxRetries: 2 }).registries.get('rg-registry', 'contosoacr')).name).toBe('contosoacr');
        expect(sb.requestLog.entries().map(e => [e.status, e.fault])).toEqual([
            [0, 'reset'],
            [0, 'reset'],
            [200, undefined]
        ]);
    });

    it('slows a request down, and stops waiting when the client goes away', async () => {
        sb = await startSandbox({ behaviour: { faults: [{ path: REGISTRY, action: 'slow', delayMs: 250, times: 1 }] } });
        const t0 = Date.now();
        await acrClient(sb).registries.get('rg-registry', 'contosoacr');
        expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
        expect(sb.requestLog.entries()[0]).toMatchObject({ status: 200, fault: 'slow' });

        sb.faults.add({ path: REGISTRY, action: 'slow' }); // default 10 s
        await expect(acrClient(sb).registries.get('rg-registry', 'contosoacr', { abortSignal: AbortSignal.timeout(100) })).rejects.toThrow();
        const abandoned = await waitFor(() => sb!.requestLog.entries()[1], 5_000, 'the abandoned request in the log');
        expect(abandoned).toMatchObject({ status: 0, fault: 'slow' });
    });

    it('adds latency to every response', async () => {
        sb = await startSandbox({ behaviour: { latencyMs: 120 } });
        await acrClient(sb).registries.get('rg-registry', 'contosoacr');
        expect(sb.requestLog.entries()[0]?.durationMs).toBeGreaterThanOrEqual(115);
        sb.world.behaviour.latencyMs = 0;
        await acrClient(sb).registries.get('rg-registry', 'contosoacr');
        expect(sb.requestLog.entries()).toHaveLength(2);
    });

    it('computes the critical-path depth of the logged requests', async () => {
        sb = await startSandbox({ behaviour: { latencyMs: 60 } });
        const client = acrClient(sb);
        await Promise.all([client.registries.get('rg-registry', 'contosoacr'), client.registries.get('rg-fabrikam', 'fabrikamstd')]);
        await client.registries.get('rg-woodgrove', 'woodgrovecmk');
        expect(sb.requestLog.entries()).toHaveLength(3);
        expect(sb.requestLog.depth()).toBe(2);
        sb.requestLog.clear();
        expect(sb.requestLog.depth()).toBe(0);
    });

    it('keeps only the latest requests, and says so rather than answer with part of what was asked', async () => {
        sb = await startSandbox({ requestLogCapacity: 2 });
        const client = acrClient(sb);
        const get = () => client.registries.get('rg-registry', 'contosoacr');
        await get();
        const marker = sb.requestLog.mark();
        await get();
        await get();
        expect(() => sb!.requestLog.entries()).toThrow(/1 of the 3 requests asked for fell out of its 2 entries; start the sandbox with requestLogCapacity ≥ 3/);
        expect(sb.requestLog.since(marker).map(e => e.status)).toEqual([200, 200]);
        sb.requestLog.clear();
        expect(() => sb!.requestLog.since(marker)).toThrow(/cleared after marker/);
        await get();
        expect(sb.requestLog.entries()).toHaveLength(1);
        expect(sb.requestLog.since(sb.requestLog.mark())).toEqual([]);
    });

    it('rejects a fault without status or action', async () => {
        sb = await startSandbox();
        expect(() => sb!.faults.add({ path: '/x' })).toThrow(/needs a "status" or an "action"/);
    });

    it('answers 413 to a body over the cap (declared or streamed) in the endpoint\'s error shape, then serves on', async () => {
        const cert = await createCertificate();
        const l = await startListener({
            id: 'arm',
            kind: 'arm',
            keyPem: cert.keyPem,
            certPem: cert.certPem,
            log: new RequestLog(),
            faults: new Faults(),
            latencyMs: () => 0,
            handlers: () => [req => json(200, { size: req.body.length })],
            maxBodyBytes: 1024
        });
        try {
            const big = Buffer.alloc(4096, 1);
            const declared = await rawSend(l.origin, cert.caPem, 'PUT', '/x', [big], { 'content-length': String(big.length) });
            expect(declared.status).toBe(413);
            expect(JSON.parse(declared.body).error.code).toBe('RequestEntityTooLarge');
            const streamed = await rawSend(l.origin, cert.caPem, 'PUT', '/x', [big.subarray(0, 1000), big.subarray(1000)]);
            expect(streamed.status).toBe(413);
            const fits = await rawSend(l.origin, cert.caPem, 'PUT', '/x', [big.subarray(0, 1024)]);
            expect(fits.status).toBe(200);
            expect(JSON.parse(fits.body)).toEqual({ size: 1024 });
        } finally {
            await l.close();
            await cert.dispose();
        }
    });

    it('survives malformed requests: bad escapes, bad JSON, unknown paths and methods', async () => {
        sb = await startSandbox();
        const arm = sb.armEndpoint;
        const auth = { authorization: 'Bearer x' };
        const pool = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-aks-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod/agentPools/gpupool?api-version=2025-01-01';
        const badJson = await rawSend(arm, sb.caPem, 'PUT', pool, [Buffer.from('{"properties": ')], { ...auth, 'content-type': 'application/json' });
        expect(badJson.status).toBe(400);
        expect(JSON.parse(badJson.body).error.code).toBe('InvalidRequestContent');
        const reg = must(sb.registryEndpoints['contosoacr.azurecr.io'], 'the contosoacr endpoint');
        const badEscape = await rawSend(reg, sb.caPem, 'GET', '/v2/%E0%A4%A/manifests/v1', []);
        expect(badEscape.status).toBeGreaterThanOrEqual(400);
        expect(badEscape.status).toBeLessThan(500);
        // (Node itself answers 400 to methods it does not know, such as BREW.)
        const unknown = await rawSend(arm, sb.caPem, 'PROPFIND', '/coffee?api-version=2025-01-01', [], auth);
        expect(unknown.status).toBe(404);
        expect(JSON.parse(unknown.body).error.code).toBe('InvalidResourceType');
        const kube = await rawSend(must(sb.kubeEndpoints['aks-prod'], 'the aks-prod API server'), sb.caPem, 'GET', '/api/v1/%ZZ', []);
        expect(JSON.parse(kube.body)).toMatchObject({ kind: 'Status', status: 'Failure' });
        // Still serving.
        expect((await rawGet(sb, must(sb.kubeEndpoints['aks-prod'], 'the aks-prod API server'), '/version')).status).toBe(200);
    });
});

describe('fault path globs and depth (units)', () => {
    it('matches * across slashes but anchors the whole path', () => {
        const re = globToRegExp('/acr/v1/*/_streaming');
        expect(re.test('/acr/v1/ml/trainer/_streaming')).toBe(true);
        expect(re.test('/acr/v1//_streaming')).toBe(false);
        expect(re.test('/acr/v1/ml/_streaming/sha256:abc')).toBe(false);
        expect(globToRegExp('/v2/').test('/V2/')).toBe(true);
    });

    it('depth counts the longest chain of non-overlapping requests', () => {
        const log = new RequestLog();
        const e = (start: number, end: number) => log.record({ listener: 'arm', method: 'GET', path: '/', query: '', status: 200, durationMs: end - start, start, end });
        e(0, 10);
        e(1, 9);
        e(10, 20);
        e(12, 30);
        e(21, 25);
        expect(log.depth()).toBe(3);
    });
});
