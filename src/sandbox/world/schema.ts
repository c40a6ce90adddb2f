/**
 * The sandbox world, version 1, exactly as docs/sandbox-world.md specifies it.
 * Every object is strict: an unknown field is an error, so a typo in a world file never passes silently.
 * Project additions (optional fields beyond the spec, consistency checks) are documented in docs/sandbox.md.
 */
import * as z from 'zod/v4';
import { isConfidentialVmSize, parseVmSize } from '../../streaming/vm-size.js';
import { CONVERSION_ERROR_CODES } from '../../streaming/image-rules.js';
import { CLUSTER_NAME } from '../../azure/names.js';

const isoDate = z.iso.datetime({ offset: true });

export const ARCHITECTURES = ['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64'] as const;
export const MEDIA_TYPE_KINDS = ['oci-manifest', 'oci-index', 'docker-manifest', 'docker-manifest-list', 'other'] as const;
export const STREAMING_STATES = ['none', 'converted', 'converting', 'failed'] as const;
/** The conversion error codes the service documents (troubleshoot-artifact-streaming.md). */
export const FAILURE_CODES = CONVERSION_ERROR_CODES;
export const OS_SKUS = [
    'Ubuntu',
    'Ubuntu2204',
    'Ubuntu2404',
    'AzureLinux',
    'AzureLinux3',
    'CBLMariner',
    'AzureContainerLinux',
    'Flatcar',
    'Windows2019',
    'Windows2022',
    'Windows2025'
] as const;
/**
 * Project addition (docs/sandbox.md): built-in roles the signed-in caller holds, per registry and cluster.
 * Registries honour the role-assignment mode (ABAC registries ignore AcrPull/AcrPush/AcrDelete).
 */
export const REGISTRY_CALLER_ROLES = [
    'Owner',
    'Contributor',
    'Reader',
    'AcrPull',
    'AcrPush',
    'AcrDelete',
    'Container Registry Repository Reader',
    'Container Registry Repository Writer',
    'Container Registry Repository Contributor'
] as const;
export const CLUSTER_CALLER_ROLES = ['Owner', 'Contributor', 'Azure Kubernetes Service Contributor Role', 'Reader'] as const;

export const WORKLOAD_RUNTIMES = ['OCIContainer', 'WasmWasi', 'KataVmIsolation', 'KataMshvVmIsolation'] as const;

export const platformSchema = z.strictObject({
    os: z.enum(['linux', 'windows']),
    architecture: z.enum(ARCHITECTURES),
    variant: z.string().nullable().default(null),
    layerSizes: z.array(z.number().int().nonnegative()).min(1)
});

export const imageSchema = z
    .strictObject({
        tags: z.array(z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/, 'not a valid OCI tag')),
        mediaType: z.enum(MEDIA_TYPE_KINDS).default('oci-manifest'),
        platforms: z.array(platformSchema).min(1),
        streaming: z.enum(STREAMING_STATES).default('none'),
        failureCode: z.enum(FAILURE_CODES).nullable().default(null),
        pushedAt: isoDate.optional(),
        /** Project addition (docs/sandbox-world.md): this image's conversions take this long instead of behaviour.conversionSeconds. */
        conversionSeconds: z.number().nonnegative().optional()
    })
    .superRefine((img, ctx) => {
        const single = img.mediaType === 'oci-manifest' || img.mediaType === 'docker-manifest';
        if (single && img.platforms.length !== 1) {
            ctx.addIssue({ code: 'custom', path: ['platforms'], message: `a ${img.mediaType} has exactly one platform` });
        }
        if (img.streaming === 'failed' && img.failureCode === null) {
            ctx.addIssue({ code: 'custom', path: ['failureCode'], message: 'required when streaming is "failed"' });
        }
        if (img.streaming !== 'failed' && img.failureCode !== null) {
            ctx.addIssue({ code: 'custom', path: ['failureCode'], message: 'only allowed when streaming is "failed"' });
        }
    });

/**
 * Adds an issue at `path(i, j)` for every key an earlier item already has: a duplicate would be silently
 * shadowed. Keys compare exactly (OCI tags are case-sensitive); callers lowercase case-insensitive names.
 */
function unique<T>(items: T[], key: (t: T) => string | string[], path: (i: number, j: number) => PropertyKey[], what: string, ctx: z.RefinementCtx): void {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
        const keys = key(item);
        (Array.isArray(keys) ? keys : [keys]).forEach((k, j) => {
            const first = seen.get(k);
            if (first === undefined) seen.set(k, i);
            else ctx.addIssue({ code: 'custom', path: path(i, j), message: `duplicate ${what} "${k}" (already at index ${first})` });
        });
    });
}

export const repositorySchema = z
    .strictObject({
        name: z.string().regex(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/, 'not a valid OCI repository name'),
        convertPushedImages: z.boolean().default(false),
        images: z.array(imageSchema).default([])
    })
    .superRefine((r, ctx) => unique(r.images, i => i.tags, (i, j) => ['images', i, 'tags', j], 'tag', ctx));

export const registrySchema = z.strictObject({
    name: z.string().regex(/^[a-zA-Z0-9]{5,50}$/, 'ACR names are 5-50 alphanumerics'),
    resourceGroup: z.string().min(1),
    location: z.string().default('eastus'),
    sku: z.enum(['Basic', 'Standard', 'Premium']),
    customerManagedKey: z.boolean().default(false),
    replications: z.array(z.string()).default([]),
    adminUserEnabled: z.boolean().default(false),
    anonymousPullEnabled: z.boolean().default(false),
    publicNetworkAccess: z.enum(['Enabled', 'Disabled']).default('Enabled'),
    roleAssignmentMode: z.enum(['LegacyRegistryPermissions', 'AbacRepositoryPermissions']).default('LegacyRegistryPermissions'),
    callerRoles: z.array(z.enum(REGISTRY_CALLER_ROLES)).default(['Owner']),
    repositories: z.array(repositorySchema).default([])
}).superRefine((r, ctx) => unique(r.repositories, repo => repo.name, i => ['repositories', i, 'name'], 'repository', ctx));

/**
 * A world pool must be one AKS could create, because the sandbox derives what ARM and the nodes show from
 * these fields with the production VM-size rule (src/streaming/vm-size.ts): an unreadable size, or a security
 * type its size contradicts, would make the two sides disagree. Constraints from Learn: "Use CVM in AKS"
 * (the size makes a pool confidential; no Trusted Launch, Windows, Ubuntu 22.04 or Flatcar), "Azure Linux with OS Guard for AKS"
 * (an Azure Linux variant; no CVM).
 */
function agentPoolConsistency(p: { vmSize: string; osType: string; osSKU: string; osGuard: boolean; securityType: string | null }, ctx: z.RefinementCtx): void {
    if (!parseVmSize(p.vmSize)) {
        ctx.addIssue({ code: 'custom', path: ['vmSize'], message: 'not an Azure VM size name such as Standard_D4s_v5' });
        return;
    }
    const cvm = isConfidentialVmSize(p.vmSize);
    if (p.securityType === 'ConfidentialVM' && !cvm) {
        ctx.addIssue({ code: 'custom', path: ['securityType'], message: `AKS makes a pool confidential by its VM size; ${p.vmSize} is not a confidential VM size (e.g. Standard_DC4as_v5)` });
    }
    if (cvm && p.securityType === 'TrustedLaunch') {
        ctx.addIssue({ code: 'custom', path: ['securityType'], message: `${p.vmSize} is a confidential VM size, which AKS does not combine with Trusted Launch` });
    }
    if (cvm && (p.osType === 'Windows' || ['Ubuntu2204', 'Flatcar'].includes(p.osSKU))) {
        ctx.addIssue({ code: 'custom', path: ['vmSize'], message: `AKS does not offer confidential VM node pools on ${p.osSKU} (use Ubuntu, Ubuntu2404 or AzureLinux)` });
    }
    if (p.osGuard && (p.osType !== 'Linux' || !['AzureLinux', 'AzureLinux3'].includes(p.osSKU))) {
        ctx.addIssue({ code: 'custom', path: ['osGuard'], message: 'OS Guard is an Azure Linux variant: use osSKU AzureLinux3 (or AzureLinux)' });
    }
    if (p.osGuard && cvm) {
        ctx.addIssue({ code: 'custom', path: ['osGuard'], message: 'Azure Linux with OS Guard does not run on confidential VM sizes' });
    }
}

export const agentPoolSchema = z.strictObject({
    name: z.string().regex(/^[a-z][a-z0-9]{0,11}$/, 'AKS pool names are 1-12 lowercase alphanumerics starting with a letter'),
    mode: z.enum(['System', 'User']).default('User'),
    osType: z.enum(['Linux', 'Windows']),
    osSKU: z.enum(OS_SKUS),
    osGuard: z.boolean().default(false),
    vmSize: z.string().min(1),
    orchestratorVersion: z.string().optional(),
    count: z.number().int().nonnegative().default(1),
    artifactStreaming: z.boolean().default(false),
    workloadRuntime: z.enum(WORKLOAD_RUNTIMES).default('OCIContainer'),
    securityType: z.enum(['ConfidentialVM', 'TrustedLaunch']).nullable().default(null),
    provisioningState: z.string().default('Succeeded')
}).superRefine(agentPoolConsistency);

/** How a pull fails: acr-mirror answering 503, the registry refusing the node (401), or no such tag. */
export const PULL_ERRORS = ['mirror-unavailable', 'unauthorized', 'not-found'] as const;

export const podSchema = z.strictObject({
    namespace: z.string().default('default'),
    name: z.string().min(1),
    nodePool: z.string().min(1),
    image: z.string().min(1),
    imagePullSecrets: z.array(z.string()).default([]),
    phase: z.enum(['Pending', 'Running', 'Failed']).default('Running'),
    pullSeconds: z.number().nonnegative().optional(),
    /** Project addition: the pull fails the way containerd/acr-mirror fail (docs/sandbox.md, "Pull errors"). */
    pullError: z.enum(PULL_ERRORS).optional(),
    /** Project addition: the pod's service account (default "default"); its imagePullSecrets join the pod's. */
    serviceAccount: z.string().min(1).default('default'),
    events: z
        .array(
            z.strictObject({
                type: z.enum(['Normal', 'Warning']),
                reason: z.string(),
                message: z.string(),
                /** Project addition: how often it happened (kubectl folds it as "(x4 over 3m)"). */
                count: z.number().int().positive().default(1)
            })
        )
        .default([]),
    conditions: z.array(z.strictObject({ type: z.string(), status: z.enum(['True', 'False', 'Unknown']) })).default([])
});

/** Project addition: service accounts with pull secrets (every namespace also has "default" without any). */
export const serviceAccountSchema = z.strictObject({
    namespace: z.string().default('default'),
    name: z.string().min(1),
    imagePullSecrets: z.array(z.string()).default([])
});

export const clusterSchema = z
    .strictObject({
        name: z.string().regex(CLUSTER_NAME, 'not a valid AKS cluster name'),
        resourceGroup: z.string().min(1),
        location: z.string().default('eastus'),
        kubernetesVersion: z.string().regex(/^\d+\.\d+(\.\d+)?$/, 'expected a version such as 1.30.5'),
        kubeletIdentityObjectId: z.string().min(1),
        acrPull: z.array(z.string()).default([]),
        callerRoles: z.array(z.enum(CLUSTER_CALLER_ROLES)).default(['Owner']),
        agentPools: z.array(agentPoolSchema).min(1),
        pods: z.array(podSchema).default([]),
        serviceAccounts: z.array(serviceAccountSchema).default([])
    })
    .superRefine((c, ctx) => {
        unique(c.agentPools, p => p.name, i => ['agentPools', i, 'name'], 'agent pool', ctx);
        unique(c.serviceAccounts, a => `${a.namespace}/${a.name}`, i => ['serviceAccounts', i, 'name'], 'service account', ctx);
        unique(c.pods, p => `${p.namespace}/${p.name}`, i => ['pods', i, 'name'], 'pod', ctx);
        const pools = new Set(c.agentPools.map(p => p.name));
        const accounts = new Set(c.serviceAccounts.map(a => `${a.namespace}/${a.name}`));
        c.pods.forEach((p, i) => {
            if (!pools.has(p.nodePool)) {
                ctx.addIssue({ code: 'custom', path: ['pods', i, 'nodePool'], message: `no agent pool named "${p.nodePool}" in this cluster` });
            }
            if (p.serviceAccount !== 'default' && !accounts.has(`${p.namespace}/${p.serviceAccount}`)) {
                ctx.addIssue({ code: 'custom', path: ['pods', i, 'serviceAccount'], message: `no service account "${p.serviceAccount}" in namespace ${p.namespace} (add it to serviceAccounts)` });
            }
            if (p.pullError && p.pullSeconds !== undefined) {
                ctx.addIssue({ code: 'custom', path: ['pods', i, 'pullError'], message: 'a pod with pullError has no successful pull: remove pullSeconds' });
            }
        });
    });

export const faultSchema = z.strictObject({
    method: z.string().default('*'),
    path: z.string().min(1),
    registry: z.string().optional(),
    status: z.number().int().min(100).max(599).optional(),
    retryAfterSeconds: z.number().nonnegative().optional(),
    action: z.enum(['reset', 'slow', 'malformed', 'expired-token']).optional(),
    delayMs: z.number().int().nonnegative().optional(),
    /** Project addition: the request is served first and its answer then replaced (a write that happened, an answer lost). */
    after: z.boolean().optional(),
    times: z.number().int().positive().optional()
});

const tierLimitSchema = z.strictObject({
    readOpsPerMinute: z.number().positive().optional(),
    writeOpsPerMinute: z.number().positive().optional(),
    burst: z.number().int().positive().optional()
});

const delayMs = z.number().int().nonnegative().optional();

export const behaviourSchema = z.strictObject({
    conversionSeconds: z.number().nonnegative().default(3),
    nodePoolUpdateSeconds: z.number().nonnegative().default(3),
    latencyMs: z.number().int().nonnegative().default(0),
    /** Project addition: per-endpoint delays (each defaults to latencyMs), so benches can weigh the critical path. */
    latencyProfile: z.strictObject({ armMs: delayMs, acrMs: delayMs, kubeMs: delayMs }).default({}),
    /** Project addition: per-SKU overrides of the registry request-rate limit (http/rate-limit.ts; default Learn's figures). */
    registryRateLimits: z.strictObject({ Basic: tierLimitSchema.optional(), Standard: tierLimitSchema.optional(), Premium: tierLimitSchema.optional() }).default({}),
    faults: z.array(faultSchema).default([])
});

/**
 * Project addition (docs/team-server.md): the tenant's sign-in side for the team server. `app` is the server's
 * app registration (its client id is the audience of users' tokens and the client of the on-behalf-of grant);
 * each user signs in with their app roles and holds their own Azure roles on every registry and cluster,
 * which the emulated ARM and ACR enforce for tokens issued to that user (a token without a known user falls
 * back to the registry's or cluster's `callerRoles`).
 */
export const entraUserSchema = z.strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a short lowercase name such as reader'),
    oid: z.guid(),
    upn: z.string().min(3),
    appRoles: z.array(z.string().min(1)).default([]),
    registryRoles: z.array(z.enum(REGISTRY_CALLER_ROLES)).default([]),
    clusterRoles: z.array(z.enum(CLUSTER_CALLER_ROLES)).default([])
});

export const DEFAULT_ENTRA_USERS: z.output<typeof entraUserSchema>[] = [
    { name: 'reader', oid: '11111111-1111-4111-8111-111111111111', upn: 'reader@sandbox.example', appRoles: ['Streaming.Read'], registryRoles: ['Reader', 'AcrPull'], clusterRoles: ['Reader'] },
    {
        name: 'operator',
        oid: '22222222-2222-4222-8222-222222222222',
        upn: 'operator@sandbox.example',
        appRoles: ['Streaming.Read', 'Streaming.Operate'],
        registryRoles: ['Owner'],
        clusterRoles: ['Owner']
    }
];

export const entraSchema = z.strictObject({
    app: z
        .strictObject({
            clientId: z.guid().default('33333333-3333-4333-8333-333333333333'),
            /** The delegated scope users' tokens carry for this app (`scp`). */
            scope: z.string().default('Streaming.Access')
        })
        .prefault({}),
    users: z.array(entraUserSchema).default(() => DEFAULT_ENTRA_USERS.map(u => ({ ...u }))),
    /** Lifetime of issued access tokens (Entra's default is 60-90 minutes). */
    tokenLifetimeSeconds: z.number().int().positive().default(3600)
});

export const worldSchema = z
    .strictObject({
        version: z.literal(1),
        subscription: z.strictObject({
            id: z.guid(),
            tenantId: z.string().min(1),
            name: z.string().default('sandbox')
        }),
        registries: z.array(registrySchema).default([]),
        clusters: z.array(clusterSchema).default([]),
        entra: entraSchema.prefault({}),
        behaviour: behaviourSchema.prefault({})
    })
    .superRefine((w, ctx) => {
        unique(w.registries, r => r.name.toLowerCase(), i => ['registries', i, 'name'], 'registry', ctx);
        unique(w.entra.users, u => u.name, i => ['entra', 'users', i, 'name'], 'user', ctx);
        // AKS names are unique per resource group only (a world may hold two "aks-prod" in different groups).
        unique(w.clusters, c => `${c.resourceGroup}/${c.name}`.toLowerCase(), i => ['clusters', i, 'name'], 'cluster', ctx);
        const seen = new Set(w.registries.map(r => r.name.toLowerCase()));
        w.clusters.forEach((c, i) =>
            c.acrPull.forEach((name, j) => {
                if (!seen.has(name.toLowerCase())) {
                    ctx.addIssue({ code: 'custom', path: ['clusters', i, 'acrPull', j], message: `no registry named "${name}" in this world` });
                }
            })
        );
    });

export type World = z.infer<typeof worldSchema>;
/** A world as written (defaults may be omitted). */
export type WorldInput = z.input<typeof worldSchema>;
export type WorldRegistry = z.infer<typeof registrySchema>;
export type WorldRepository = z.infer<typeof repositorySchema>;
export type WorldImage = z.infer<typeof imageSchema>;
export type WorldPlatform = z.infer<typeof platformSchema>;
export type WorldCluster = z.infer<typeof clusterSchema>;
export type WorldAgentPool = z.infer<typeof agentPoolSchema>;
export type WorldPod = z.infer<typeof podSchema>;
export type WorldServiceAccount = z.infer<typeof serviceAccountSchema>;
export type WorldFault = z.infer<typeof faultSchema>;
export type WorldBehaviour = z.infer<typeof behaviourSchema>;
export type WorldEntraUser = z.infer<typeof entraUserSchema>;
