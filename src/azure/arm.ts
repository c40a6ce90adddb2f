/**
 * Azure Resource Manager through the official modular SDKs (built once, on first use, and reused), plus
 * one raw GET for role assignments (no @azure/arm-authorization dependency). Every call carries the
 * tool's abort signal; timeouts and capped retries come from our reliability policy.
 */
import type { Agent } from 'node:https';
import type { TokenCredential } from '@azure/core-auth';
import type { ContainerRegistryManagementClient, Registry } from '@azure/arm-containerregistry';
import type { AgentPool, ContainerServiceClient, ManagedCluster } from '@azure/arm-containerservice';
import type { createPipelineRequest, HttpClient, Pipeline } from '@azure/core-rest-pipeline';
import type { CloudProfile } from './cloud.js';
import { reliabilityPolicy, type RetrySettings } from './http-policies.js';
import type { AgentPoolInfo, ClusterInfo, RegistryInfo, RoleAssignmentInfo } from './types.js';

export interface ArmSetup {
    cloud: CloudProfile;
    armEndpoint: string;
    subscriptionId: string;
    credential: TokenCredential;
    agent?: Agent;
    retry: RetrySettings;
}

/** api-version for the raw role-assignment list (stable, supports $filter=principalId eq '…'). */
export const ROLE_ASSIGNMENTS_API_VERSION = '2022-04-01';

export function resourceGroupOf(id: string | undefined): string {
    return /\/resourceGroups\/([^/]+)/i.exec(id ?? '')?.[1] ?? '';
}

export function toRegistryInfo(r: Registry): RegistryInfo {
    return {
        id: r.id ?? '',
        name: r.name ?? '',
        resourceGroup: resourceGroupOf(r.id),
        loginServer: (r.loginServer ?? '').toLowerCase(),
        location: r.location,
        sku: String(r.sku?.name ?? r.sku?.tier ?? 'unknown'),
        customerManagedKey: String(r.encryption?.status ?? '').toLowerCase() === 'enabled',
        armAudienceDisabled: String(r.policies?.azureADAuthenticationAsArmPolicy?.status ?? '').toLowerCase() === 'disabled',
        abacRepositoryPermissions: String(r.roleAssignmentMode ?? '').toLowerCase() === 'abacrepositorypermissions'
    };
}

export function toClusterInfo(c: ManagedCluster): ClusterInfo {
    return {
        id: c.id ?? '',
        name: c.name ?? '',
        resourceGroup: resourceGroupOf(c.id),
        location: c.location,
        kubernetesVersion: c.currentKubernetesVersion ?? c.kubernetesVersion ?? '',
        ...(c.identityProfile?.kubeletidentity?.objectId ? { kubeletObjectId: c.identityProfile.kubeletidentity.objectId } : {})
    };
}

/**
 * Only fields ARM really has: OS Guard (its `osSKU`) and confidential VMs (the VM size, the node image) are
 * recognised from them by the node pool rules (src/streaming/nodepool-rules.ts), not here.
 */
export function toAgentPoolInfo(p: AgentPool): AgentPoolInfo {
    return {
        name: p.name ?? '',
        ...(p.mode ? { mode: p.mode } : {}),
        osType: p.osType ?? 'Linux',
        ...(p.osSKU ? { osSKU: p.osSKU } : {}),
        vmSize: p.vmSize ?? '',
        ...(p.count !== undefined ? { count: p.count } : {}),
        artifactStreaming: p.artifactStreamingProfile?.enabled === true,
        ...(p.workloadRuntime ? { workloadRuntime: p.workloadRuntime } : {}),
        ...(p.currentOrchestratorVersion || p.orchestratorVersion ? { orchestratorVersion: p.currentOrchestratorVersion ?? p.orchestratorVersion } : {}),
        ...(p.nodeImageVersion ? { nodeImageVersion: p.nodeImageVersion } : {}),
        ...(p.provisioningState ? { provisioningState: p.provisioningState } : {})
    };
}

export class ArmAccess {
    private acrClient?: Promise<ContainerRegistryManagementClient>;
    private aksClient?: Promise<ContainerServiceClient>;
    private raw?: Promise<{ pipeline: Pipeline; http: HttpClient; createPipelineRequest: typeof createPipelineRequest }>;

    constructor(private readonly setup: ArmSetup) {}

    private clientOptions() {
        return {
            endpoint: this.setup.armEndpoint,
            credentials: { scopes: [this.setup.cloud.armScope] },
            // Our reliability policy does the retrying (with a Retry-After cap); the SDK's would double it.
            retryOptions: { maxRetries: 0 },
            ...(this.setup.agent ? { agent: this.setup.agent } : {})
        };
    }

    private registries(): Promise<ContainerRegistryManagementClient> {
        this.acrClient ??= import('@azure/arm-containerregistry').then(({ ContainerRegistryManagementClient }) => {
            const client = new ContainerRegistryManagementClient(this.setup.credential, this.setup.subscriptionId, this.clientOptions());
            client.pipeline.addPolicy(reliabilityPolicy(this.setup.retry));
            return client;
        });
        return this.acrClient;
    }

    private clusters(): Promise<ContainerServiceClient> {
        this.aksClient ??= import('@azure/arm-containerservice').then(({ ContainerServiceClient }) => {
            const client = new ContainerServiceClient(this.setup.credential, this.setup.subscriptionId, this.clientOptions());
            client.pipeline.addPolicy(reliabilityPolicy(this.setup.retry));
            return client;
        });
        return this.aksClient;
    }

    /** The registry client's pipeline (auth, our reliability policy) and one HTTP client, for raw ARM GETs. */
    private rawGet() {
        this.raw ??= Promise.all([this.registries(), import('@azure/core-rest-pipeline')]).then(([client, rest]) => ({
            pipeline: client.pipeline,
            http: rest.createDefaultHttpClient(),
            createPipelineRequest: rest.createPipelineRequest
        }));
        return this.raw;
    }

    async listRegistries(signal: AbortSignal, resourceGroup?: string): Promise<RegistryInfo[]> {
        const client = await this.registries();
        const pages = resourceGroup ? client.registries.listByResourceGroup(resourceGroup, { abortSignal: signal }) : client.registries.list({ abortSignal: signal });
        return collect(pages, toRegistryInfo);
    }

    async getRegistry(resourceGroup: string, name: string, signal: AbortSignal): Promise<RegistryInfo> {
        return toRegistryInfo(await (await this.registries()).registries.get(resourceGroup, name, { abortSignal: signal }));
    }

    async replicationLocations(reg: RegistryInfo, signal: AbortSignal): Promise<string[]> {
        return collect((await this.registries()).replications.list(reg.resourceGroup, reg.name, { abortSignal: signal }), r => r.location);
    }

    async listClusters(signal: AbortSignal, resourceGroup?: string): Promise<ClusterInfo[]> {
        const client = await this.clusters();
        const pages = resourceGroup ? client.managedClusters.listByResourceGroup(resourceGroup, { abortSignal: signal }) : client.managedClusters.list({ abortSignal: signal });
        return collect(pages, toClusterInfo);
    }

    async getCluster(resourceGroup: string, name: string, signal: AbortSignal): Promise<ClusterInfo> {
        return toClusterInfo(await (await this.clusters()).managedClusters.get(resourceGroup, name, { abortSignal: signal }));
    }

    async listAgentPools(cluster: ClusterInfo, signal: AbortSignal): Promise<AgentPoolInfo[]> {
        return collect((await this.clusters()).agentPools.list(cluster.resourceGroup, cluster.name, { abortSignal: signal }), toAgentPoolInfo);
    }

    /** The user kubeconfig (YAML) of a cluster, from listClusterUserCredential. */
    async userKubeconfig(cluster: ClusterInfo, signal: AbortSignal): Promise<string> {
        const res = await (await this.clusters()).managedClusters.listClusterUserCredentials(cluster.resourceGroup, cluster.name, { abortSignal: signal });
        const value = res.kubeconfigs?.[0]?.value;
        if (!value) throw new Error(`ARM returned no kubeconfig for ${cluster.name}`);
        return Buffer.from(value).toString('utf8');
    }

    /** Role assignments that apply to `principalId` at, above or below `scope` (raw ARM GET). */
    async roleAssignments(scope: string, principalId: string, signal: AbortSignal): Promise<RoleAssignmentInfo[]> {
        const { pipeline, http, createPipelineRequest } = await this.rawGet();
        const out: RoleAssignmentInfo[] = [];
        const filter = encodeURIComponent(`principalId eq '${principalId.replace(/'/g, "''")}'`);
        let url: string | undefined =
            `${this.setup.armEndpoint}${scope}/providers/Microsoft.Authorization/roleAssignments?api-version=${ROLE_ASSIGNMENTS_API_VERSION}&$filter=${filter}`;
        for (let page = 0; url && page < 20; page++) {
            const res = await pipeline.sendRequest(http, createPipelineRequest({ url, method: 'GET', abortSignal: signal }));
            if (res.status !== 200) throw armRestError(res.status, res.bodyAsText, res.headers);
            let body: { value?: { properties?: Partial<RoleAssignmentInfo> & { condition?: string | null } }[]; nextLink?: string };
            try {
                body = JSON.parse(res.bodyAsText ?? '{}') as typeof body;
            } catch {
                throw armRestError(502, '{"error":{"message":"unreadable JSON from the role-assignment list"}}', res.headers);
            }
            for (const v of body.value ?? []) {
                const p = v.properties ?? {};
                if (p.roleDefinitionId && p.scope) {
                    out.push({ roleDefinitionId: p.roleDefinitionId, scope: p.scope, principalId: p.principalId ?? principalId, ...(p.condition ? { condition: p.condition } : {}) });
                }
            }
            // nextLink must stay on the ARM endpoint: the bearer token follows it.
            url = body.nextLink && new URL(body.nextLink).origin === new URL(this.setup.armEndpoint).origin ? body.nextLink : undefined;
        }
        return out;
    }
}

/** The same shape the SDK throws (statusCode, code), so one error translation serves both. */
function armRestError(status: number, body: string | null | undefined, headers: { get(name: string): string | undefined }): Error {
    let code: string | undefined;
    let message = `HTTP ${status}`;
    try {
        const parsed = JSON.parse(body ?? '') as { error?: { code?: string; message?: string } };
        code = parsed.error?.code;
        message = parsed.error?.message ?? message;
    } catch {
        /* not JSON */
    }
    return Object.assign(new Error(message), { name: 'RestError', statusCode: status, code, response: { headers } });
}

/** Drains an ARM pager (it follows nextLink) into mapped items. */
async function collect<T, R>(pages: AsyncIterable<T>, map: (item: T) => R): Promise<R[]> {
    const out: R[] = [];
    for await (const item of pages) out.push(map(item));
    return out;
}
