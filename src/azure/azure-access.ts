/**
 * The Azure access layer's one entry point. createAzureAccess is itself imported lazily (src/app.ts) and
 * imports no @azure/* package at load time: the SDKs load on the first call that needs them. The rest of
 * the code sees typed functions returning plain facts, and ToolErrors for every failure.
 */
import { Agent } from 'node:https';
import type { TokenCredential } from '@azure/core-auth';
import { AcrSession } from './acr-auth.js';
import { AcrClient } from './acr-client.js';
import { AcrTransport } from './acr-transport.js';
import { ArmAccess } from './arm.js';
import { createAzureChanges, type AzureChanges } from './azure-changes.js';
import { cloudProfile, type CloudName, type CloudProfile } from './cloud.js';
import { lazyCredential } from './credential.js';
import { describeFailure } from './errors.js';
import { DEFAULT_RETRY, type RetrySettings } from './http-policies.js';
import { inspectImage, type InspectOptions } from './image-inspect.js';
import { kubeAccessFromKubeconfig, loadKubeClient, type KubeAccess } from './kube.js';
import { imagesFromListing, listRawManifests, streamingStateOf, type ListedImage, type StreamingState } from './manifest-listing.js';
import { findCluster, RegistryLookup } from './lookup.js';
import { isAcrLoginServer, parseImageRef, type ImageRef } from './names.js';
import { resolveSubscription } from './subscription.js';
import { SharedPromises } from './shared-promise.js';
import type { AgentPoolInfo, CallOptions, ClusterInfo, ImageInspection, RegistryInfo, RepositoryPage, RoleAssignmentInfo } from './types.js';

export type { ImageRef } from './names.js';
export type * from './types.js';
export type { KubeAccess } from './kube.js';
export type { ListedImage, ListedPlatform, StreamingState } from './manifest-listing.js';
export type { AzureChanges, PoolForChange, OperationState, StartedConversion, TaggedImage, WriteOptions } from './azure-changes.js';

export interface AzureAccessOptions {
    cloud?: CloudName;
    /** Entra tenant for the default credential (--tenant). */
    tenant?: string;
    /** Subscription id (--subscription); otherwise AZURE_SUBSCRIPTION_ID, then the az CLI default. */
    subscription?: string;
    /** Injected credential (sandbox, tests); otherwise DefaultAzureCredential, built on first use. */
    credential?: TokenCredential;
    /** Resource Manager origin; default: the cloud's. */
    armEndpoint?: string;
    /** Explicit endpoint map: requests are built for https://<loginServer>/… and only the socket target changes. */
    resolveEndpoint?: (loginServer: string) => string | undefined;
    /** Extra CA to trust (the sandbox's), via an https.Agent; TLS checks stay on. */
    caPem?: string;
    /** Wins over `subscription` and the environment (the sandbox's subscription). */
    subscriptionId?: string;
    tenantId?: string;
    timeoutMs?: number;
    retry?: Partial<RetrySettings>;
    /** How long the subscription's registry list is reused (default 30 s). */
    registryCacheMs?: number;
    /** Renew ACR tokens this long before they expire (default 60 s). */
    tokenSkewMs?: number;
    /**
     * Scopes per ACR token request when many repositories are read together (default 50). 1 restores one
     * token request per repository: only the bench uses it, to measure the difference.
     */
    maxScopesPerToken?: number;
    env?: NodeJS.ProcessEnv;
    now?: () => number;
    /** Interval between provisioning-state polls while a change tool waits (default 10 s; the sandbox's is short). */
    poolPollMs?: number;
    /** First interval between conversion-status polls (default the CLI's 5 s). */
    conversionPollMs?: number;
}

/**
 * Built-in roles that let an identity pull, per the registry's role assignment mode. In an ABAC-enabled
 * registry (roleAssignmentMode AbacRepositoryPermissions) the legacy AcrPull/AcrPush/AcrDelete roles are not
 * honoured; the Container Registry Repository roles are (Learn: "Azure ABAC repository permissions"). Ids are
 * the built-in role definition ids, the same in every tenant.
 */
export const PULL_ROLES: Record<'legacy' | 'abac', Record<string, string>> = {
    legacy: {
        '7f951dda-4ed3-4680-a7ca-43fe172d538d': 'AcrPull',
        '8311e382-0749-4cb8-b61a-304f252e45ec': 'AcrPush',
        'b24988ac-6180-42a0-ab88-20f7382dd24c': 'Contributor',
        '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': 'Owner'
    },
    abac: {
        'b93aa761-3e63-49ed-ac28-beffa264f7ac': 'Container Registry Repository Reader',
        '2a1e307c-b015-4ebd-883e-5b7698a07328': 'Container Registry Repository Writer',
        '2efddaa5-3f1f-4df3-97df-af3f13818f4c': 'Container Registry Repository Contributor'
    }
};

/**
 * The pull-granting role `principalId` holds on the registry `registryId`, from the assignments ARM listed for
 * that scope. An assignment counts when its scope is the registry or above it: a resource group, the
 * subscription, the root, or a management group (ARM lists a management-group assignment for this scope
 * only when the subscription sits under it). Assignments below the registry (one repository) do not count.
 * An unconditional grant wins over one limited by an ABAC condition, which is reported as such: it may
 * cover only some repositories.
 */
export function pullGrant(
    assignments: readonly RoleAssignmentInfo[],
    registryId: string,
    principalId: string,
    mode: 'legacy' | 'abac' = 'legacy'
): { granted: boolean; role: string | null } {
    const regScope = registryId.toLowerCase();
    let conditional: string | null = null;
    for (const a of assignments) {
        const scope = a.scope.toLowerCase().replace(/\/+$/, '');
        const covers = regScope === scope || regScope.startsWith(scope + '/') || scope.startsWith('/providers/microsoft.management/managementgroups/');
        const role = PULL_ROLES[mode][(a.roleDefinitionId.split('/').pop() ?? '').toLowerCase()];
        if (!covers || !role || a.principalId.toLowerCase() !== principalId.toLowerCase()) continue;
        if (!a.condition) return { granted: true, role };
        conditional ??= `${role} (limited by an ABAC condition: may not cover every repository)`;
    }
    return conditional ? { granted: true, role: conditional } : { granted: false, role: null };
}

export interface AzureAccess extends AzureChanges {
    readonly cloud: CloudProfile;
    readonly subscriptionId: string;
    /** Where the subscription id came from (--subscription, AZURE_SUBSCRIPTION_ID, azureProfile.json, sandbox). */
    readonly subscriptionSource: string;
    /** Strict parse of an image reference for this cloud (ToolError with an example on bad input). */
    parseImage(text: string): ImageRef;
    listRegistries(opts: CallOptions & { resourceGroup?: string }): Promise<RegistryInfo[]>;
    findRegistry(name: string, opts: CallOptions & { resourceGroup?: string }): Promise<RegistryInfo>;
    replicationLocations(reg: RegistryInfo, opts: CallOptions): Promise<string[]>;
    listRepositories(reg: RegistryInfo, opts: CallOptions & { n: number; last?: string }): Promise<RepositoryPage>;
    /**
     * Fetches the pull tokens for repositories about to be read, in as few token requests as the caps allow
     * (one per page of a listing), so the reads that follow find them cached.
     */
    authorizeRepositories(reg: RegistryInfo, repositories: readonly string[], opts: CallOptions): Promise<void>;
    getRepositoryStreaming(reg: RegistryInfo, repository: string, opts: CallOptions): Promise<{ convertPushedImages: boolean }>;
    /** The metadata tokens for repositories about to be listed with listImages, in as few token requests as the caps allow. */
    authorizeListing(reg: RegistryInfo, repositories: readonly string[], opts: CallOptions): Promise<void>;
    /** A repository's tagged images with sizes and platforms, from its manifest listing alone (manifest-listing.ts). */
    listImages(reg: RegistryInfo, repository: string, opts: CallOptions): Promise<ListedImage[]>;
    /** converted / converting / failed / none, from the referrers and (unless `operations` is false) the last conversion. */
    streamingState(reg: RegistryInfo, repository: string, digest: string, opts: CallOptions & { operations?: boolean }): Promise<StreamingState>;
    /** `operations: false` skips the last-conversion lookup (for registries that cannot stream). */
    inspectImage(reg: RegistryInfo, ref: ImageRef, opts: CallOptions & InspectOptions): Promise<ImageInspection>;
    /** The subscription's AKS clusters (or one resource group's). */
    listClusters(opts: CallOptions & { resourceGroup?: string }): Promise<ClusterInfo[]>;
    findCluster(name: string, opts: CallOptions & { resourceGroup?: string }): Promise<ClusterInfo>;
    listAgentPools(cluster: ClusterInfo, opts: CallOptions): Promise<AgentPoolInfo[]>;
    /** Whether `principalId` holds a pull-granting role at (or above) the registry's scope. */
    acrPull(principalId: string, reg: RegistryInfo, opts: CallOptions): Promise<{ granted: boolean; role: string | null }>;
    kube(cluster: ClusterInfo, opts: CallOptions): Promise<KubeAccess>;
    /** Starts loading the Kubernetes client in the background (a diagnosis that will read a pod calls it first). */
    preloadKubernetes(): void;
}

/** How long a cluster's Kubernetes access (its user kubeconfig from ARM) is reused. */
const KUBE_ACCESS_TTL_MS = 10 * 60_000;

export async function createAzureAccess(opts: AzureAccessOptions = {}): Promise<AzureAccess> {
    const cloud = cloudProfile(opts.cloud);
    const env = opts.env ?? process.env;
    const tenant = opts.tenantId ?? opts.tenant;
    const sub = opts.subscriptionId
        ? { id: opts.subscriptionId, source: 'sandbox' as const }
        : resolveSubscription(opts.subscription, env, tenant);
    const now = opts.now ?? Date.now;
    const retry: RetrySettings = { ...DEFAULT_RETRY, ...opts.retry, ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}) };
    const agent = opts.caPem ? new Agent({ ca: opts.caPem, keepAlive: true }) : undefined;
    const credential = lazyCredential({ cloud, tenant, credential: opts.credential });
    const armEndpoint = (opts.armEndpoint ?? cloud.armEndpoint).replace(/\/+$/, '');
    const arm = new ArmAccess({ cloud, armEndpoint, subscriptionId: sub.id, credential, agent, retry });
    const registries = new RegistryLookup(arm, opts.registryCacheMs ?? 30_000, now, sub.id);
    const transport = new AcrTransport({
        agent,
        retry,
        resolveEndpoint: opts.resolveEndpoint,
        isAllowedHost: host => isAcrLoginServer(host, cloud) && registries.reported.has(host)
    });
    const clients = new Map<string, AcrClient>();
    const kubes = new SharedPromises<string, KubeAccess>({ ttlMs: KUBE_ACCESS_TTL_MS, now });
    /** The one error boundary: every call below goes through it (errors.ts). */
    const boundary = <T>(action: string, fn: () => Promise<T>) => describeFailure({ action, tenant, armOrigin: armEndpoint }, fn);

    const clientFor = (reg: RegistryInfo): AcrClient => {
        transport.assertAllowed(new URL(`https://${reg.loginServer}/`));
        let c = clients.get(reg.loginServer);
        if (!c) {
            const session = new AcrSession(
                reg.loginServer,
                { cloud, credential, transport, tenantId: tenant, resolveEndpoint: opts.resolveEndpoint, skewMs: opts.tokenSkewMs ?? 60_000, now, maxScopesPerToken: opts.maxScopesPerToken },
                reg.armAudienceDisabled
            );
            c = new AcrClient(session, transport);
            clients.set(reg.loginServer, c);
        }
        return c;
    };

    return {
        ...createAzureChanges({ arm, clientFor, ctx: action => ({ action, tenant, armOrigin: armEndpoint }), poolPollMs: opts.poolPollMs, conversionPollMs: opts.conversionPollMs }),
        cloud,
        subscriptionId: sub.id,
        subscriptionSource: sub.source,
        parseImage: text => parseImageRef(text, cloud),
        listRegistries: o =>
            boundary('Listing container registries', () => (o.resourceGroup ? registries.inResourceGroup(o.resourceGroup, o) : registries.all(o))),
        findRegistry: (name, o) => boundary(`Looking up registry ${name}`, () => registries.find(name, o)),
        replicationLocations: (reg, o) => boundary(`Listing replications of ${reg.name}`, () => arm.replicationLocations(reg, o)),
        listRepositories: (reg, o) => boundary(`Listing repositories of ${reg.loginServer}`, () => clientFor(reg).listRepositories(o)),
        authorizeRepositories: (reg, repositories, o) =>
            boundary(`Getting access to the repositories of ${reg.loginServer}`, () => clientFor(reg).authorizeRepositories(repositories, o)),
        getRepositoryStreaming: (reg, repository, o) =>
            boundary(`Reading the streaming setting of ${reg.loginServer}/${repository}`, () => clientFor(reg).repositoryStreaming(repository, o)),
        authorizeListing: (reg, repositories, o) =>
            boundary(`Getting access to the repositories of ${reg.loginServer}`, () => clientFor(reg).authorizeMetadata(repositories, o)),
        listImages: (reg, repository, o) =>
            boundary(`Listing the manifests of ${reg.loginServer}/${repository}`, async () => imagesFromListing(repository, await listRawManifests(clientFor(reg), repository, o))),
        streamingState: (reg, repository, digest, o) =>
            boundary(`Reading the streaming state of ${reg.loginServer}/${repository}@${digest}`, () => streamingStateOf(clientFor(reg), repository, digest, o)),
        inspectImage: (reg, ref, o) => boundary(`Inspecting ${ref.text}`, () => inspectImage(clientFor(reg), ref, o)),
        listClusters: o => boundary('Listing AKS clusters', () => arm.listClusters(o)),
        findCluster: (name, o) => boundary(`Looking up AKS cluster ${name}`, () => findCluster(arm, sub.id, name, o)),
        listAgentPools: (cluster, o) => boundary(`Listing node pools of ${cluster.name}`, () => arm.listAgentPools(cluster, o)),
        acrPull: (principalId, reg, o) =>
            boundary(`Reading role assignments on ${reg.name}`, async () =>
                pullGrant(await arm.roleAssignments(reg.id, principalId, o), reg.id, principalId, reg.abacRepositoryPermissions ? 'abac' : 'legacy')
            ),
        preloadKubernetes: () => void loadKubeClient().catch(() => undefined),
        kube: (cluster, o) =>
            boundary(`Connecting to the Kubernetes API of ${cluster.name}`, () =>
                kubes.get(cluster.id, async () => {
                    const kube = await kubeAccessFromKubeconfig(await arm.userKubeconfig(cluster, o), { credential, retry, abortSignal: o.abortSignal });
                    return behindBoundary(kube, cluster.name);
                })
            )
    };

    /** The Kubernetes reads go through the same boundary as every other call. */
    function behindBoundary(kube: KubeAccess, clusterName: string): KubeAccess {
        const on = `on cluster ${clusterName}`;
        return {
            listPods: (namespace, o) => boundary(`Listing pods in namespace ${namespace} ${on}`, () => kube.listPods(namespace, o)),
            getPod: (namespace, name, o) => boundary(`Reading pod ${namespace}/${name} ${on}`, () => kube.getPod(namespace, name, o)),
            listEvents: (namespace, involvedName, o) => boundary(`Listing the events of ${namespace}/${involvedName} ${on}`, () => kube.listEvents(namespace, involvedName, o)),
            listNodes: o => boundary(`Listing nodes ${on}`, () => kube.listNodes(o)),
            listAllPods: o => boundary(`Listing the pods of every namespace ${on}`, () => kube.listAllPods(o)),
            listAllEvents: (namespace, o) => boundary(`Listing the events ${namespace ? `of namespace ${namespace} ` : ''}${on}`, () => kube.listAllEvents(namespace, o)),
            getNode: (name, o) => boundary(`Reading node ${name} ${on}`, () => kube.getNode(name, o)),
            getServiceAccount: (namespace, name, o) => boundary(`Reading service account ${namespace}/${name} ${on}`, () => kube.getServiceAccount(namespace, name, o))
        };
    }
}
