/**
 * The reason codes the compatibility rules produce, with where each rule comes from. The codes are the
 * finding codes of streaming_diagnose (shared/design/tools.md) so a reason from a read tool and a finding
 * from the diagnosis read the same. Sources abbreviate the fact sheet (shared/domain/acr-streaming-facts.md).
 */
export type Severity = 'blocker' | 'warning' | 'info';

export interface ReasonInfo {
    severity: Severity;
    source: string;
}

export const REASONS = {
    REGISTRY_NOT_PREMIUM: { severity: 'blocker', source: 'Learn: container-registry-artifact-streaming.md (Premium SKU only)' },
    REGISTRY_CMK_ENABLED: { severity: 'blocker', source: 'Learn: container-registry-artifact-streaming.md, AKS artifact-streaming.md (CMK registries not supported)' },
    IMAGE_PLATFORM_UNSUPPORTED: { severity: 'blocker', source: 'Learn: troubleshoot-artifact-streaming.md (UNSUPPORTED_PLATFORM: only linux/amd64)' },
    IMAGE_NO_AMD64_IN_INDEX: { severity: 'blocker', source: 'Learn: troubleshoot-artifact-streaming.md (NO_SUPPORTED_PLATFORM_FOUND)' },
    IMAGE_MULTIARCH_PARTIAL: { severity: 'info', source: 'Learn: container-registry-artifact-streaming.md (multi-arch: only the amd64 entry)' },
    IMAGE_MEDIATYPE_UNSUPPORTED: { severity: 'blocker', source: 'Learn: troubleshoot-artifact-streaming.md (UNSUPPORTED_MEDIATYPE)' },
    IMAGE_IS_STREAMING_ARTIFACT: { severity: 'blocker', source: 'Learn: troubleshoot-artifact-streaming.md (UNSUPPORTED_ARTIFACT_TYPE)' },
    CLUSTER_VERSION_UNSUPPORTED: { severity: 'blocker', source: 'AKS docs: artifact-streaming.md (Kubernetes 1.25+)' },
    CLUSTER_VERSION_BORDERLINE: { severity: 'warning', source: 'AKS docs say 1.25+, ACR docs say 1.26+ (discrepancy)' },
    CLUSTER_NO_ACR_PULL: { severity: 'blocker', source: 'Learn: troubleshoot-artifact-streaming.md (acr-mirror 503: AKS to ACR permission)' },
    NODEPOOL_STREAMING_DISABLED: { severity: 'blocker', source: 'AKS docs: artifact-streaming.md (artifactStreamingProfile.enabled)' },
    NODEPOOL_WINDOWS: { severity: 'blocker', source: 'AKS docs: artifact-streaming.md (no Windows node pools / images)' },
    NODEPOOL_ARM64: { severity: 'blocker', source: 'AKS docs: artifact-streaming.md (no ARM64 images; Linux AMD64 only)' },
    NODEPOOL_OS_UNSUPPORTED: { severity: 'blocker', source: 'AKS docs: flatcar-container-linux-for-aks.md, azure-container-linux-limitations.md, pre-GA doc (OS Guard)' },
    NODEPOOL_KATA_RUNTIME: { severity: 'warning', source: 'not documented as supported (AgentBaker containerd template, low confidence)' },
    NODEPOOL_CONFIDENTIAL_VM: { severity: 'warning', source: 'not documented as supported (no AKS doc found)' },
    NODEPOOL_UPDATING: { severity: 'info', source: 'AKS docs: node-disruption-policy.md (toggling reimages nodes)' }
} as const satisfies Record<string, ReasonInfo>;

export type ReasonCode = keyof typeof REASONS;

export interface Reason {
    code: ReasonCode;
    severity: Severity;
    message: string;
}

export function reason(code: ReasonCode, message: string): Reason {
    return { code, severity: REASONS[code].severity, message };
}

export function hasBlocker(reasons: readonly Reason[]): boolean {
    return reasons.some(r => r.severity === 'blocker');
}
