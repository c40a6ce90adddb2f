/**
 * managedClusters/agentPools: get, list, and createOrUpdate as a long-running operation the way the SDK's
 * poller (core-lro, `resourceLocationConfig: "azure-async-operation"`) consumes it:
 *   PUT → 200 (update) / 201 (create), body with provisioningState Updating/Creating, header
 *   `Azure-AsyncOperation: <ARM>/subscriptions/{sub}/providers/Microsoft.ContainerService/locations/{loc}/operations/{id}`;
 *   GET that URL → `{ status: "InProgress" }` until nodePoolUpdateSeconds pass, then `{ status: "Succeeded" }`;
 *   the poller then GETs the pool (the PUT URL) for the final result.
 * A PUT that changes nothing answers 200 with the current pool and no operation (the poller finishes at once);
 * assumption: real AKS may run a short reconcile operation instead.
 * Assumption: the operation URL and body shapes follow observed AKS responses; no Retry-After is sent, so the
 * SDK poller uses its own interval (tests pass `updateIntervalInMs`).
 */
import { isConfidentialVmSize } from '../../streaming/vm-size.js';
import type { SandboxRequest, SandboxResponse } from '../http/types.js';
import { json } from '../http/types.js';
import type { WorldAgentPool, WorldCluster } from '../world/schema.js';
import { agentPoolSchema } from '../world/schema.js';
import type { PoolOperation } from '../state.js';
import { armError, authorizationFailed, list, ok, RG, resourceNotFound, route, SUB, type ArmContext, type ArmRoute } from './arm-common.js';
import { agentPoolJson, poolProperties } from './agent-pool-json.js';
import { findCluster } from './managed-clusters.js';
import { poolETag } from '../state.js';

/** Roles whose actions include Microsoft.ContainerService/managedClusters/agentPools/write (Learn built-in roles). */
const POOL_WRITERS: ReadonlySet<string> = new Set(['Owner', 'Contributor', 'Azure Kubernetes Service Contributor Role']);

/**
 * Optimistic concurrency as AKS documents it: If-Match must equal the pool's current eTag, If-None-Match "*"
 * refuses an existing pool. Assumption: the 412 body follows ARM's error shape with code PreconditionFailed.
 */
function preconditionFailed(req: SandboxRequest, pool: WorldAgentPool | undefined): SandboxResponse | undefined {
    const ifMatch = req.headers['if-match'];
    const ifNoneMatch = req.headers['if-none-match'];
    const current = pool ? poolETag(pool) : undefined;
    if (typeof ifMatch === 'string' && ifMatch !== '*' && ifMatch.replace(/^W\//, '').replace(/"/g, '') !== current) {
        return armError(412, 'PreconditionFailed', `Operation is not allowed since the provided eTag ${ifMatch} does not match the current eTag of the agent pool${current ? ` (${current})` : ' (it does not exist)'}.`);
    }
    if (ifNoneMatch === '*' && pool) return armError(412, 'PreconditionFailed', `Agent pool '${pool.name}' already exists and If-None-Match is '*'.`);
    return undefined;
}

type Props = Record<string, unknown> & { artifactStreamingProfile?: { enabled?: unknown } };

function operationUrl(ctx: ArmContext, op: PoolOperation, apiVersion: string): string {
    return `${ctx.origin}/subscriptions/${ctx.state.subscriptionId}/providers/Microsoft.ContainerService/locations/${op.location}/operations/${op.id}?api-version=${apiVersion}`;
}

/**
 * Assumption (AKS's server-side message is not public; the CLI refuses client-side): enabling streaming
 * on a Windows pool is a 400 `InvalidParameter` naming the property.
 */
function windowsStreamingError(): SandboxResponse {
    return armError(
        400,
        'InvalidParameter',
        "Artifact streaming is not supported on Windows agent pools. The value of parameter 'properties.artifactStreamingProfile.enabled' is invalid."
    );
}

function readProps(req: SandboxRequest): { props: Props; error?: undefined } | { props?: undefined; error: SandboxResponse } {
    try {
        const body = JSON.parse(req.body.toString('utf8') || '{}') as { properties?: unknown };
        const props = body.properties ?? {};
        if (typeof props !== 'object' || props === null) throw new Error('properties must be an object');
        return { props: props as Props };
    } catch (e) {
        return { error: armError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: ${(e as Error).message}`) };
    }
}

/**
 * The world's spelling of what a PUT asks for: OS Guard is the OS SKU `AzureLinuxOSGuard` on the wire and Azure
 * Linux 3 plus `osGuard` in a world; secure boot or vTPM asks for Trusted Launch (a confidential size is
 * confidential whatever the flags say). See pool-facts.ts.
 */
function worldSecurity(props: Props): { osSKU: unknown; osGuard: boolean; securityType: 'TrustedLaunch' | null } {
    const osGuard = typeof props.osSKU === 'string' && props.osSKU.toLowerCase() === 'azurelinuxosguard';
    const security = props.securityProfile as { enableSecureBoot?: unknown; enableVTPM?: unknown } | undefined;
    const trusted = !osGuard && (security?.enableSecureBoot === true || security?.enableVTPM === true);
    const confidential = typeof props.vmSize === 'string' && isConfidentialVmSize(props.vmSize);
    return {
        osSKU: osGuard ? 'AzureLinux3' : (props.osSKU ?? (props.osType === 'Windows' ? 'Windows2022' : 'Ubuntu')),
        osGuard,
        securityType: trusted && !confidential ? 'TrustedLaunch' : null
    };
}

function create(ctx: ArmContext, req: SandboxRequest, c: WorldCluster, name: string, props: Props): SandboxResponse {
    const parsed = agentPoolSchema.safeParse({
        name,
        mode: props.mode ?? 'User',
        osType: props.osType ?? 'Linux',
        ...worldSecurity(props),
        vmSize: props.vmSize,
        ...(typeof props.orchestratorVersion === 'string' ? { orchestratorVersion: props.orchestratorVersion } : {}),
        count: props.count ?? 1,
        artifactStreaming: props.artifactStreamingProfile?.enabled ?? false,
        workloadRuntime: props.workloadRuntime ?? 'OCIContainer'
    });
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return armError(400, 'InvalidParameter', `The value of parameter '${issue?.path.join('.') || 'properties'}' is invalid: ${issue?.message ?? 'not accepted'}.`);
    }
    const pool = parsed.data;
    if (pool.osType === 'Windows' && pool.artifactStreaming) return windowsStreamingError();
    c.agentPools.push(pool);
    const op = ctx.state.beginPoolUpdate(c, pool, 'Creating');
    return json(201, agentPoolJson(ctx, c, pool), { 'azure-asyncoperation': operationUrl(ctx, op, apiVersion(req)) });
}

const apiVersion = (req: SandboxRequest) => req.url.searchParams.get('api-version') ?? '2026-04-01';

/** AKS refuses to change these after creation ("Changing property '…' is not allowed."). */
const IMMUTABLE = ['vmSize', 'osType', 'osSKU', 'workloadRuntime'] as const;

function update(ctx: ArmContext, req: SandboxRequest, c: WorldCluster, pool: WorldAgentPool, props: Props): SandboxResponse {
    const shown = poolProperties(c, pool);
    for (const key of IMMUTABLE) {
        // Compared with what ARM shows (an OS Guard pool's osSKU is AzureLinuxOSGuard there), as a GET round-trip sends it.
        if (props[key] !== undefined && String(props[key]).toLowerCase() !== String(shown[key]).toLowerCase()) {
            return armError(400, 'PropertyChangeNotAllowed', `Changing property '${key}' is not allowed.`);
        }
    }
    // Assumption: a PUT without artifactStreamingProfile keeps the current setting (the SDK round-trips it from a GET),
    // and only streaming, count, orchestratorVersion and mode are applied from an update.
    const enabled = props.artifactStreamingProfile?.enabled;
    const streaming = typeof enabled === 'boolean' ? enabled : pool.artifactStreaming;
    if (pool.osType === 'Windows' && streaming) return windowsStreamingError();
    const count = typeof props.count === 'number' ? props.count : pool.count;
    const version = typeof props.orchestratorVersion === 'string' ? props.orchestratorVersion : pool.orchestratorVersion;
    const mode = props.mode === 'System' || props.mode === 'User' ? props.mode : pool.mode;
    const changed = streaming !== pool.artifactStreaming || count !== pool.count || (version ?? c.kubernetesVersion) !== (pool.orchestratorVersion ?? c.kubernetesVersion) || mode !== pool.mode;

    const running = ctx.state.runningOperation(c, pool);
    if (!changed) {
        // Nothing to do: echo the pool; if an update is still running, point the poller at it.
        const headers: Record<string, string> = running ? { 'azure-asyncoperation': operationUrl(ctx, running, apiVersion(req)) } : {};
        return ok(agentPoolJson(ctx, c, pool), headers);
    }
    if (running) {
        return armError(
            409,
            'OperationNotAllowed',
            `Operation is not allowed because there's an in progress update managed cluster operation on agent pool '${pool.name}'. Please wait for it to finish before starting a new operation.`
        );
    }
    // ARM shows the goal state while provisioning: the new values are visible at once, with Updating.
    pool.artifactStreaming = streaming;
    pool.count = count;
    pool.mode = mode;
    if (version !== undefined) pool.orchestratorVersion = version;
    const op = ctx.state.beginPoolUpdate(c, pool);
    return ok(agentPoolJson(ctx, c, pool), { 'azure-asyncoperation': operationUrl(ctx, op, apiVersion(req)) });
}

const POOLS = `${RG}/providers/Microsoft.ContainerService/managedClusters/{name}/agentPools` as const;
const POOL_TYPE = 'Microsoft.ContainerService/managedClusters/agentPools';

export const agentPoolRoutes: ArmRoute[] = [
    route('GET', POOLS, (_q, p, ctx) => {
        const f = findCluster(ctx, p.rg, p.name);
        if (!f.c) return f.error;
        const c = f.c;
        return list(c.agentPools.map(pool => agentPoolJson(ctx, c, pool)));
    }),
    route('GET', `${POOLS}/{pool}`, (_q, p, ctx) => {
        const f = findCluster(ctx, p.rg, p.name);
        if (!f.c) return f.error;
        const pool = ctx.state.pool(f.c, p.pool);
        return pool ? ok(agentPoolJson(ctx, f.c, pool)) : resourceNotFound(POOL_TYPE, `${f.c.name}/agentPools/${p.pool}`, p.rg);
    }),
    route('PUT', `${POOLS}/{pool}`, (req, p, ctx) => {
        const f = findCluster(ctx, p.rg, p.name);
        if (!f.c) return f.error;
        const { props, error } = readProps(req);
        if (!props) return error;
        // A signed-in user holds their own roles; any other caller the cluster's default ones.
        const roles: readonly string[] = ctx.caller ? ctx.caller.clusterRoles : f.c.callerRoles;
        if (!roles.some(r => POOL_WRITERS.has(r))) return authorizationFailed(ctx, 'Microsoft.ContainerService/managedClusters/agentPools/write', `/subscriptions/${ctx.state.subscriptionId}/resourceGroups/${f.c.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${f.c.name}/agentPools/${p.pool}`);
        const pool = ctx.state.pool(f.c, p.pool);
        const refused = preconditionFailed(req, pool);
        if (refused) return refused;
        return pool ? update(ctx, req, f.c, pool, props) : create(ctx, req, f.c, p.pool, props);
    }),
    route('GET', `${SUB}/providers/Microsoft.ContainerService/locations/{location}/operations/{id}`, (_q, p, ctx) => {
        const op = ctx.state.operation(p.id);
        if (!op) return armError(404, 'NotFound', `Operation '${p.id}' was not found.`);
        const done = ctx.state.now() >= op.doneAt;
        return ok({
            name: op.id,
            status: done ? 'Succeeded' : 'InProgress',
            startTime: new Date(op.startedAt).toISOString(),
            ...(done ? { endTime: new Date(op.doneAt).toISOString() } : {})
        });
    })
];
