/**
 * One row per finding code: the rule's condition met (the code appears), not met (the healthy baseline: it
 * does not), and the fact it reads unknown (no code, a FACT_UNAVAILABLE finding, verdict unknown — never a
 * false "streams").
 */
import { describe, expect, it } from 'vitest';
import { diagnose, type DiagnosisFacts } from '../../src/streaming/diagnosis.js';
import { unknownFact, type PodFacts } from '../../src/streaming/facts.js';
import { FINDING_CODES, FINDINGS, type FindingCode } from '../../src/streaming/findings.js';
import { OCI_INDEX, OCI_MANIFEST } from '../../src/streaming/media-types.js';
import { SLOW_PULL_SECONDS, SMALL_IMAGE_BYTES, VERY_LARGE_IMAGE_BYTES } from '../../src/streaming/thresholds.js';

const GB = 1e9;
const amd64 = { os: 'linux', architecture: 'amd64', sizeBytes: 4 * GB };

function pod(over: Partial<PodFacts> = {}): PodFacts {
    return {
        source: 'kubernetes-api',
        namespace: 'default',
        name: 'trainer-0',
        node: 'aks-gpupool-12345678-vmss000000',
        nodePool: 'gpupool',
        containers: [{ name: 'trainer', image: 'contosoacr.azurecr.io/ml/trainer:v1' }],
        imagePullSecrets: [],
        conditions: [{ type: 'Ready', status: 'True' }],
        events: [],
        waitingReasons: [],
        pulls: [],
        ...over
    };
}

/** A world where everything lines up: the verdict is "streams" with no finding. */
function healthy(): DiagnosisFacts {
    return {
        target: { text: 'contosoacr.azurecr.io/ml/trainer:v1', registry: 'contosoacr', loginServer: 'contosoacr.azurecr.io', repository: 'ml/trainer', tag: 'v1' },
        registry: { name: 'contosoacr', resourceGroup: 'rg-registry', sku: 'Premium', customerManagedKey: false, id: '/subscriptions/s/resourceGroups/rg-registry/providers/Microsoft.ContainerRegistry/registries/contosoacr' },
        repository: { convertPushedImages: true },
        image: { mediaType: OCI_MANIFEST, platforms: [amd64], isStreamingArtifact: false },
        conversion: { artifactPresent: true, lastOperation: { id: 'op-1', status: 'Succeeded' } },
        cluster: { name: 'aks-prod', resourceGroup: 'rg-aks', kubernetesVersion: '1.30.5' },
        acrPull: { granted: true, role: 'AcrPull', principalId: 'kubelet-oid' },
        nodePools: [{ name: 'gpupool', osType: 'Linux', osSKU: 'Ubuntu2204', vmSize: 'Standard_NC24ads_A100_v4', artifactStreaming: true, orchestratorVersion: '1.30.5', provisioningState: 'Succeeded' }],
        nodePool: 'gpupool',
        pod: pod(),
        podName: 'default/trainer-0'
    };
}

type Change = (f: DiagnosisFacts) => void;
const pool0 = (f: DiagnosisFacts) => (f.nodePools as NonNullable<DiagnosisFacts['nodePools']> & object[])[0] as Record<string, unknown>;
const podOf = (f: DiagnosisFacts) => f.pod as PodFacts;

/** code → [condition met, the fact it reads made unknown] (null: the code reads no fact of its own). */
const RULES: Record<Exclude<FindingCode, 'FACT_UNAVAILABLE'>, [Change, Change | null]> = {
    REGISTRY_NOT_FOUND: [f => (f.registry = null), f => (f.registry = unknownFact('ARM: 429 Too Many Requests'))],
    REGISTRY_NOT_PREMIUM: [f => (f.registry = { ...(f.registry as object), sku: 'Standard' } as never), f => (f.registry = unknownFact('timeout'))],
    REGISTRY_CMK_ENABLED: [f => (f.registry = { ...(f.registry as object), customerManagedKey: true } as never), f => (f.registry = unknownFact('timeout'))],
    REPOSITORY_AUTO_CONVERSION_OFF: [f => (f.repository = { convertPushedImages: false }), f => (f.repository = unknownFact('403 on _streaming'))],
    IMAGE_NOT_FOUND: [f => (f.image = null), f => (f.image = unknownFact('403 from the registry'))],
    IMAGE_NOT_CONVERTED: [f => (f.conversion = { artifactPresent: false, lastOperation: null }), f => (f.conversion = unknownFact('throttled'))],
    IMAGE_CONVERSION_RUNNING: [f => (f.conversion = { artifactPresent: false, lastOperation: { id: 'op-2', status: 'Running', progress: '40%' } }), f => (f.conversion = unknownFact('throttled'))],
    IMAGE_CONVERSION_FAILED: [f => (f.conversion = { artifactPresent: false, lastOperation: { id: 'op-3', status: 'Failed', details: 'UNKNOWN_ERROR: retry' } }), f => (f.conversion = unknownFact('throttled'))],
    IMAGE_PLATFORM_UNSUPPORTED: [f => (f.image = { mediaType: OCI_MANIFEST, platforms: [{ os: 'linux', architecture: 'arm64', sizeBytes: GB }], isStreamingArtifact: false }), f => (f.image = unknownFact('timeout'))],
    IMAGE_NO_AMD64_IN_INDEX: [f => (f.image = { mediaType: OCI_INDEX, platforms: [{ os: 'linux', architecture: 'arm64', sizeBytes: GB }], isStreamingArtifact: false }), f => (f.image = unknownFact('timeout'))],
    IMAGE_MULTIARCH_PARTIAL: [f => (f.image = { mediaType: OCI_INDEX, platforms: [amd64, { os: 'linux', architecture: 'arm64', sizeBytes: GB }], isStreamingArtifact: false }), f => (f.image = unknownFact('timeout'))],
    IMAGE_MEDIATYPE_UNSUPPORTED: [f => (f.image = { mediaType: 'application/vnd.example+json', platforms: [amd64], isStreamingArtifact: false }), f => (f.image = unknownFact('timeout'))],
    IMAGE_IS_STREAMING_ARTIFACT: [f => (f.image = { mediaType: OCI_MANIFEST, platforms: [amd64], isStreamingArtifact: true }), f => (f.image = unknownFact('timeout'))],
    IMAGE_SMALL: [f => (f.image = { mediaType: OCI_MANIFEST, platforms: [{ ...amd64, sizeBytes: SMALL_IMAGE_BYTES - 1 }], isStreamingArtifact: false }), f => (f.image = unknownFact('timeout'))],
    IMAGE_VERY_LARGE: [f => (f.image = { mediaType: OCI_MANIFEST, platforms: [{ ...amd64, sizeBytes: VERY_LARGE_IMAGE_BYTES + 1 }], isStreamingArtifact: false }), f => (f.image = unknownFact('timeout'))],
    CLUSTER_NOT_FOUND: [f => (f.cluster = null), f => (f.cluster = unknownFact('no permission on the cluster'))],
    CLUSTER_VERSION_UNSUPPORTED: [f => ((f.cluster = { ...(f.cluster as object), kubernetesVersion: '1.24.9' } as never), (pool0(f).orchestratorVersion = '1.24.9')), f => (f.cluster = unknownFact('timeout'))],
    CLUSTER_VERSION_BORDERLINE: [f => ((f.cluster = { ...(f.cluster as object), kubernetesVersion: '1.25.6' } as never), (pool0(f).orchestratorVersion = '1.25.6')), f => (f.cluster = unknownFact('timeout'))],
    CLUSTER_NO_ACR_PULL: [f => (f.acrPull = { granted: false, role: null }), f => (f.acrPull = unknownFact('403 listing role assignments', 'you need Microsoft.Authorization/roleAssignments/read'))],
    NODEPOOL_NOT_FOUND: [f => ((f.nodePool = 'cpupool'), (podOf(f).nodePool = undefined)), f => (f.nodePools = unknownFact('timeout'))],
    NODEPOOL_STREAMING_DISABLED: [f => (pool0(f).artifactStreaming = false), f => (f.nodePools = unknownFact('timeout'))],
    NODEPOOL_WINDOWS: [f => Object.assign(pool0(f), { osType: 'Windows', osSKU: 'Windows2022' }), f => (f.nodePools = unknownFact('timeout'))],
    NODEPOOL_ARM64: [f => (pool0(f).vmSize = 'Standard_D8ps_v5'), f => (f.nodePools = unknownFact('timeout'))],
    NODEPOOL_OS_UNSUPPORTED: [f => (pool0(f).osSKU = 'Flatcar'), f => (f.nodePools = unknownFact('timeout'))],
    NODEPOOL_KATA_RUNTIME: [f => (pool0(f).workloadRuntime = 'KataVmIsolation'), f => (f.nodePools = unknownFact('timeout'))],
    NODEPOOL_CONFIDENTIAL_VM: [f => (pool0(f).confidentialVm = true), f => (f.nodePools = unknownFact('timeout'))],
    NODEPOOL_UPDATING: [f => (pool0(f).provisioningState = 'Updating'), f => (f.nodePools = unknownFact('timeout'))],
    POD_NOT_FOUND: [f => (f.pod = null), f => (f.pod = unknownFact('403: no permission to read pods'))],
    POD_IMAGE_MISMATCH: [f => (podOf(f).containers = [{ name: 'web', image: 'contosoacr.azurecr.io/web:v3' }]), f => (f.pod = unknownFact('timeout'))],
    POD_PULL_SECRET: [f => (podOf(f).imagePullSecrets = ['regcred']), f => (f.pod = unknownFact('timeout'))],
    POD_IMAGE_BY_DIGEST: [f => (podOf(f).containers = [{ name: 'trainer', image: `contosoacr.azurecr.io/ml/trainer@sha256:${'a'.repeat(64)}` }]), f => (f.pod = unknownFact('timeout'))],
    POD_MIRROR_UNAVAILABLE: [
        f => (podOf(f).events = [{ type: 'Warning', reason: 'Failed', count: 3, message: 'failed to resolve reference: unexpected status from HEAD request to http://localhost:8578/v2/ml/trainer/manifests/v1?ns=contosoacr.azurecr.io: 503 Service Unavailable' }]),
        f => (f.pod = unknownFact('timeout'))
    ],
    POD_PULL_FAILING: [f => (podOf(f).events = [{ type: 'Warning', reason: 'Failed', count: 1, message: 'Error: ImagePullBackOff' }, { type: 'Normal', reason: 'BackOff', count: 4, message: 'Back-off pulling image' }]), f => (f.pod = unknownFact('timeout'))],
    POD_SLOW_PULL: [
        f => (podOf(f).pulls = [{ image: 'contosoacr.azurecr.io/ml/trainer:v1', seconds: SLOW_PULL_SECONDS + 1, message: 'Successfully pulled image "contosoacr.azurecr.io/ml/trainer:v1" in 1m1s (1m1s including waiting)' }]),
        f => (f.pod = unknownFact('timeout'))
    ],
    POD_UPGRADE_IF_STREAMABLE_DISABLED: [f => podOf(f).conditions.push({ type: 'UpgradeIfStreamableDisabled', status: 'True' }), f => (f.pod = unknownFact('timeout'))]
};

const codes = (f: DiagnosisFacts) => diagnose(f).findings.map(x => x.code);

describe('the healthy baseline', () => {
    it('streams with no finding', () => {
        const d = diagnose(healthy());
        expect(d.findings).toEqual([]);
        expect(d.verdict).toBe('streams');
        expect(d.fixPlan).toEqual([]);
    });

    it('has a row for every finding code', () => {
        expect(Object.keys(RULES).sort()).toEqual(FINDING_CODES.filter(c => c !== 'FACT_UNAVAILABLE').sort());
    });
});

describe.each(Object.entries(RULES) as [FindingCode, [Change, Change | null]][])('%s', (code, [met, unknown]) => {
    it('is found when its condition holds, with its default severity, evidence and source', () => {
        const f = healthy();
        met(f);
        const d = diagnose(f);
        const hit = d.findings.find(x => x.code === code);
        expect(hit, JSON.stringify(d.findings.map(x => x.code))).toBeDefined();
        expect(hit!.severity).toBe(FINDINGS[code].severity);
        expect(hit!.evidence.length).toBeGreaterThan(5);
        expect(hit!.source).toBe(FINDINGS[code].source);
        expect(hit!.fix.explanation.length).toBeGreaterThan(10);
        if (FINDINGS[code].severity === 'blocker') expect(d.verdict).toBe('will_not_stream');
        else expect(d.verdict).toBe(code === 'POD_NOT_FOUND' ? 'unknown' : 'streams');
    });

    it('is not found when its condition does not hold', () => {
        expect(codes(healthy())).not.toContain(code);
    });

    it.runIf(unknown !== null)('gives FACT_UNAVAILABLE and never "streams" when its fact is unknown', () => {
        const f = healthy();
        unknown!(f);
        const d = diagnose(f);
        expect(d.findings.map(x => x.code)).not.toContain(code);
        expect(d.findings.map(x => x.code)).toContain('FACT_UNAVAILABLE');
        // Auto-conversion concerns future pushes only: not knowing it leaves the verdict alone.
        expect(d.verdict).toBe(code === 'REPOSITORY_AUTO_CONVERSION_OFF' ? 'streams' : 'unknown');
    });
});

describe('verdict rules', () => {
    it('is unknown, not streams, when no cluster was named', () => {
        const f = healthy();
        delete f.cluster;
        delete f.acrPull;
        delete f.nodePools;
        const d = diagnose(f);
        expect(d.verdict).toBe('unknown');
        expect(d.checked.find(c => c.layer === 'cluster')).toMatchObject({ status: 'skipped' });
    });

    it('is unknown when the named pod does not exist (POD_NOT_FOUND is only a warning)', () => {
        const f = healthy();
        f.pod = null;
        expect(diagnose(f).verdict).toBe('unknown');
    });

    it("judges the pod's node pool, not the one named", () => {
        const f = healthy();
        (f.nodePools as object[]).push({ name: 'cpupool', osType: 'Linux', osSKU: 'Ubuntu2204', vmSize: 'Standard_D4s_v5', artifactStreaming: false });
        podOf(f).nodePool = 'cpupool';
        expect(codes(f)).toEqual(['NODEPOOL_STREAMING_DISABLED']);
    });

    it('with several pools and none named, streams where a pool can and warns about the others', () => {
        const f = healthy();
        delete f.pod;
        delete f.nodePool;
        (f.nodePools as object[]).push({ name: 'winpool', osType: 'Windows', osSKU: 'Windows2022', vmSize: 'Standard_D4s_v5', artifactStreaming: false });
        const d = diagnose(f);
        expect(d.verdict).toBe('streams');
        expect(d.findings.map(x => [x.code, x.severity])).toEqual([
            ['NODEPOOL_STREAMING_DISABLED', 'warning'],
            ['NODEPOOL_WINDOWS', 'warning']
        ]);
        expect(d.findings[0]!.evidence).toMatch(/^pods on winpool will not stream/);
    });

    it('orders findings blockers first, then warnings, then info', () => {
        const f = healthy();
        f.repository = { convertPushedImages: false };
        pool0(f).workloadRuntime = 'KataVmIsolation';
        f.conversion = { artifactPresent: false, lastOperation: null };
        expect(codes(f)).toEqual(['IMAGE_NOT_CONVERTED', 'NODEPOOL_KATA_RUNTIME', 'REPOSITORY_AUTO_CONVERSION_OFF']);
    });
});

describe('fix plan', () => {
    it('orders the changes and names the change tools that apply them', () => {
        const f = healthy();
        f.conversion = { artifactPresent: false, lastOperation: null };
        f.repository = { convertPushedImages: false };
        pool0(f).artifactStreaming = false;
        f.registry = { ...(f.registry as object), sku: 'Standard' } as never;
        const plan = diagnose(f).fixPlan;
        expect(plan.map(s => s.code ?? 'restart')).toEqual(['REGISTRY_NOT_PREMIUM', 'NODEPOOL_STREAMING_DISABLED', 'IMAGE_NOT_CONVERTED', 'REPOSITORY_AUTO_CONVERSION_OFF', 'restart']);
        expect(plan[0]).toMatchObject({ azCommand: 'az acr update -n contosoacr -g rg-registry --sku Premium' });
        expect(plan[1]).toMatchObject({ tool: { name: 'aks_set_nodepool_streaming', arguments: { cluster: 'aks-prod', resourceGroup: 'rg-aks', nodePool: 'gpupool', enabled: true } } });
        expect(plan[2]).toMatchObject({ tool: { name: 'acr_create_streaming_artifact', arguments: { image: 'contosoacr.azurecr.io/ml/trainer:v1' } } });
        expect(plan[3]).toMatchObject({ tool: { name: 'acr_set_repository_streaming', arguments: { registry: 'contosoacr', repository: 'ml/trainer', enabled: true } } });
        expect(plan[4]!.kubectlCommand).toBe('kubectl -n default delete pod trainer-0');
    });

    it('keeps only the command when the change tool is not registered', () => {
        const f = healthy();
        pool0(f).artifactStreaming = false;
        const [step] = diagnose(f, { registeredTools: new Set() }).fixPlan;
        expect(step!.tool).toBeUndefined();
        expect(step!.azCommand).toBe('az aks nodepool update -g rg-aks --cluster-name aks-prod -n gpupool --enable-artifact-streaming');
    });

    it('asks for a Repository Reader role on ABAC registries instead of --attach-acr', () => {
        const f = healthy();
        f.registry = { ...(f.registry as object), abacRepositoryPermissions: true } as never;
        f.acrPull = { granted: false, role: null, principalId: 'kubelet-oid' };
        const hit = diagnose(f).findings[0]!;
        expect(hit.code).toBe('CLUSTER_NO_ACR_PULL');
        expect(hit.fix.azCommand).toContain('"Container Registry Repository Reader"');
        expect(hit.fix.azCommand).toContain('--assignee-object-id kubelet-oid');
    });

    it('does not propose converting an image whose conversion would fail', () => {
        const f = healthy();
        f.image = { mediaType: OCI_MANIFEST, platforms: [{ os: 'linux', architecture: 'arm64', sizeBytes: GB }], isStreamingArtifact: false };
        f.conversion = { artifactPresent: false, lastOperation: { id: 'op', status: 'Failed', details: 'UNSUPPORTED_PLATFORM' } };
        const d = diagnose(f);
        expect(d.findings.map(x => x.code)).toEqual(['IMAGE_PLATFORM_UNSUPPORTED', 'IMAGE_CONVERSION_FAILED']);
        expect(d.findings[1]!.evidence).toContain('UNSUPPORTED_PLATFORM');
        expect(d.fixPlan.some(s => s.tool?.name === 'acr_create_streaming_artifact')).toBe(false);
    });
});

describe('estimate in the diagnosis', () => {
    it('is calibrated from the pod\'s measured pull when there is one', () => {
        const f = healthy();
        podOf(f).pulls = [{ image: 'contosoacr.azurecr.io/ml/trainer:v1', seconds: 193.8, message: '…' }];
        const e = diagnose(f).estimate!;
        expect(e.calibratedFrom).toBe('pod events');
        expect(e.fullPullSeconds).toEqual([193.8, 193.8]);
        expect(e.assumptions.measuredPullSeconds).toBe(193.8);
    });

    it('uses the assumptions without a measured pull', () => {
        const f = healthy();
        delete f.pod;
        const e = diagnose(f).estimate!;
        expect(e.calibratedFrom).toBeNull();
        expect(e.sizeBytes).toBe(4 * GB);
    });
});
