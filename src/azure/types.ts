/** Plain facts the Azure layer returns; nothing SDK-specific leaks past src/azure/. */

/**
 * The options bag every Azure call takes last, as the Azure SDK's OperationOptions do: the caller's abort
 * signal (a tool passes its runtime's signal, so a cancelled call stops its requests and retries).
 */
export interface CallOptions {
    abortSignal: AbortSignal;
}
export interface RegistryInfo {
    id: string;
    name: string;
    resourceGroup: string;
    loginServer: string;
    location: string;
    sku: string;
    customerManagedKey: boolean;
    /** policies.azureADAuthenticationAsArmPolicy.status === 'disabled': only ACR-audience tokens work. */
    armAudienceDisabled: boolean;
    /** roleAssignmentMode AbacRepositoryPermissions: AcrPull/AcrPush/AcrDelete are not honoured there. */
    abacRepositoryPermissions: boolean;
}

export interface ClusterInfo {
    id: string;
    name: string;
    resourceGroup: string;
    location: string;
    kubernetesVersion: string;
    kubeletObjectId?: string;
}

export interface AgentPoolInfo {
    name: string;
    mode?: string;
    osType: string;
    osSKU?: string;
    vmSize: string;
    count?: number;
    artifactStreaming: boolean;
    workloadRuntime?: string;
    orchestratorVersion?: string;
    nodeImageVersion?: string;
    provisioningState?: string;
}

export interface RoleAssignmentInfo {
    roleDefinitionId: string;
    scope: string;
    principalId: string;
    /** An ABAC condition (e.g. limiting the grant to some repositories); absent when unconditional. */
    condition?: string;
}

export interface Platform {
    os: string;
    architecture: string;
    variant: string | null;
    sizeBytes: number;
    layers: number;
    digest: string;
}

export interface ManifestInfo {
    digest: string;
    mediaType: string;
    kind: 'manifest' | 'index' | 'unsupported';
    platforms: Platform[];
    /** Sum over platforms (for an index: every child; shared layers are counted per platform). */
    sizeBytes: number;
    isStreamingArtifact: boolean;
}

export interface StreamingOperation {
    id: string;
    status: string;
    progress: string | null;
    details: string | null;
}

export interface ImageInspection {
    manifest: ManifestInfo;
    streamingArtifact: { present: boolean; digest: string | null };
    lastOperation: StreamingOperation | null;
}

export interface RepositoryPage {
    repositories: string[];
    /** Last name of this page when more may follow. */
    last?: string;
}
