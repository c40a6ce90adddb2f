/**
 * Which answers the reliability policies retry (core-rest-pipeline's retryPolicy with our two strategies),
 * in a core-rest-pipeline pipeline holding only them, against a scripted local server: POSTs are repeated
 * only when safe (token requests) or when throttled; 501 is final; a Retry-After above the cap is not waited
 * for. (The data-plane transport adds the registry gate around them: registry-throttle.test.ts.)
 */
import { Agent } from 'node:https';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { reliabilityPolicies } from '../../src/azure/http-policies.js';
import { loadRest } from '../../src/azure/rest.js';
import { FAST_RETRY } from '../helpers/sandbox-app.js';
import { startCanary, type CannedResponse, type Canary } from './canary.js';

/** Answers per path, consumed in order; the last one repeats. */
let script: Record<string, CannedResponse[]> = {};
let registry: Canary;
beforeAll(async () => {
    registry = await startCanary(path => {
        const answers = script[path.split('?')[0]!] ?? [{ status: 404 }];
        return answers.length > 1 ? answers.shift()! : answers[0]!;
    });
});
afterAll(async () => registry?.close());
beforeEach(() => {
    script = {};
    registry.requests.length = 0;
});

async function send(method: 'GET' | 'POST', path: string) {
    const rest = await loadRest();
    const pipeline = rest.createPipelineFromOptions({ agent: new Agent({ ca: registry.caPem }), retryOptions: { maxRetries: 0 }, redirectOptions: { maxRetries: 0 } });
    for (const policy of reliabilityPolicies(rest, FAST_RETRY)) pipeline.addPolicy(policy);
    const request = rest.createPipelineRequest({ url: `${registry.origin}${path}`, method, ...(method === 'POST' ? { body: 'x=1' } : {}), abortSignal: new AbortController().signal });
    return pipeline.sendRequest(rest.createDefaultHttpClient(), request);
}

it('a token POST is safe to repeat: a 500 is retried', async () => {
    script['/oauth2/token'] = [{ status: 500 }, { status: 200, body: '{}' }];
    expect((await send('POST', '/oauth2/token')).status).toBe(200);
    expect(registry.requests).toEqual(['POST /oauth2/token', 'POST /oauth2/token']);
});

it('any other POST is not repeated on a 500, only on throttling', async () => {
    script['/acr/v1/app/_streaming'] = [{ status: 500 }];
    expect((await send('POST', '/acr/v1/app/_streaming')).status).toBe(500);
    expect(registry.requests).toHaveLength(1);
    script['/acr/v1/app/_streaming'] = [{ status: 429, headers: { 'retry-after': '0' } }, { status: 202 }];
    expect((await send('POST', '/acr/v1/app/_streaming')).status).toBe(202);
    expect(registry.requests).toHaveLength(3);
});

it('501 is final; a 503 whose Retry-After exceeds the cap is returned at once', async () => {
    script['/v2/'] = [{ status: 501 }];
    expect((await send('GET', '/v2/')).status).toBe(501);
    expect(registry.requests).toHaveLength(1);
    script['/v2/'] = [{ status: 503, headers: { 'retry-after': String(FAST_RETRY.maxRetryAfterMs / 1000 + 60) } }];
    expect((await send('GET', '/v2/')).status).toBe(503);
    expect(registry.requests).toHaveLength(2);
});

it('a 429 without Retry-After backs off and retries, up to maxRetries', async () => {
    script['/v2/'] = [{ status: 429 }];
    expect((await send('GET', '/v2/')).status).toBe(429);
    expect(registry.requests).toHaveLength(FAST_RETRY.maxRetries + 1);
});
