/**
 * The OCI referrers tag-schema fallback: a registry without the referrers API (404) publishes referrers
 * as an index tagged `sha256-<hex>`. The sandbox always serves the referrers API, so a minimal fake
 * registry stands in here.
 */
import { Agent } from 'node:https';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AcrSession } from '../../src/azure/acr-auth.js';
import { AcrClient } from '../../src/azure/acr-client.js';
import { AcrTransport } from '../../src/azure/acr-transport.js';
import { CLOUDS } from '../../src/azure/cloud.js';
import { STREAMING_ARTIFACT_TYPE } from '../../src/streaming/media-types.js';
import { sandboxCredential } from '../../src/wiring/sandbox-azure.js';
import { FAST_RETRY } from '../helpers/sandbox-app.js';
import { fakeJwt } from '../helpers/credentials.js';
import { startCanary, type CannedResponse, type Canary } from './canary.js';

const HOST = 'legacyacr01.azurecr.io';
const SUBJECT = `sha256:${'1'.repeat(64)}`;
const REFERRER = `sha256:${'2'.repeat(64)}`;

let registry: Canary;
let client: AcrClient;
beforeAll(async () => {
    registry = await startCanary((path): CannedResponse => {
        const exp = Math.floor(Date.now() / 1000) + 3600;
        if (path === '/v2/') return { status: 401, headers: { 'www-authenticate': `Bearer realm="https://${HOST}/oauth2/token",service="${HOST}"` } };
        if (path === '/oauth2/exchange') return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: fakeJwt({ exp }) }) };
        if (path === '/oauth2/token') return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access_token: fakeJwt({ exp }) }) };
        if (path.startsWith('/v2/app/referrers/')) return { status: 404, body: '404 page not found' };
        if (path === `/v2/app/manifests/${SUBJECT.replace(':', '-')}`) {
            const index = {
                schemaVersion: 2,
                mediaType: 'application/vnd.oci.image.index.v1+json',
                manifests: [
                    { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: REFERRER, size: 10, artifactType: STREAMING_ARTIFACT_TYPE },
                    { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'3'.repeat(64)}`, size: 10, artifactType: 'application/vnd.example.sbom' }
                ]
            };
            return { status: 200, headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' }, body: JSON.stringify(index) };
        }
        return { status: 404, body: '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"unknown"}]}' };
    });
    const transport = new AcrTransport({ agent: new Agent({ ca: registry.caPem }), retry: FAST_RETRY, resolveEndpoint: h => (h === HOST ? registry.origin : undefined), isAllowedHost: h => h === HOST });
    const session = new AcrSession(HOST, { cloud: CLOUDS.AzureCloud, credential: sandboxCredential('t'), transport, skewMs: 60_000, now: Date.now }, false);
    client = new AcrClient(session, transport);
});
afterAll(async () => registry?.close());

it('falls back to the sha256-<hex> tag and filters by artifactType', async () => {
    const found = await client.referrers('app', SUBJECT, STREAMING_ARTIFACT_TYPE, { abortSignal: new AbortController().signal });
    expect(found.map(d => d.digest)).toEqual([REFERRER]);
    expect(registry.requests.filter(r => r.includes('/v2/app/'))).toEqual([
        `GET /v2/app/referrers/${SUBJECT}?artifactType=${encodeURIComponent(STREAMING_ARTIFACT_TYPE)}`,
        `GET /v2/app/manifests/${SUBJECT.replace(':', '-')}`
    ]);
});

it('no fallback index means no referrers', async () => {
    const other = `sha256:${'4'.repeat(64)}`;
    expect(await client.referrers('app', other, STREAMING_ARTIFACT_TYPE, { abortSignal: new AbortController().signal })).toEqual([]);
});
