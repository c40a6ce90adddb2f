import { describe, expect, it } from 'vitest';
import { imageEligibility } from '../../src/streaming/image-rules.js';
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST } from '../../src/streaming/media-types.js';
import { FINDINGS } from '../../src/streaming/findings.js';
import { kubernetesVersionFindings, nodePoolSupport, type NodePoolFacts } from '../../src/streaming/nodepool-rules.js';
import { registrySupport } from '../../src/streaming/registry-rules.js';

const amd64 = { os: 'linux', architecture: 'amd64' };
const arm64 = { os: 'linux', architecture: 'arm64' };

describe('registry rules', () => {
    it.each([
        [{ sku: 'Premium', customerManagedKey: false }, true, []],
        [{ sku: 'Standard', customerManagedKey: false }, false, ['REGISTRY_NOT_PREMIUM']],
        [{ sku: 'Basic', customerManagedKey: false }, false, ['REGISTRY_NOT_PREMIUM']],
        [{ sku: 'Premium', customerManagedKey: true }, false, ['REGISTRY_CMK_ENABLED']],
        [{ sku: 'Standard', customerManagedKey: true }, false, ['REGISTRY_NOT_PREMIUM', 'REGISTRY_CMK_ENABLED']]
    ])('%o → supported %s %o', (reg, supported, codes) => {
        const s = registrySupport({ name: 'contosoacr', ...reg });
        expect(s.supported).toBe(supported);
        expect(s.reasons.map(r => r.code)).toEqual(codes);
    });
});

describe('image rules mirror the conversion error codes', () => {
    it.each([
        ['single linux/amd64 OCI manifest', { mediaType: OCI_MANIFEST, platforms: [amd64], isStreamingArtifact: false }, null, true],
        ['single linux/amd64 Docker manifest', { mediaType: DOCKER_MANIFEST, platforms: [amd64], isStreamingArtifact: false }, null, true],
        ['single arm64 manifest', { mediaType: OCI_MANIFEST, platforms: [arm64], isStreamingArtifact: false }, 'UNSUPPORTED_PLATFORM', false],
        ['single windows/amd64 manifest', { mediaType: DOCKER_MANIFEST, platforms: [{ os: 'windows', architecture: 'amd64' }], isStreamingArtifact: false }, 'UNSUPPORTED_PLATFORM', false],
        ['index with amd64 and arm64', { mediaType: OCI_INDEX, platforms: [amd64, arm64], isStreamingArtifact: false }, null, true],
        ['manifest list without amd64', { mediaType: DOCKER_MANIFEST_LIST, platforms: [arm64, { os: 'linux', architecture: 'arm', variant: 'v7' }], isStreamingArtifact: false }, 'NO_SUPPORTED_PLATFORM_FOUND', false],
        ['empty index', { mediaType: OCI_INDEX, platforms: [], isStreamingArtifact: false }, 'NO_SUPPORTED_PLATFORM_FOUND', false],
        ['other media type', { mediaType: 'application/vnd.example.other.v1+json', platforms: [amd64], isStreamingArtifact: false }, 'UNSUPPORTED_MEDIATYPE', false],
        ['already a streaming artifact', { mediaType: OCI_MANIFEST, platforms: [amd64], isStreamingArtifact: true }, 'UNSUPPORTED_ARTIFACT_TYPE', false]
    ])('%s → %s', (_label, facts, code, convertible) => {
        const v = imageEligibility(facts);
        expect(v.predictedFailureCode).toBe(code);
        expect(v.convertible).toBe(convertible);
    });

    it('says only the amd64 entry of a multi-arch index streams', () => {
        const v = imageEligibility({ mediaType: OCI_INDEX, platforms: [amd64, arm64], isStreamingArtifact: false });
        expect(v.reasons).toEqual([expect.objectContaining({ code: 'IMAGE_MULTIARCH_PARTIAL', severity: 'info' })]);
    });
});

const pool = (over: Partial<NodePoolFacts>): NodePoolFacts => ({ name: 'p', osType: 'Linux', osSKU: 'Ubuntu2204', vmSize: 'Standard_D4s_v5', ...over });

describe('node pool rules', () => {
    it.each([
        ['Ubuntu amd64', {}, true, []],
        ['Azure Linux amd64', { osSKU: 'AzureLinux' }, true, []],
        ['Windows', { osType: 'Windows', osSKU: 'Windows2022' }, false, ['NODEPOOL_WINDOWS']],
        ['Arm64 size', { vmSize: 'Standard_D4ps_v5' }, false, ['NODEPOOL_ARM64']],
        ['Flatcar', { osSKU: 'Flatcar' }, false, ['NODEPOOL_OS_UNSUPPORTED']],
        ['Azure Container Linux', { osSKU: 'AzureContainerLinux' }, false, ['NODEPOOL_OS_UNSUPPORTED']],
        ['Flatcar, spelled in another case', { osSKU: 'flatcar' }, false, ['NODEPOOL_OS_UNSUPPORTED']],
        ['Grace (Arm64) GPU size', { vmSize: 'Standard_ND128isr_NDR_GB200_v6' }, false, ['NODEPOOL_ARM64']],
        ['A100 GPU size (amd64 host)', { vmSize: 'Standard_NC24ads_A100_v4' }, true, []],
        ['OS Guard', { osSKU: 'AzureLinux3', osGuard: true }, false, ['NODEPOOL_OS_UNSUPPORTED']],
        ['OS Guard, from its OS SKU', { osSKU: 'AzureLinuxOSGuard' }, false, ['NODEPOOL_OS_UNSUPPORTED']],
        ['OS Guard, from its node image', { osSKU: 'AzureLinux3', nodeImageVersion: 'AzureLinuxOSGuard-2025.10.03' }, false, ['NODEPOOL_OS_UNSUPPORTED']],
        ['Kata', { workloadRuntime: 'KataVmIsolation' }, true, ['NODEPOOL_KATA_RUNTIME']],
        ['Kata (MSHV)', { workloadRuntime: 'KataMshvVmIsolation' }, true, ['NODEPOOL_KATA_RUNTIME']],
        ['confidential VM size', { vmSize: 'Standard_DC4as_v5' }, true, ['NODEPOOL_CONFIDENTIAL_VM']],
        ['reported ConfidentialVM', { confidentialVm: true }, true, ['NODEPOOL_CONFIDENTIAL_VM']],
        ['confidential VM node image', { nodeImageVersion: 'AKSUbuntu-2004cvmcontainerd-202507.02.0' }, true, ['NODEPOOL_CONFIDENTIAL_VM']],
        ['Kubernetes 1.24', { orchestratorVersion: '1.24.17' }, false, ['CLUSTER_VERSION_UNSUPPORTED']],
        ['Kubernetes 1.25', { orchestratorVersion: '1.25.16' }, true, ['CLUSTER_VERSION_BORDERLINE']],
        ['Kubernetes 1.26', { orchestratorVersion: '1.26.0' }, true, []],
        ['updating', { provisioningState: 'Updating' }, true, ['NODEPOOL_UPDATING']]
    ])('%s', (_label, over, supported, codes) => {
        const s = nodePoolSupport(pool(over));
        expect(s.supported).toBe(supported);
        expect(s.reasons.map(r => r.code)).toEqual(codes);
    });

    it('uses the cluster version when the pool has none', () => {
        expect(nodePoolSupport(pool({}), '1.24.9').supported).toBe(false);
        expect(kubernetesVersionFindings('v1.25.3', 'cluster x').map(r => r.code)).toEqual(['CLUSTER_VERSION_BORDERLINE']);
        expect(kubernetesVersionFindings('garbage', 'cluster x')).toEqual([]);
    });

    it('every finding code has a title and a source', () => {
        for (const [code, info] of Object.entries(FINDINGS)) {
            expect(info.source.length, code).toBeGreaterThan(10);
            expect(info.title.length, code).toBeGreaterThan(5);
        }
    });
});
