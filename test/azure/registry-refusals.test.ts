/**
 * A registry that refuses every request (throttled, failing, forbidden by network rules) is worded as what
 * it is, with the status and what to do, never as "did not answer like an Azure container registry".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSandboxApp, textOf, type SandboxApp } from '../helpers/sandbox-app.js';

let t: SandboxApp | undefined;
afterEach(async () => {
    await t?.close();
    t = undefined;
});

const cases = [
    { status: 429, retryAfterSeconds: 30, what: /was throttled/, why: /answered 429[\s\S]*Retry-After 30 s/, fix: /Fix: wait 30 seconds/, code: 'THROTTLED' },
    { status: 500, what: /contosoacr\.azurecr\.io had a server error/, why: /answered 500/, fix: /Fix: retry in a moment/, code: 'SERVER_ERROR' },
    { status: 503, what: /contosoacr\.azurecr\.io had a server error/, why: /answered 503/, fix: /Fix: retry in a moment/, code: 'SERVER_ERROR' },
    { status: 403, what: /was refused: forbidden/, why: /answered 403/, fix: /Fix: .*firewall rules/, code: 'FORBIDDEN' }
];

describe('a registry answering the same error on every path', () => {
    it.each(cases)('$status is worded as $code with the status and the fix', async c => {
        t = await startSandboxApp();
        t.sb.faults.add({ method: '*', path: '*', registry: 'contosoacr', status: c.status, ...(c.retryAfterSeconds ? { retryAfterSeconds: c.retryAfterSeconds } : {}) });
        const r = await t.call('acr_get_repository_streaming', { registry: 'contosoacr', repository: 'ml/trainer' });
        expect(r.isError).toBe(true);
        const text = textOf(r);
        expect(text).toMatch(c.what);
        expect(text).toMatch(c.why);
        expect(text).toMatch(c.fix);
        expect(text).toContain(`Code: ${c.code}`);
        expect(text).not.toMatch(/did not answer like an Azure container registry|check the registry name/);
        // The first request of a session is the challenge: it was the one refused.
        expect(t.sb.requestLog.entries(e => e.listener === 'registry:contosoacr').every(e => e.path === '/v2/')).toBe(true);
    });
});
