/**
 * Azure Resource Manager through the official modular SDKs (built once, on first use, and reused), plus
 * one raw GET for role assignments (no @azure/arm-authorization dependency). Every call carries the
 * tool's abort signal; timeouts and capped retries come from our reliability policy.
 */
import type { Agent } from 'node:https';
import type { TokenCredential } from '@azure/core-auth';
import type { ContainerRegistryManagementClient, Registry } from '@azure/arm-containerregistry';
import type { AgentPool, ContainerServiceClient, ManagedCluster } from '@azure/arm-containerservice';
import type { HttpClient, Pipeline, PipelinePolicy } from '@azure/core-rest-pipeline';
import { ToolError } from '../tool-error.js';
import type { CloudProfile } from './cloud.js';
import { answerError } from './errors.js';
import { reliabilityPolicies, type RetrySettings } from './http-policies.js';
import { loadRest, type RestModule } from './rest.js';
import { SharedPromise } from './shared-promise.js';
import type { AgentPoolInfo, CallOptions, ClusterInfo, RegistryInfo, RoleAssignmentInfo } from './types.js';

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
    private readonly acrClient = new SharedPromise<ContainerRegistryManagementClient>();
    private readonly aksClient = new SharedPromise<ContainerServiceClient>();
    private readonly raw = new SharedPromise<{ pipeline: Pipeline; http: HttpClient; rest: RestModule }>();

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

    private withReliability(pipeline: Pipeline, rest: RestModule): void {
        for (const policy of reliabilityPolicies(rest, this.setup.retry) as PipelinePolicy[]) pipeline.addPolicy(policy);
    }

    private registries(): Promise<ContainerRegistryManagementClient> {
        return this.acrClient.get(async () => {
            const [{ ContainerRegistryManagementClient }, rest] = await Promise.all([import('@azure/arm-containerregistry'), loadRest()]);
            const client = new ContainerRegistryManagementClient(this.setup.credential, this.setup.subscriptionId, this.clientOptions());
            this.withReliability(client.pipeline, rest);
            return client;
        });
    }

    private clusters(): Promise<ContainerServiceClient> {
        return this.aksClient.get(async () => {
            const [{ ContainerServiceClient }, rest] = await Promise.all([import('@azure/arm-containerservice'), loadRest()]);
            const client = new ContainerServiceClient(this.setup.credential, this.setup.subscriptionId, this.clientOptions());
            this.withReliability(client.pipeline, rest);
            return client;
        });
    }

    /** The AKS client for the agent-pool writes (agent-pool-writes.ts). */
    containerService(): Promise<ContainerServiceClient> {
        return this.clusters();
    }

    /** The registry client's pipeline (auth, our reliability policies) and one HTTP client, for raw ARM GETs. */
    private rawGet() {
        return this.raw.get(async () => {
            const [client, rest] = await Promise.all([this.registries(), loadRest()]);
            return { pipeline: client.pipeline, http: rest.createDefaultHttpClient(), rest };
        });
    }

    async listRegistries(opts: CallOptions & { resourceGroup?: string }): Promise<RegistryInfo[]> {
        const client = await this.registries();
        const o = { abortSignal: opts.abortSignal };
        return collect(opts.resourceGroup ? client.registries.listByResourceGroup(opts.resourceGroup, o) : client.registries.list(o), toRegistryInfo);
    }

    async getRegistry(resourceGroup: string, name: string, opts: CallOptions): Promise<RegistryInfo> {
        return toRegistryInfo(await (await this.registries()).registries.get(resourceGroup, name, { abortSignal: opts.abortSignal }));
    }

    async replicationLocations(reg: RegistryInfo, opts: CallOptions): Promise<string[]> {
        return collect((await this.registries()).replications.list(reg.resourceGroup, reg.name, { abortSignal: opts.abortSignal }), r => r.location);
    }

    async listClusters(opts: CallOptions & { resourceGroup?: string }): Promise<ClusterInfo[]> {
        const client = await this.clusters();
        const o = { abortSignal: opts.abortSignal };
        return collect(opts.resourceGroup ? client.managedClusters.listByResourceGroup(opts.resourceGroup, o) : client.managedClusters.list(o), toClusterInfo);
    }

    async getCluster(resourceGroup: string, name: string, opts: CallOptions): Promise<ClusterInfo> {
        return toClusterInfo(await (await this.clusters()).managedClusters.get(resourceGroup, name, { abortSignal: opts.abortSignal }));
    }

    async listAgentPools(cluster: ClusterInfo, opts: CallOptions): Promise<AgentPoolInfo[]> {
        return collect((await this.clusters()).agentPools.list(cluster.resourceGroup, cluster.name, { abortSignal: opts.abortSignal }), toAgentPoolInfo);
    }

    /** The user kubeconfig (YAML) of a cluster, from listClusterUserCredential. */
    async userKubeconfig(cluster: ClusterInfo, opts: CallOptions): Promise<string> {
        const res = await (await this.clusters()).managedClusters.listClusterUserCredentials(cluster.resourceGroup, cluster.name, { abortSignal: opts.abortSignal });
        const value = res.kubeconfigs?.[0]?.value;
        if (!value) {
            throw new ToolError(
                `Resource Manager returned no kubeconfig for cluster ${cluster.name}`,
                'listClusterUserCredential answered without a kubeconfig',
                `check that you hold "Azure Kubernetes Service Cluster User Role" on the cluster: \`az aks get-credentials -g ${cluster.resourceGroup} -n ${cluster.name}\` shows the same`,
                'NO_KUBECONFIG'
            );
        }
        return Buffer.from(value).toString('utf8');
    }

    /** Role assignments that apply to `principalId` at, above or below `scope` (raw ARM GET). */
    async roleAssignments(scope: string, principalId: string, opts: CallOptions): Promise<RoleAssignmentInfo[]> {
        const { pipeline, http, rest } = await this.rawGet();
        const out: RoleAssignmentInfo[] = [];
        const filter = encodeURIComponent(`principalId eq '${principalId.replace(/'/g, "''")}'`);
        let url: string | undefined =
            `${this.setup.armEndpoint}${scope}/providers/Microsoft.Authorization/roleAssignments?api-version=${ROLE_ASSIGNMENTS_API_VERSION}&$filter=${filter}`;
        for (let page = 0; url && page < 20; page++) {
            const res = await pipeline.sendRequest(http, rest.createPipelineRequest({ url, method: 'GET', abortSignal: opts.abortSignal }));
            if (res.status !== 200) throw answerError(res.status, res.bodyAsText, res);
            let body: { value?: { properties?: Partial<RoleAssignmentInfo> & { condition?: string | null } }[]; nextLink?: string };
            try {
                body = JSON.parse(res.bodyAsText ?? '{}') as typeof body;
            } catch {
                throw answerError(502, '{"error":{"message":"unreadable JSON from the role-assignment list"}}', res);
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

/** Drains an ARM pager (it follows nextLink) into mapped items. */
async function collect<T, R>(pages: AsyncIterable<T>, map: (item: T) => R): Promise<R[]> {
    const out: R[] = [];
    for await (const item of pages) out.push(map(item));
    return out;
}
