/**
 * Sign-in per the MCP authorization spec (--auth entra): protected-resource metadata (RFC 9728), the 401
 * challenge pointing at it, and local validation of Entra access tokens (signature against the tenant's JWKS
 * with rotation, iss, aud, tid, exp/nbf, scope), against the sandbox's emulated Entra tenant.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { initializeBody, MCP_HEADERS } from '../helpers/http-raw.js';
import { startTeamServer, type TeamServer } from '../helpers/team-server.js';

let ts: TeamServer;
beforeAll(async () => {
    ts = await startTeamServer();
});
afterAll(() => ts.close());

/** A 2025-era initialize: the smallest request that reaches MCP (every guard passed) and answers 200. */
const initialize = initializeBody();

async function post(token: string | undefined) {
    return fetch(ts.url, {
        method: 'POST',
        headers: { ...MCP_HEADERS, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: initialize
    });
}

describe('protected-resource metadata and the challenge', () => {
    it('publishes RFC 9728 metadata naming the tenant as authorization server and the scope to request', async () => {
        const res = await fetch(new URL('/.well-known/oauth-protected-resource/mcp', ts.url));
        expect(res.status).toBe(200);
        const meta = (await res.json()) as Record<string, unknown>;
        expect(meta).toMatchObject({
            resource: ts.url.href,
            authorization_servers: [`${ts.sb.entra.authorityHost}/${ts.sb.entra.tenantId}/v2.0`],
            scopes_supported: [`api://${ts.sb.entra.clientId}/Streaming.Access`],
            bearer_methods_supported: ['header']
        });
        const root = await fetch(new URL('/.well-known/oauth-protected-resource', ts.url));
        expect(await root.json()).toEqual(meta);
    });

    it('answers a request without a token with 401 and WWW-Authenticate resource_metadata', async () => {
        const res = await post(undefined);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${new URL('/.well-known/oauth-protected-resource/mcp', ts.url).href}"`);
    });
});

describe('token validation', () => {
    it('lets a signed-in user list tools', async () => {
        const client = await ts.connectAs('operator');
        const { tools } = await client.listTools();
        expect(tools.map(t => t.name)).toContain('acr_list_registries');
    });

    it.each([
        ['a token for another audience (ARM)', { audience: 'https://management.azure.com' }, /another resource \(audience\)/],
        ['an expired token', { ageSeconds: 7200, lifetimeSeconds: 3600 }, /expired/],
        ['a token of another tenant', { tenantId: '99999999-9999-4999-8999-999999999999' }, /another authority|another tenant/],
        ['a token that is not valid yet', { ageSeconds: -600 }, /not valid yet/]
    ])('refuses %s with 401 invalid_token', async (_what, mint, message) => {
        const res = await post(await ts.sb.entra.userToken('reader', mint));
        expect(res.status).toBe(401);
        const challenge = res.headers.get('www-authenticate') ?? '';
        expect(challenge).toContain('resource_metadata="');
        expect(challenge).toContain('error="invalid_token"');
        expect(challenge).toMatch(message);
    });

    it('accepts a token within the clock skew of its expiry', async () => {
        const res = await post(await ts.sb.entra.userToken('reader', { ageSeconds: 3630, lifetimeSeconds: 3600 }));
        expect(res.status).toBe(200);
    });

    it('refuses a token without the required scope with 403 insufficient_scope', async () => {
        const res = await post(await ts.sb.entra.userToken('reader', { scope: 'User.Read' }));
        expect(res.status).toBe(403);
        expect(res.headers.get('www-authenticate')).toMatch(/error="insufficient_scope".*scope="api:\/\/.+\/Streaming\.Access"/);
    });

    it('refuses a token signed by a key the tenant does not publish (forged)', async () => {
        const good = await ts.sb.entra.userToken('operator');
        const claims = JSON.parse(Buffer.from(good.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'forged-key' }).sign(privateKey);
        const res = await post(forged);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/key the tenant does not publish/);
        const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${good.split('.')[1]}.`;
        expect((await post(unsigned)).status).toBe(401);
    });

    it('follows a signing-key rotation and reads the keys from Entra only when a new key appears, never per request', async () => {
        const fetchesOf = (path: RegExp) => ts.sb.requestLog.entries(e => e.listener === 'entra' && path.test(e.path)).length;
        const before = fetchesOf(/\/discovery\/v2\.0\/keys$/);
        for (let i = 0; i < 5; i++) expect((await post(await ts.sb.entra.userToken('reader'))).status).toBe(200);
        expect(fetchesOf(/\/discovery\/v2\.0\/keys$/)).toBe(before);
        ts.sb.entra.rotateKeys();
        for (let i = 0; i < 3; i++) expect((await post(await ts.sb.entra.userToken('reader'))).status).toBe(200);
        expect(fetchesOf(/\/discovery\/v2\.0\/keys$/)).toBe(before + 1);
        expect(fetchesOf(/openid-configuration$/)).toBe(1);
    });
});

describe('2025-era sessions', () => {
    it("belong to the user who opened them: another user's token with that session id gets 404", async () => {
        const operatorToken = await ts.sb.entra.userToken('operator');
        const client = new Client({ name: 'legacy', version: '1' }, { versionNegotiation: { mode: 'legacy' } });
        closeAfterTest(client);
        const transport = new StreamableHTTPClientTransport(ts.url, { requestInit: { headers: { Authorization: `Bearer ${operatorToken}` } } });
        await client.connect(transport);
        const sid = transport.sessionId ?? '';
        expect(sid).not.toBe('');
        const asOther = (token: string) =>
            fetch(ts.url, {
                method: 'POST',
                headers: { ...MCP_HEADERS, authorization: `Bearer ${token}`, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' },
                body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: {} })
            });
        expect((await asOther(await ts.sb.entra.userToken('reader'))).status).toBe(404);
        expect((await asOther(operatorToken)).status).toBe(200);
    });
});

describe('when the tenant cannot be read', () => {
    it('answers 503 with Retry-After (not 401: the token may be fine) and recovers on the next request', async () => {
        const down = await startTeamServer({ sandbox: { behaviour: { faults: [{ path: '*/openid-configuration', status: 503, times: 1 }] } } });
        try {
            const token = await down.sb.entra.userToken('reader');
            const send = () => fetch(down.url, { method: 'POST', headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` }, body: initialize });
            const first = await send();
            expect(first.status).toBe(503);
            expect(first.headers.get('retry-after')).toBe('5');
            expect((await send()).status).toBe(200);
        } finally {
            await down.close();
        }
    });
});
