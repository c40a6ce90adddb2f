/**
 * Hostile or broken data-plane answers, against a minimal fake registry: token answers that are not JSON,
 * an index whose `manifests` is not a list, an operation record that is gone, and a shared token request
 * started by a caller who then cancels.
 */
import { Agent } from 'node:https';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { AcrSession } from '../../src/azure/acr-auth.js';
import { AcrClient } from '../../src/azure/acr-client.js';
import { AcrTransport } from '../../src/azure/acr-transport.js';
import { CLOUDS } from '../../src/azure/cloud.js';
import { toToolError } from '../../src/azure/errors.js';
import { describeManifest, inspectImage } from '../../src/azure/image-inspect.js';
import { parseImageRef } from '../../src/azure/names.js';
import { STREAMING_ARTIFACT_TYPE } from '../../src/streaming/media-types.js';
import { ToolError } from '../../src/tool-error.js';
import { sandboxCredential } from '../../src/wiring/sandbox-azure.js';
import { FAST_RETRY } from '../helpers/sandbox-app.js';
import { waitFor } from '../helpers/wait-for.js';
import { fakeJwt } from '../helpers/credentials.js';
import { startCanary, type CannedResponse, type Canary } from './canary.js';

const HOST = 'fakeacr01.azurecr.io';
const SECRET = 'opaque-secret-value-0123456789';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const OP_ID = '11111111-2222-3333-4444-555555555555';
const jwt = () => fakeJwt({ exp: Math.floor(Date.now() / 1000) + 3600 });
const json = (body: unknown, status = 200): CannedResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Per-test overrides of the fake registry's answers, by path. */
let overrides: Record<string, () => CannedResponse | Promise<CannedResponse>> = {};
let registry: Canary;
beforeAll(async () => {
    registry = await startCanary(path => {
        const o = overrides[path.split('?')[0]!];
        if (o) return o();
        if (path === '/v2/') return { status: 401, headers: { 'www-authenticate': `Bearer realm="https://${HOST}/oauth2/token",service="${HOST}"` } };
        if (path === '/oauth2/exchange') return json({ refresh_token: jwt() });
        if (path === '/oauth2/token') return json({ access_token: jwt() });
        return json({ errors: [{ code: 'NAME_UNKNOWN', message: 'unknown' }] }, 404);
    });
});
afterAll(async () => registry?.close());
beforeEach(() => {
    overrides = {};
});

function client(): AcrClient {
    const transport = new AcrTransport({ agent: new Agent({ ca: registry.caPem }), retry: FAST_RETRY, resolveEndpoint: h => (h === HOST ? registry.origin : undefined), isAllowedHost: h => h === HOST });
    const session = new AcrSession(HOST, { cloud: CLOUDS.AzureCloud, credential: sandboxCredential('t'), transport, skewMs: 60_000, now: Date.now }, false);
    return new AcrClient(session, transport);
}
const live = () => new AbortController().signal;

it.each(['/oauth2/exchange', '/oauth2/token'])('a 200 from %s that is not JSON is a clear error that does not quote the body', async path => {
    overrides[path] = () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: `refresh_token=${SECRET}` });
    const e = await client().repositoryStreaming('app', { abortSignal: live() }).catch(err => err);
    const translated = toToolError(e, { action: 'Reading app' });
    expect(translated).toBeInstanceOf(ToolError);
    expect((translated as ToolError).toText()).toMatch(/answered 502[\s\S]*no (refresh|access)_token in the answer/);
    expect((translated as ToolError).toText()).not.toContain(SECRET);
});

it('a caller whose shared token request was started by a caller who cancelled still gets its token', async () => {
    let release!: () => void;
    const gate = new Promise<void>(resolve => (release = resolve));
    let exchanges = 0;
    overrides['/oauth2/exchange'] = async () => {
        if (++exchanges === 1) await gate;
        return json({ refresh_token: jwt() });
    };
    overrides['/acr/v1/other/_streaming'] = () => json({ convertPushedImages: true });
    const c = client();
    const first = new AbortController();
    const cancelled = c.repositoryStreaming('app', { abortSignal: first.signal });
    // Another repository (its own access token) joins the first caller's exchange, held open by the gate;
    // then the first caller cancels.
    await waitFor(() => exchanges === 1);
    const second = c.repositoryStreaming('other', { abortSignal: live() });
    first.abort();
    release();
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
    await expect(second).resolves.toEqual({ convertPushedImages: true });
    expect(exchanges).toBe(2);
});

it('an index whose "manifests" is not a list has no referrers and no platforms; entries with a bad digest are never fetched', async () => {
    overrides[`/v2/app/referrers/${DIGEST}`] = () => json({ schemaVersion: 2, manifests: { digest: 'not-a-list' } });
    expect(await client().referrers('app', DIGEST, STREAMING_ARTIFACT_TYPE, { abortSignal: live() })).toEqual([]);
    const index = (manifests: unknown) => ({ digest: DIGEST, mediaType: 'application/vnd.oci.image.index.v1+json', body: { schemaVersion: 2, manifests } });
    expect((await describeManifest(client(), 'app', index({ digest: 'x' }), { abortSignal: live() })).platforms).toEqual([]);
    const before = registry.requests.length;
    const hostile = [null, 'x', { digest: '../../../v2/_catalog', platform: { os: 'linux', architecture: 'amd64' } }];
    expect((await describeManifest(client(), 'app', index(hostile), { abortSignal: live() })).platforms).toEqual([]);
    expect(registry.requests.slice(before)).toEqual([]);
});

it('an operation record the registry no longer keeps: the last conversion is still reported from _streaming/{digest}', async () => {
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 2 }, layers: [{ digest: `sha256:${'d'.repeat(64)}`, size: 100 }, null, { size: -5 }] });
    overrides['/v2/app/manifests/v1'] = () => ({ status: 200, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: manifest });
    overrides[`/v2/app/blobs/sha256:${'c'.repeat(64)}`] = () => json({ os: 'linux', architecture: 'amd64' });
    const c = client();
    const digest = (await c.manifest('app', 'v1', { abortSignal: live() }))!.digest;
    // _streaming/{digest} names an operation; _operations/{id} answers 404 (the default answer).
    overrides[`/acr/v1/app/_streaming/${digest}`] = () => json({ id: OP_ID, status: 'Failed' });
    overrides[`/v2/app/referrers/${digest}`] = () => json({ schemaVersion: 2, manifests: [] });
    const refs = registry.requests.length;
    const inspection = await inspectImage(c, parseImageRef(`${HOST}/app:v1`, CLOUDS.AzureCloud), { abortSignal: live() });
    expect(registry.requests.slice(refs)).toContain(`GET /acr/v1/app/_operations/${OP_ID}`);
    expect(inspection.lastOperation).toEqual({ id: OP_ID, status: 'Failed', progress: null, details: null });
    // Layer sizes: junk entries count as layers of size 0.
    expect(inspection.manifest.platforms).toEqual([{ os: 'linux', architecture: 'amd64', variant: null, sizeBytes: 100, layers: 3, digest: inspection.manifest.digest }]);
});
