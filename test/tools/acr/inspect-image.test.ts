/** acr_inspect_image through an MCP client against the demo world: exactly what the world holds. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectImageTool } from '../../../src/tools/acr/inspect-image.js';
import { startSandboxApp, textOf, type SandboxApp } from '../../helpers/sandbox-app.js';
import { structuredOf } from '../../helpers/structured.js';

let t: SandboxApp;
beforeAll(async () => {
    // A long conversion time keeps the demo's "converting" image converting however slow the CI machine is.
    t = await startSandboxApp({ sandbox: { behaviour: { conversionSeconds: 3600 } } });
});
afterAll(async () => t?.close());

const inspect = async (image: string) => {
    const r = await t.call('acr_inspect_image', { image });
    expect(r.isError, textOf(r)).toBeFalsy();
    return structuredOf(inspectImageTool, r);
};
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('acr_inspect_image', () => {
    it('a converted linux/amd64 image: streaming artifact present, last conversion succeeded', async () => {
        const out = await inspect('contosoacr.azurecr.io/ml/trainer:v1');
        expect(out).toMatchObject({
            image: 'contosoacr.azurecr.io/ml/trainer:v1',
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            platforms: [{ os: 'linux', architecture: 'amd64', variant: null, sizeBytes: sum([31457280, 524288000, 4294967296, 8589934592]), layers: 4 }],
            sizeBytes: sum([31457280, 524288000, 4294967296, 8589934592]),
            streamingArtifact: { present: true },
            lastOperation: { status: 'Succeeded' },
            eligible: true,
            predictedFailureCode: null,
            reasons: []
        });
        expect(out.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
        expect(out.streamingArtifact.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
        expect(out.estimate).toMatchObject({ sizeBytes: out.sizeBytes, calibratedFrom: null, assumptions: { fractionReadAtStart: 0.064 } });
        expect(out.estimate?.fullPullSeconds[0]).toBeGreaterThan(out.estimate?.streamingStartSeconds[1] ?? Infinity);
        expect(out.estimate?.savedSeconds[0]).toBeGreaterThan(0);
    });

    it('estimates the start-up time of what the node pulls: the amd64 entry of an index', async () => {
        const out = await inspect('contosoacr.azurecr.io/web/frontend:1.4.0');
        expect(out.estimate!.sizeBytes).toBe(out.platforms[0]?.sizeBytes);
        expect(out.estimate!.sizeBytes).toBeLessThan(out.sizeBytes);
    });

    it('a conversion under way shows its operation', async () => {
        const out = await inspect('contosoacr.azurecr.io/ml/trainer:v2');
        expect(out.streamingArtifact).toEqual({ present: false, digest: null });
        expect(['NotStarted', 'Running']).toContain(out.lastOperation?.status);
        expect(out.lastOperation?.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('a failed conversion keeps the failure details; never-converted images have no operation', async () => {
        const failed = await inspect('contosoacr.azurecr.io/ml/inference:v4');
        expect(failed.lastOperation).toMatchObject({ status: 'Failed' });
        expect(failed.lastOperation?.details).toContain('RESOURCE_NOT_FOUND');
        const fresh = await inspect('contosoacr.azurecr.io/ml/inference:v3');
        expect(fresh.lastOperation).toBeNull();
        expect(fresh.streamingArtifact.present).toBe(false);
        expect(fresh.eligible).toBe(true);
    });

    it('a multi-arch index: every platform with its size, only amd64 streams', async () => {
        const out = await inspect('contosoacr.azurecr.io/web/frontend:1.4.0');
        expect(out.mediaType).toBe('application/vnd.oci.image.index.v1+json');
        expect(out.platforms.map((p: any) => `${p.os}/${p.architecture}`)).toEqual(['linux/amd64', 'linux/arm64']);
        expect(out.platforms[0]?.sizeBytes).toBe(sum([3145728, 41943040, 157286400]));
        expect(out.sizeBytes).toBe(sum(out.platforms.map((p: any) => p.sizeBytes)));
        expect(out.eligible).toBe(true);
        expect(out.reasons.map((r: any) => r.code)).toEqual(['IMAGE_MULTIARCH_PARTIAL']);
    });

    it.each([
        ['an arm64-only image', 'contosoacr.azurecr.io/edge/agent:2.0', 'UNSUPPORTED_PLATFORM', 'IMAGE_PLATFORM_UNSUPPORTED'],
        ['a Windows image', 'contosoacr.azurecr.io/win/iis:ltsc2022', 'UNSUPPORTED_PLATFORM', 'IMAGE_PLATFORM_UNSUPPORTED'],
        ['a manifest list without amd64', 'contosoacr.azurecr.io/edge/sensor:1.1', 'NO_SUPPORTED_PLATFORM_FOUND', 'IMAGE_NO_AMD64_IN_INDEX'],
        ['an unsupported media type', 'contosoacr.azurecr.io/charts/platform:0.3.0', 'UNSUPPORTED_MEDIATYPE', 'IMAGE_MEDIATYPE_UNSUPPORTED']
    ])('reports the failure code a conversion of %s would hit', async (_label, image, code, reason) => {
        const out = await inspect(image);
        expect(out.eligible).toBe(false);
        expect(out.predictedFailureCode).toBe(code);
        expect(out.reasons.map((r: any) => r.code)).toContain(reason);
    });

    it('by digest, and the streaming artifact itself cannot be converted again', async () => {
        const byTag = await inspect('contosoacr.azurecr.io/ml/trainer:latest');
        const byDigest = await inspect(`contosoacr.azurecr.io/ml/trainer@${byTag.digest}`);
        expect(byDigest.digest).toBe(byTag.digest);
        expect(byDigest.sizeBytes).toBe(byTag.sizeBytes);
        const artifact = await inspect(`contosoacr.azurecr.io/ml/trainer@${byTag.streamingArtifact.digest}`);
        expect(artifact.predictedFailureCode).toBe('UNSUPPORTED_ARTIFACT_TYPE');
        expect(artifact.eligible).toBe(false);
    });

    it('registry rules: Standard SKU and CMK registries are not eligible', async () => {
        const std = await inspect('fabrikamstd.azurecr.io/api/orders:v1');
        expect(std).toMatchObject({ eligible: false, predictedFailureCode: null, lastOperation: null });
        expect(std.reasons.map((r: any) => r.code)).toEqual(['REGISTRY_NOT_PREMIUM']);
        const cmk = await inspect('woodgrovecmk.azurecr.io/payments/ledger:v5');
        expect(cmk.reasons.map((r: any) => r.code)).toEqual(['REGISTRY_CMK_ENABLED']);
    });

    it('a missing tag is a clear ToolError', async () => {
        const r = await t.call('acr_inspect_image', { image: 'contosoacr.azurecr.io/ml/trainer:nope' });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/was not found[\s\S]*Fix: check the tag/);
    });

    it('the summary is short and says what matters', async () => {
        const r = await t.call('acr_inspect_image', { image: 'contosoacr.azurecr.io/edge/agent:2.0' });
        expect(textOf(r)).toMatch(/Not eligible \(conversion would fail with UNSUPPORTED_PLATFORM\)/);
        expect(textOf(r).length).toBeLessThan(600);
    });
});
