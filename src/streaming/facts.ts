/**
 * The plain facts the rules read. A fact the caller tried and failed to get (no permission, a timeout, a
 * throttled registry) is an `Unknown` saying why: the rules turn it into a FACT_UNAVAILABLE finding and the
 * verdict can then never be "streams" (docs/tools.md, verdict rules). A fact not asked for is `undefined`.
 */
export interface Unknown {
    readonly unknown: true;
    /** What could not be read and why, in the user's terms ("role assignments on contosoacr: 403 Forbidden"). */
    readonly why: string;
    /** What to do about it, when known (e.g. the missing role). */
    readonly fix?: string;
}

export type Fact<T> = T | Unknown;

export function unknownFact(why: string, fix?: string): Unknown {
    return { unknown: true, why, ...(fix ? { fix } : {}) };
}

export function isUnknown<T>(f: Fact<T> | undefined): f is Unknown {
    return typeof f === 'object' && f !== null && (f as { unknown?: unknown }).unknown === true;
}

export interface RegistryFacts {
    name: string;
    resourceGroup?: string;
    sku: string;
    customerManagedKey: boolean;
    /** Resource id, used in role-assignment fixes. */
    id?: string;
    /** roleAssignmentMode AbacRepositoryPermissions: AcrPull is not honoured there. */
    abacRepositoryPermissions?: boolean;
}

export interface PlatformFacts {
    os: string;
    architecture: string;
    variant?: string | null;
    /** Compressed bytes of this platform's layers, when known. */
    sizeBytes?: number;
}

export interface ImageFacts {
    mediaType: string;
    /** Single manifest: exactly one entry; index: its entries (attestations already left out). */
    platforms: readonly PlatformFacts[];
    /** The image itself is a streaming artifact (artifactType application/vnd.azure.artifact.streaming.v1). */
    isStreamingArtifact: boolean;
}

export interface ConversionFacts {
    /** A referrer with artifactType application/vnd.azure.artifact.streaming.v1 exists for the digest. */
    artifactPresent: boolean;
    /** The last conversion of the digest (GET /acr/v1/{repo}/_streaming/{digest}), null when none exists. */
    lastOperation: { id: string; status: string; details?: string | null; progress?: string | null } | null;
}

export interface ClusterFacts {
    name: string;
    resourceGroup: string;
    kubernetesVersion: string;
}

export interface PullGrantFacts {
    granted: boolean;
    role: string | null;
    /** The kubelet identity's object id, for the role-assignment fix. */
    principalId?: string;
}

export interface NodePoolFacts {
    name: string;
    osType: string;
    osSKU?: string;
    vmSize: string;
    /** artifactStreamingProfile.enabled; undefined when only support (not state) is asked about. */
    artifactStreaming?: boolean;
    workloadRuntime?: string;
    nodeImageVersion?: string;
    /**
     * Known from elsewhere (e.g. a node's `kubernetes.azure.com/os-sku` label); otherwise recognised from
     * osSKU and nodeImageVersion (isOsGuardPool).
     */
    osGuard?: boolean;
    /**
     * Known from elsewhere (e.g. a node's `kubernetes.azure.com/security-type=ConfidentialVM` label); otherwise
     * recognised from vmSize and nodeImageVersion (isConfidentialVmPool).
     */
    confidentialVm?: boolean;
    orchestratorVersion?: string;
    provisioningState?: string;
}

/** Where a target's names come from, for the fixes' commands and tool arguments. */
export interface ImageTarget {
    /** The reference as given, e.g. contosoacr.azurecr.io/ml/trainer:v1. */
    text: string;
    registry: string;
    loginServer: string;
    repository: string;
    tag?: string;
    digest?: string;
}

export interface PodEventFacts {
    type: string;
    reason: string;
    message: string;
    /** How often it happened (`count`, or `(x4 over 3m)` in kubectl's folded output); 1 when not said. */
    count: number;
}

/** One kubelet "Successfully pulled image" record. */
export interface PullRecord {
    image: string;
    seconds: number;
    includingWaitingSeconds?: number;
    sizeBytes?: number;
    /** The event message, quoted as evidence. */
    message: string;
}

export interface PodFacts {
    /** Where the evidence came from, said in `checked`. */
    source: 'kubernetes-api' | 'pasted-text';
    namespace?: string;
    name?: string;
    node?: string;
    /** From the node's kubernetes.azure.com/agentpool label (or the node name's aks-<pool>-… form). */
    nodePool?: string;
    containers: { name: string; image: string }[];
    /** spec.imagePullSecrets of the pod (the service account's are added there at admission). */
    imagePullSecrets: string[];
    /** What this evidence cannot show, and why (e.g. kubectl describe does not print imagePullSecrets). */
    gaps?: string[];
    serviceAccount?: string;
    /** imagePullSecrets of the pod's service account, when it was read. */
    serviceAccountPullSecrets?: string[];
    conditions: { type: string; status: string }[];
    events: PodEventFacts[];
    /** Container state reasons such as ErrImagePull, ImagePullBackOff. */
    waitingReasons: string[];
    /** Pulls in event order (oldest first). */
    pulls: PullRecord[];
}
