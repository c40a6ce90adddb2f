/**
 * Azure and Kubernetes reads as the facts the streaming rules judge, for the diagnosis (gather-facts.ts) and
 * the cluster scan (cluster-snapshot.ts) alike: a value, null when the thing is known to be absent, Unknown
 * (with why and the fix) when the read failed. Cancellation is not a fact: it propagates.
 */
import type { AzureAccess, ClusterInfo, RegistryInfo } from '../../azure/azure-access.js';
import type { DiagnosisFacts } from '../../streaming/diagnosis.js';
import { isUnknown, unknownFact, type Fact, type Unknown } from '../../streaming/facts.js';
import { isToolError } from '../../tool-error.js';

/** Codes that mean "this does not exist" (the fact is known: it is absent). */
const ABSENT = new Set(['REGISTRY_NOT_FOUND', 'IMAGE_NOT_FOUND', 'CLUSTER_NOT_FOUND', 'NOT_FOUND']);

export function asUnknown(e: unknown): Unknown {
    if (isToolError(e)) return unknownFact(`${e.what}: ${e.why}`, e.fix);
    return unknownFact(e instanceof Error ? e.message : String(e));
}

export async function readFact<T>(signal: AbortSignal, read: () => Promise<T>): Promise<Fact<T | null>> {
    try {
        return await read();
    } catch (e) {
        if (signal.aborted) throw e;
        if (isToolError(e) && ABSENT.has(e.code)) return null;
        return asUnknown(e);
    }
}

/** The value of a fact that is known and present; otherwise undefined. */
export const known = <T>(f: Fact<T | null> | undefined): T | undefined => (f === undefined || f === null || isUnknown(f) ? undefined : f);

/** Whether the cluster's kubelet identity may pull from `reg` (AcrPull or a role that includes it). */
export async function pullGrant(azure: AzureAccess, c: ClusterInfo, reg: RegistryInfo, signal: AbortSignal): Promise<DiagnosisFacts['acrPull']> {
    if (!c.kubeletObjectId) return unknownFact(`cluster ${c.name} reports no kubelet identity (identityProfile.kubeletidentity)`, 'clusters with a service principal instead of a managed identity: check its AcrPull role by hand');
    const principalId = c.kubeletObjectId;
    const g = await readFact(signal, () => azure.acrPull(principalId, reg, { abortSignal: signal }));
    return g === null ? { granted: false, role: null, principalId } : isUnknown(g) ? g : { ...g, principalId };
}
