/**
 * The one table of finding codes: every rule in src/streaming/ produces these, the read tools show them as
 * `reasons`, and streaming_diagnose / the scans return them as findings. Codes, default severities and
 * "when" follow the tool contract (docs/tools.md); each row names the public source of its rule
 * (Learn page and section, or the AKS/ACR doc it comes from). Codes beyond the contract are marked (added).
 */
export type Severity = 'blocker' | 'warning' | 'info';

/** Where a finding belongs; the fix plan runs the layers in FIX_ORDER. */
export type Layer = 'registry' | 'repository' | 'image' | 'cluster' | 'nodePool' | 'pod' | 'diagnosis';

export interface FindingInfo {
    severity: Severity;
    layer: Layer;
    title: string;
    source: string;
}

const ACR_PAGE = 'Learn: container-registry-artifact-streaming.md';
const ACR_TROUBLESHOOT = 'Learn: troubleshoot-artifact-streaming.md';
const AKS_PAGE = 'Learn (AKS): artifact-streaming.md';

export const FINDINGS = {
    REGISTRY_NOT_FOUND: { severity: 'blocker', layer: 'registry', title: 'Registry not found in the subscription', source: 'Resource Manager: Microsoft.ContainerRegistry/registries list (az acr list)' },
    REGISTRY_NOT_PREMIUM: { severity: 'blocker', layer: 'registry', title: 'Registry is not Premium', source: `${ACR_PAGE} (Premium SKU only)` },
    REGISTRY_CMK_ENABLED: { severity: 'blocker', layer: 'registry', title: 'Registry uses a customer-managed key', source: `${ACR_PAGE} and ${AKS_PAGE} (CMK registries not supported)` },
    REPOSITORY_AUTO_CONVERSION_OFF: { severity: 'info', layer: 'repository', title: 'New pushes to the repository are not converted', source: `${ACR_PAGE} (auto-conversion is inactive by default; az acr artifact-streaming update)` },
    IMAGE_NOT_FOUND: { severity: 'blocker', layer: 'image', title: 'Image not found', source: 'OCI distribution spec: GET /v2/<name>/manifests/<reference> answers 404' },
    IMAGE_NOT_CONVERTED: { severity: 'blocker', layer: 'image', title: 'Image has no streaming artifact', source: `${ACR_PAGE} (existing images are not converted when auto-conversion is turned on; az acr artifact-streaming create)` },
    IMAGE_CONVERSION_RUNNING: { severity: 'blocker', layer: 'image', title: 'Conversion still running: a pull now will not stream', source: `${ACR_PAGE}; AgentBaker e2e note: a node that pulls before conversion ends caches the plain image` },
    IMAGE_CONVERSION_FAILED: { severity: 'blocker', layer: 'image', title: 'The last conversion failed', source: `${ACR_TROUBLESHOOT} (conversion error codes)` },
    IMAGE_PLATFORM_UNSUPPORTED: { severity: 'blocker', layer: 'image', title: 'Image is not linux/amd64', source: `${ACR_TROUBLESHOOT} (UNSUPPORTED_PLATFORM: only linux/amd64)` },
    IMAGE_NO_AMD64_IN_INDEX: { severity: 'blocker', layer: 'image', title: 'Index has no linux/amd64 entry', source: `${ACR_TROUBLESHOOT} (NO_SUPPORTED_PLATFORM_FOUND)` },
    IMAGE_MULTIARCH_PARTIAL: { severity: 'info', layer: 'image', title: 'Only the linux/amd64 entry streams', source: `${ACR_PAGE} (multi-arch images: only the amd64 entry)` },
    IMAGE_MEDIATYPE_UNSUPPORTED: { severity: 'blocker', layer: 'image', title: 'Not an OCI/Docker image manifest or index', source: `${ACR_TROUBLESHOOT} (UNSUPPORTED_MEDIATYPE)` },
    IMAGE_IS_STREAMING_ARTIFACT: { severity: 'blocker', layer: 'image', title: 'This is a streaming artifact, not the image (added)', source: `${ACR_TROUBLESHOOT} (UNSUPPORTED_ARTIFACT_TYPE)` },
    IMAGE_SMALL: { severity: 'info', layer: 'image', title: 'Small image: little to gain', source: 'docs/performance.md (threshold from the startup estimate; SMALL_IMAGE_BYTES)' },
    IMAGE_VERY_LARGE: { severity: 'info', layer: 'image', title: 'Very large image: consider volumes for large files', source: 'Learn (AKS): artifact-streaming-overview.md (put large files, over 30 GB, in volumes)' },
    CLUSTER_NOT_FOUND: { severity: 'blocker', layer: 'cluster', title: 'AKS cluster not found', source: 'Resource Manager: Microsoft.ContainerService/managedClusters list (az aks list)' },
    CLUSTER_VERSION_UNSUPPORTED: { severity: 'blocker', layer: 'cluster', title: 'Kubernetes older than 1.25', source: `${AKS_PAGE} (Kubernetes 1.25+)` },
    CLUSTER_VERSION_BORDERLINE: { severity: 'warning', layer: 'cluster', title: 'Kubernetes 1.25: the ACR docs ask for 1.26', source: `${AKS_PAGE} says 1.25+, ${ACR_PAGE} says 1.26+` },
    CLUSTER_NO_ACR_PULL: { severity: 'blocker', layer: 'cluster', title: 'Kubelet identity cannot pull from the registry', source: `${ACR_TROUBLESHOOT} (acr-mirror 503: check AKS to ACR permission); Learn: Azure ABAC repository permissions` },
    NODEPOOL_NOT_FOUND: { severity: 'blocker', layer: 'nodePool', title: 'Node pool not found in the cluster (added)', source: 'Resource Manager: managedClusters/agentPools list (az aks nodepool list)' },
    NODEPOOL_STREAMING_DISABLED: { severity: 'blocker', layer: 'nodePool', title: 'Artifact streaming is off on the node pool', source: `${AKS_PAGE} (artifactStreamingProfile.enabled; az aks nodepool update --enable-artifact-streaming)` },
    NODEPOOL_WINDOWS: { severity: 'blocker', layer: 'nodePool', title: 'Windows node pool', source: `${AKS_PAGE} (no Windows node pools or images)` },
    NODEPOOL_ARM64: { severity: 'blocker', layer: 'nodePool', title: 'Arm64 node pool', source: `${AKS_PAGE} (Linux AMD64 images only); Learn: VM sizes naming conventions (p = Arm64)` },
    NODEPOOL_OS_UNSUPPORTED: { severity: 'blocker', layer: 'nodePool', title: 'Node OS does not support artifact streaming', source: 'Learn (AKS): flatcar-container-linux-for-aks.md, azure-container-linux-limitations.md; pre-GA artifact-streaming.md (OS Guard)' },
    NODEPOOL_KATA_RUNTIME: { severity: 'warning', layer: 'nodePool', title: 'Pod sandboxing (Kata): not documented as supported', source: 'no AKS doc lists it; AgentBaker containerd template configures Kata beside overlaybd (low confidence)' },
    NODEPOOL_CONFIDENTIAL_VM: { severity: 'warning', layer: 'nodePool', title: 'Confidential VM pool: not documented as supported', source: 'no AKS doc lists it (azure-container-linux-limitations.md names CVMs only for ACL)' },
    NODEPOOL_UPDATING: { severity: 'info', layer: 'nodePool', title: 'Node pool is updating (nodes are being reimaged)', source: 'Learn (AKS): node-disruption-policy.md (toggling artifact streaming reimages nodes)' },
    POD_NOT_FOUND: { severity: 'warning', layer: 'pod', title: 'Pod not found (added)', source: 'Kubernetes API: GET /api/v1/namespaces/{ns}/pods/{name}' },
    POD_IMAGE_MISMATCH: { severity: 'warning', layer: 'pod', title: 'The pod does not run this image (added)', source: 'Kubernetes API: pod spec.containers[].image' },
    POD_PULL_SECRET: { severity: 'blocker', layer: 'pod', title: 'Pod pulls with imagePullSecrets: falls back to a normal pull', source: `${AKS_PAGE} (imagePullSecrets / regcred not supported)` },
    POD_IMAGE_BY_DIGEST: { severity: 'blocker', layer: 'pod', title: 'Pod references the image by digest: only pulls by tag stream', source: `${AKS_PAGE} (pull by tag only)` },
    POD_MIRROR_UNAVAILABLE: { severity: 'blocker', layer: 'pod', title: "The node's acr-mirror (localhost:8578) answers 503", source: `${ACR_TROUBLESHOOT} (HEAD to http://localhost:8578/v2/... answers 503)` },
    POD_PULL_FAILING: { severity: 'warning', layer: 'pod', title: 'The image pull is failing (added)', source: 'kubelet events: ErrImagePull / ImagePullBackOff' },
    POD_SLOW_PULL: { severity: 'info', layer: 'pod', title: 'The last pull took long', source: 'kubelet event "Successfully pulled image … in …"; threshold SLOW_PULL_SECONDS (docs/performance.md)' },
    POD_UPGRADE_IF_STREAMABLE_DISABLED: { severity: 'warning', layer: 'pod', title: 'Pod carries the UpgradeIfStreamableDisabled condition', source: `${ACR_TROUBLESHOOT} (UpgradeIfStreamableDisabled: check that the image is from ACR)` },
    FACT_UNAVAILABLE: { severity: 'warning', layer: 'diagnosis', title: 'A fact could not be read, so the verdict cannot be "streams" (added)', source: 'docs/tools.md (verdict rules: a layer not checked makes the verdict unknown)' }
} as const satisfies Record<string, FindingInfo>;

export type FindingCode = keyof typeof FINDINGS;
export const FINDING_CODES = Object.keys(FINDINGS) as FindingCode[];

/** A change tool that applies a fix, with its arguments (the tool plans first and asks for confirmation). */
export type ToolCall = {
    name: string;
    arguments: Record<string, unknown>;
};

export type Fix = {
    explanation: string;
    azCommand?: string;
    kubectlCommand?: string;
    tool?: ToolCall;
};

export type Finding = {
    code: FindingCode;
    severity: Severity;
    title: string;
    /** What was seen (a field value, an event message), quoted so a human can check it. */
    evidence: string;
    fix: Fix;
    source: string;
};

/** The short form the read tools return as `reasons`. */
export interface Reason {
    code: FindingCode;
    severity: Severity;
    message: string;
}

export function finding(code: FindingCode, evidence: string, fix: Fix, severity?: Severity): Finding {
    const info: FindingInfo = FINDINGS[code];
    return { code, severity: severity ?? info.severity, title: info.title, evidence, fix, source: info.source };
}

export function toReason(f: Finding): Reason {
    return { code: f.code, severity: f.severity, message: `${f.title}: ${f.evidence}` };
}

export function hasBlocker(items: readonly { severity: Severity }[]): boolean {
    return items.some(r => r.severity === 'blocker');
}

export const SEVERITY_RANK: Record<Severity, number> = { blocker: 0, warning: 1, info: 2 };
const LAYER_RANK: Record<Layer, number> = { registry: 0, repository: 1, image: 2, cluster: 3, nodePool: 4, pod: 5, diagnosis: 6 };

/** Blockers first, then warnings, then info; within a severity, from the registry down to the pod (stable). */
export function sortFindings<F extends Finding>(findings: readonly F[]): F[] {
    return [...findings].sort(
        (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || LAYER_RANK[FINDINGS[a.code].layer] - LAYER_RANK[FINDINGS[b.code].layer]
    );
}
