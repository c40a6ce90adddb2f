import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { httpsRequest } from '../helpers/https.js';

let sb: Sandbox;
beforeAll(async () => {
    sb = await startSandbox();
});
afterAll(async () => {
    await sb?.close();
});

/** One HTTPS call to a registry listener under its real login server name, trusting only the sandbox CA. */
async function call(loginServer: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
    const r = await httpsRequest(`${sb.registryEndpoints[loginServer]}${path}`, method, { ca: sb.caPem, servername: loginServer, headers, ...(body ? { body } : {}) });
    return { ...r, body: r.text };
}

/** The ACR token exchange (Entra token → refresh token → access token), then the manifest's digest. */
async function manifestDigest(loginServer: string, repo: string, ref: string): Promise<string> {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const ex = await call(loginServer, 'POST', '/oauth2/exchange', form, new URLSearchParams({ grant_type: 'access_token', service: loginServer, access_token: 'sandbox-token' }).toString());
    const refresh = JSON.parse(ex.body).refresh_token as string;
    const tok = await call(loginServer, 'POST', '/oauth2/token', form, new URLSearchParams({ grant_type: 'refresh_token', service: loginServer, scope: `repository:${repo}:pull`, refresh_token: refresh }).toString());
    const access = JSON.parse(tok.body).access_token as string;
    const res = await call(loginServer, 'HEAD', `/v2/${repo}/manifests/${ref}`, {
        authorization: `Bearer ${access}`,
        accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json'
    });
    expect(res.status).toBe(200);
    return String(res.headers['docker-content-digest']);
}

describe('the demo world, end to end', () => {
    it("pins the digest-pulling pod to the digest the registry serves for ml/trainer:v1", async () => {
        const digest = await manifestDigest('contosoacr.azurecr.io', 'ml/trainer', 'v1');
        const pinned = sb.world.clusters.flatMap(c => c.pods).find(p => p.image.includes('@sha256:'))!;
        expect(pinned.image).toBe(`contosoacr.azurecr.io/ml/trainer@${digest}`);
    });
});
