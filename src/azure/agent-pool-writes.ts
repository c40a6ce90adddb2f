/**
 * The agent-pool write of `az aks nodepool update --enable-artifact-streaming|--disable-artifact-streaming`
 * through the official ARM client: read the pool, change only `artifactStreamingProfile.enabled`, and PUT it
 * back with the pool's ETag in If-Match, so a change someone made in between is refused (412) instead of
 * silently reverted (AKS optimistic concurrency: https://learn.microsoft.com/azure/aks/optimistic-concurrency).
 */
import type { AgentPool } from '@azure/arm-containerservice';
import { ToolError } from '../tool-error.js';
import type { ArmAccess } from './arm.js';
import { toAgentPoolInfo } from './arm.js';
import { setTimeout as delay } from 'node:timers/promises';
import type { AgentPoolInfo, CallOptions, ClusterInfo } from './types.js';

export interface PoolForChange {
    info: AgentPoolInfo;
    /** The ETag to send in If-Match; undefined when ARM reported none. */
    eTag: string | undefined;
    raw: AgentPool;
    /** After a write: the id of AKS's long-running operation (from its Azure-AsyncOperation URL), if reported. */
    operationId?: string | null;
}

/** Provisioning states after which a pool update is over (AKS reports Updating/Creating/Upgrading… while busy). */
export const SETTLED_STATES: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Canceled']);

export async function getPoolForChange(arm: ArmAccess, cluster: ClusterInfo, pool: string, opts: CallOptions): Promise<PoolForChange> {
    const raw = await (await arm.containerService()).agentPools.get(cluster.resourceGroup, cluster.name, pool, { abortSignal: opts.abortSignal });
    return { info: toAgentPoolInfo(raw), eTag: raw.eTag, raw };
}

/**
 * Sends the PUT and returns once AKS accepted it (the long-running operation keeps going on the service).
 * The read-only and server-computed fields of `raw` are dropped by the SDK's serializer.
 */
export async function putPoolStreaming(arm: ArmAccess, cluster: ClusterInfo, current: PoolForChange, enabled: boolean, opts: CallOptions): Promise<PoolForChange> {
    const client = await arm.containerService();
    const parameters: AgentPool = { ...current.raw, artifactStreamingProfile: { ...current.raw.artifactStreamingProfile, enabled } };
    const poller = client.agentPools.createOrUpdate(cluster.resourceGroup, cluster.name, current.info.name, parameters, {
        abortSignal: opts.abortSignal,
        ...(current.eTag ? { ifMatch: current.eTag } : {})
    });
    try {
        await poller.submitted();
    } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 412) {
            throw new ToolError(
                `Node pool ${current.info.name} changed since it was read`,
                `Azure refused the update because the pool's ETag no longer matches (someone else changed the pool in between); nothing was changed`,
                'plan again: call the tool without confirmationToken to see the pool as it is now',
                'CONCURRENT_CHANGE'
            );
        }
        throw e;
    }
    // The poller's state keeps the Azure-AsyncOperation URL: …/locations/{location}/operations/{id}?api-version=….
    const location = (poller.operationState as { config?: { operationLocation?: string } } | undefined)?.config?.operationLocation;
    const operationId = location ? (/\/operations\/([^/?]+)/i.exec(location)?.[1] ?? null) : null;
    return { ...(await getPoolForChange(arm, cluster, current.info.name, opts)), operationId };
}

/** Polls the pool until its provisioning state settles, reporting each state seen. */
export async function waitForPool(
    arm: ArmAccess,
    cluster: ClusterInfo,
    pool: string,
    opts: CallOptions & { intervalMs: number; onState(info: AgentPoolInfo, polls: number): Promise<void> }
): Promise<AgentPoolInfo> {
    for (let polls = 1; ; polls++) {
        const { info } = await getPoolForChange(arm, cluster, pool, opts);
        await opts.onState(info, polls);
        if (SETTLED_STATES.has(info.provisioningState ?? 'Succeeded')) return info;
        await delay(opts.intervalMs, undefined, { signal: opts.abortSignal });
    }
}
