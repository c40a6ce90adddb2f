/**
 * The write half of the Azure access layer, used only by change tools (src/tools/change/). Every function
 * translates failures into ToolErrors like the reads do; a refusal for lack of rights becomes
 * PERMISSION_DENIED naming the role the caller needs (the tool passes it, per role-assignment mode).
 */
import { ToolError, isToolError } from '../tool-error.js';
import type { AcrClient } from './acr-client.js';
import { cancelOperation, deleteManifest, listImagesNewestFirst, setRepositoryStreaming, startConversion, type StartedConversion, type TaggedImage } from './acr-writes.js';
import { grantedActions, operationState, waitForOperation, type OperationState, type WaitOptions } from './acr-conversions.js';
import { getPoolForChange, putPoolStreaming, waitForPool, type PoolForChange } from './agent-pool-writes.js';
import type { ArmAccess } from './arm.js';
import { describeFailure, type FailureContext } from './errors.js';
import type { AgentPoolInfo, CallOptions, ClusterInfo, RegistryInfo } from './types.js';

export type { PoolForChange } from './agent-pool-writes.js';
export type { StartedConversion, TaggedImage } from './acr-writes.js';
export type { OperationState } from './acr-conversions.js';

export interface WriteOptions extends CallOptions {
    /** The role that grants this write, shown when Azure refuses it for lack of rights. */
    requiredRole: string;
}

export interface AzureChanges {
    /** Default interval between provisioning-state polls of a pool update. */
    readonly poolPollMs: number;
    listImagesNewestFirst(reg: RegistryInfo, repository: string, opts: CallOptions & { max: number }): Promise<{ images: TaggedImage[]; more: boolean }>;
    setRepositoryStreaming(reg: RegistryInfo, repository: string, enabled: boolean, opts: WriteOptions): Promise<{ convertPushedImages: boolean; operationId: string | null }>;
    /** Starts (or reuses the ongoing) conversion of one digest. */
    startConversion(reg: RegistryInfo, repository: string, digest: string, opts: WriteOptions): Promise<StartedConversion>;
    /** First interval between polls of a conversion (the CLI's 5 s, then +1 s per poll). */
    readonly conversionPollMs: number;
    /** One conversion operation's state, or null when the registry does not know the id. */
    operationState(reg: RegistryInfo, repository: string, operationId: string, opts: CallOptions): Promise<OperationState | null>;
    /** Polls until the operation is terminal, or until the call is cancelled (`stopped`: the operation runs on). */
    waitForOperation(
        reg: RegistryInfo,
        repository: string,
        operationId: string,
        opts: CallOptions & Partial<Pick<WaitOptions, 'firstPollMs'>> & Pick<WaitOptions, 'onState'>
    ): Promise<{ state: OperationState; polls: number; stopped: boolean }>;
    /**
     * Refuses (PERMISSION_DENIED naming `requiredRole`) when the registry's token for `actions` on the repository
     * shows it does not grant them all; passes when it does or when the token does not say.
     */
    assertGranted(reg: RegistryInfo, repository: string, actions: readonly string[], opts: WriteOptions): Promise<void>;
    /** Cancels a NotStarted/Running conversion (the registry refuses a finished one). */
    cancelOperation(reg: RegistryInfo, repository: string, operationId: string, opts: WriteOptions): Promise<{ status: string }>;
    /** Deletes a manifest by digest (a streaming referrer: streaming off for that image). False when it was already gone. */
    deleteManifest(reg: RegistryInfo, repository: string, digest: string, opts: WriteOptions): Promise<boolean>;
    getPoolForChange(cluster: ClusterInfo, pool: string, opts: CallOptions): Promise<PoolForChange>;
    setPoolStreaming(cluster: ClusterInfo, current: PoolForChange, enabled: boolean, opts: WriteOptions): Promise<PoolForChange>;
    waitForPool(cluster: ClusterInfo, pool: string, opts: CallOptions & { intervalMs?: number; onState(info: AgentPoolInfo, polls: number): Promise<void> }): Promise<AgentPoolInfo>;
}

export interface ChangeDeps {
    arm: ArmAccess;
    clientFor(reg: RegistryInfo): AcrClient;
    /** The failure context of the access layer's error boundary (tenant, ARM origin) for one action. */
    ctx(action: string): FailureContext;
    poolPollMs?: number;
    conversionPollMs?: number;
}

/** A 401/403 on a write: the credential works (the reads before it passed), so the caller lacks the right. */
async function writing<T>(ctx: FailureContext, requiredRole: string, fn: () => Promise<T>): Promise<T> {
    try {
        return await describeFailure(ctx, fn);
    } catch (e) {
        if (isToolError(e) && (e.code === 'UNAUTHENTICATED' || e.code === 'FORBIDDEN')) {
            throw new ToolError(`${ctx.action} was refused: permission denied`, e.why, `ask for ${requiredRole}; nothing was changed`, 'PERMISSION_DENIED');
        }
        throw e;
    }
}

export function createAzureChanges(d: ChangeDeps): AzureChanges {
    const poolPollMs = d.poolPollMs ?? 10_000;
    const conversionPollMs = d.conversionPollMs ?? 5_000;
    return {
        poolPollMs,
        conversionPollMs,
        operationState: (reg, repository, id, o) =>
            describeFailure(d.ctx(`Reading operation ${id} of ${reg.loginServer}/${repository}`), () => operationState(d.clientFor(reg), repository, id, o)),
        waitForOperation: (reg, repository, id, o) =>
            describeFailure(d.ctx(`Watching operation ${id} of ${reg.loginServer}/${repository}`), () =>
                waitForOperation(d.clientFor(reg), repository, id, { ...o, firstPollMs: o.firstPollMs ?? conversionPollMs })
            ),
        assertGranted: (reg, repository, actions, o) =>
            writing(d.ctx(`Checking your rights on ${reg.loginServer}/${repository}`), o.requiredRole, async () => {
                const granted = await grantedActions(d.clientFor(reg), repository, actions, o);
                const missing = granted ? actions.filter(a => !granted.has(a)) : [];
                if (!granted || missing.length === 0) return;
                throw new ToolError(
                    `This change would be refused: no ${missing.join(', ')} right on ${reg.loginServer}/${repository}`,
                    `the registry grants your identity only ${granted.size ? [...granted].join(', ') : 'nothing'} on this repository`,
                    `ask for ${o.requiredRole}; nothing was changed`,
                    'PERMISSION_DENIED'
                );
            }),
        listImagesNewestFirst: (reg, repository, o) =>
            describeFailure(d.ctx(`Listing the tags of ${reg.loginServer}/${repository}`), () => listImagesNewestFirst(d.clientFor(reg), repository, o.max, o)),
        setRepositoryStreaming: (reg, repository, enabled, o) =>
            writing(d.ctx(`Setting auto-conversion of ${reg.loginServer}/${repository}`), o.requiredRole, () => setRepositoryStreaming(d.clientFor(reg), repository, enabled, o)),
        startConversion: (reg, repository, digest, o) =>
            writing(d.ctx(`Starting the conversion of ${reg.loginServer}/${repository}@${digest}`), o.requiredRole, () => startConversion(d.clientFor(reg), repository, digest, o)),
        cancelOperation: (reg, repository, id, o) =>
            writing(d.ctx(`Cancelling operation ${id} in ${reg.loginServer}/${repository}`), o.requiredRole, () => cancelOperation(d.clientFor(reg), repository, id, o)),
        deleteManifest: (reg, repository, digest, o) =>
            writing(d.ctx(`Deleting ${reg.loginServer}/${repository}@${digest}`), o.requiredRole, () => deleteManifest(d.clientFor(reg), repository, digest, o)),
        getPoolForChange: (cluster, pool, o) => describeFailure(d.ctx(`Reading node pool ${pool} of ${cluster.name}`), () => getPoolForChange(d.arm, cluster, pool, o)),
        setPoolStreaming: (cluster, current, enabled, o) =>
            writing(d.ctx(`Updating node pool ${current.info.name} of ${cluster.name}`), o.requiredRole, () => putPoolStreaming(d.arm, cluster, current, enabled, o)),
        waitForPool: (cluster, pool, o) =>
            describeFailure(d.ctx(`Watching node pool ${pool} of ${cluster.name}`), () => waitForPool(d.arm, cluster, pool, { ...o, intervalMs: o.intervalMs ?? poolPollMs }))
    };
}
