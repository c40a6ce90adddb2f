/**
 * The ACR token exchange against the sandbox: challenge, exchange, token, scope checks, expiry, and
 * the Basic-auth GET /oauth2/token that docker-style clients use.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeJwt } from '../../../src/sandbox/acr/jwt.js';
import { fakeEntraToken } from '../../helpers/credentials.js';
import { createAcrTestClient, type AcrTestClient } from './acr-client.js';
import { startAcrHarness, testClock, type AcrHarness } from './harness.js';
import { testWorld } from './test-world.js';

const clock = testClock();
let h: AcrHarness;
let c: AcrTestClient;

const form = (o: Record<string, string>) => ({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(o).toString() });

beforeAll(async () => {
    h = await startAcrHarness({ world: testWorld(), now: clock.now });
    c = createAcrTestClient(h);
});
afterAll(() => h.close());

describe('GET /v2/ challenge', () => {
    it('answers 401 with the Bearer challenge naming the realm and service when no token is sent', async () => {
        const r = await c.raw('GET', '/v2/');
        expect(r.status).toBe(401);
        expect(r.headers['www-authenticate']).toBe(`Bearer realm="${h.origin}/oauth2/token",service="contosoacr.azurecr.io"`);
        expect(r.json().errors[0].code).toBe('UNAUTHORIZED');
        expect(r.headers['docker-distribution-api-version']).toBe('registry/2.0');
    });

    it('answers 200 {} with any valid access token', async () => {
        const token = await c.accessToken('repository:app:pull');
        const r = await c.raw('GET', '/v2/', { token });
        expect(r.status).toBe(200);
        expect(r.json()).toEqual({});
    });

    it('refuses an Entra token sent directly as bearer (it was not issued by the registry)', async () => {
        const r = await c.raw('GET', '/v2/', { token: fakeEntraToken() });
        expect(r.status).toBe(401);
        expect(r.headers['www-authenticate']).toContain('error="invalid_token"');
    });
});

describe('POST /oauth2/exchange', () => {
    it('returns a 3-part JWT refresh token with exp, aud = service, and the tenant', async () => {
        const rt = await c.refreshToken();
        expect(rt.split('.')).toHaveLength(3);
        const claims = decodeJwt(rt)!;
        expect(claims.aud).toBe('contosoacr.azurecr.io');
        expect(claims.grant_type).toBe('refresh_token');
        expect(claims.tenant).toBe('tenant-1');
        expect(claims.sub).toBe('user-1');
        expect(claims.exp! - Math.floor(clock.now() / 1000)).toBe(3 * 3600);
    });

    it('refuses a missing, empty or expired Entra token with 401 and an ACR error body', async () => {
        const base = { grant_type: 'access_token', service: h.loginServer, tenant: 'tenant-1' };
        for (const fields of [base, { ...base, access_token: '' }, { ...base, access_token: fakeEntraToken(Math.floor(clock.now() / 1000) - 10) }]) {
            const r = await c.raw('POST', '/oauth2/exchange', form(fields));
            expect(r.status).toBe(401);
            expect(r.json().errors[0].code).toBe('UNAUTHORIZED');
        }
    });

    it('accepts a non-JWT Entra token string (static test credentials)', async () => {
        const r = await c.raw('POST', '/oauth2/exchange', form({ grant_type: 'access_token', service: h.loginServer, access_token: 'fake-token' }));
        expect(r.status).toBe(200);
    });

    it('refuses a service that is not this registry with 400', async () => {
        const r = await c.raw('POST', '/oauth2/exchange', form({ grant_type: 'access_token', service: 'other.azurecr.io', access_token: fakeEntraToken() }));
        expect(r.status).toBe(400);
        expect(r.json().errors[0].message).toContain('other.azurecr.io');
    });

    it('re-issues a refresh token for grant_type=refresh_token, and refuses a foreign one', async () => {
        const rt = await c.refreshToken();
        const ok = await c.raw('POST', '/oauth2/exchange', form({ grant_type: 'refresh_token', service: h.loginServer, refresh_token: rt }));
        expect(ok.status).toBe(200);
        expect(decodeJwt(ok.json().refresh_token)!.grant_type).toBe('refresh_token');
        const bad = await c.raw('POST', '/oauth2/exchange', form({ grant_type: 'refresh_token', service: h.loginServer, refresh_token: fakeEntraToken() }));
        expect(bad.status).toBe(401);
    });
});

describe('POST /oauth2/token', () => {
    it('grants every requested scope in the access claim, with several scope parameters', async () => {
        const token = await c.accessToken('repository:app:pull,push', 'repository:ml/trainer:metadata_read', 'registry:catalog:*');
        const claims = decodeJwt(token)!;
        expect(claims.access).toEqual([
            { type: 'repository', name: 'app', actions: ['pull', 'push'] },
            { type: 'repository', name: 'ml/trainer', actions: ['metadata_read'] },
            { type: 'registry', name: 'catalog', actions: ['*'] }
        ]);
        expect(claims.exp! - claims.iat!).toBe(75 * 60);
    });

    it('refuses an unknown refresh token with 401', async () => {
        const r = await c.raw('POST', '/oauth2/token', form({ grant_type: 'refresh_token', service: h.loginServer, scope: 'repository:app:pull', refresh_token: 'x.y.z' }));
        expect(r.status).toBe(401);
    });
});

describe('scope checks', () => {
    it('a repository:app:pull token reads app but cannot push to it (401 naming pull,push)', async () => {
        const token = await c.accessToken('repository:app:pull');
        expect((await c.raw('GET', '/v2/app/manifests/amd64', { token })).status).toBe(200);
        const put = await c.raw('PUT', '/v2/app/manifests/new', { token, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: '{}' });
        expect(put.status).toBe(401);
        expect(put.headers['www-authenticate']).toContain('scope="repository:app:pull,push"');
        expect(put.headers['www-authenticate']).toContain('error="insufficient_scope"');
        expect(put.json().errors[0]).toMatchObject({ code: 'UNAUTHORIZED', detail: [{ Type: 'repository', Name: 'app', Action: 'push' }] });
        const upload = await c.raw('POST', '/v2/app/blobs/uploads/', { token });
        expect(upload.status).toBe(401);
    });

    it('a token for repository app cannot touch repository ml/trainer', async () => {
        const token = await c.accessToken('repository:app:*');
        const r = await c.raw('GET', '/v2/ml/trainer/manifests/v1', { token });
        expect(r.status).toBe(401);
        expect(r.headers['www-authenticate']).toContain('scope="repository:ml/trainer:pull"');
    });

    it('metadata routes need metadata_read; a pull token is refused', async () => {
        const pull = await c.accessToken('repository:app:pull');
        const r = await c.raw('GET', '/acr/v1/app/_tags', { token: pull });
        expect(r.status).toBe(401);
        expect(r.headers['www-authenticate']).toContain('scope="repository:app:metadata_read"');
        const meta = await c.accessToken('repository:app:metadata_read');
        expect((await c.raw('GET', '/acr/v1/app/_tags', { token: meta })).status).toBe(200);
    });

    it('_catalog needs registry:catalog:*', async () => {
        const token = await c.accessToken('repository:app:*');
        const r = await c.raw('GET', '/acr/v1/_catalog', { token });
        expect(r.status).toBe(401);
        expect(r.headers['www-authenticate']).toContain('scope="registry:catalog:*"');
        expect((await c.send('GET', '/acr/v1/_catalog')).status).toBe(200);
    });

    it('an expired access token gets the challenge again (invalid_token)', async () => {
        const token = await c.accessToken('repository:app:pull');
        clock.advance(76 * 60);
        const r = await c.raw('GET', '/v2/app/manifests/amd64', { token });
        expect(r.status).toBe(401);
        expect(r.headers['www-authenticate']).toContain('error="invalid_token"');
        expect(r.json().errors[0].message).toContain('expired');
    });

    it('the request log shows the real sequence: 401 challenge, exchange, token, retry', async () => {
        const before = h.requestLog.entries().length;
        expect((await c.send('GET', '/v2/app/tags/list')).status).toBe(200);
        await vi.waitFor(() => expect(h.requestLog.entries().length - before).toBe(4));
        const seq = h.requestLog.entries().slice(before).map(e => `${e.method} ${e.path} ${e.status}`);
        expect(seq).toEqual(['GET /v2/app/tags/list 401', 'POST /oauth2/exchange 200', 'POST /oauth2/token 200', 'GET /v2/app/tags/list 200']);
    });

    it('the full exchange runs through the core-rest-pipeline challenge policy', async () => {
        const r = await c.send('GET', '/v2/ml%2Ftrainer/manifests/v1', { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
        expect(r.status).toBe(200);
        expect(r.headers['content-type']).toBe('application/vnd.oci.image.manifest.v1+json');
    });
});

describe('GET /oauth2/token with Basic auth (docker login with an exposed ACR token)', () => {
    const basic = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });

    it('returns access_token and token for the 00000000-… user with a refresh token as password', async () => {
        const rt = await c.refreshToken();
        const r = await c.raw('GET', `/oauth2/token?service=${h.loginServer}&scope=repository:app:pull`, { headers: basic('00000000-0000-0000-0000-000000000000', rt) });
        expect(r.status).toBe(200);
        const body = r.json();
        expect(body.token).toBe(body.access_token);
        expect(decodeJwt(body.token)!.access).toEqual([{ type: 'repository', name: 'app', actions: ['pull'] }]);
        expect((await c.raw('GET', '/v2/app/tags/list', { token: body.token })).status).toBe(200);
    });

    it('refuses another user name or a bad password, and anonymous requests', async () => {
        const rt = await c.refreshToken();
        const q = `/oauth2/token?service=${h.loginServer}&scope=repository:app:pull`;
        expect((await c.raw('GET', q, { headers: basic('admin', rt) })).status).toBe(401);
        expect((await c.raw('GET', q, { headers: basic('00000000-0000-0000-0000-000000000000', 'nope') })).status).toBe(401);
        expect((await c.raw('GET', q)).status).toBe(401);
    });
});

describe('anonymous pull', () => {
    it('grants pull-only tokens without credentials when the registry allows anonymous pull', async () => {
        const anon = await startAcrHarness({ world: testWorld({ anonymousPullEnabled: true }) });
        try {
            const ac = createAcrTestClient(anon);
            const r = await ac.raw('GET', `/oauth2/token?service=${anon.loginServer}&scope=repository:app:pull,push`);
            expect(r.status).toBe(200);
            expect(decodeJwt(r.json().token)!.access).toEqual([{ type: 'repository', name: 'app', actions: ['pull'] }]);
        } finally {
            await anon.close();
        }
    });
});
