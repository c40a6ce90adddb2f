/**
 * Pod evidence from Kubernetes API objects (a Pod, its Events, its Node, its ServiceAccount), as plain
 * JSON shapes so this stays free of any client library. The node pool comes from the node's
 * `kubernetes.azure.com/agentpool` label (AKS sets it on every node), else from the node name.
 */
import type { PodEventFacts, PodFacts } from './facts.js';
import { pullRecords, splitFieldPath } from './kubelet-events.js';
import { poolFromNodeName } from './pasted-pod.js';

export interface ApiPod {
    metadata?: { name?: string; namespace?: string };
    spec?: {
        nodeName?: string;
        serviceAccountName?: string;
        imagePullSecrets?: { name?: string }[];
        containers?: { name: string; image?: string }[];
        initContainers?: { name: string; image?: string }[];
    };
    status?: {
        conditions?: { type: string; status: string }[];
        containerStatuses?: { state?: { waiting?: { reason?: string } } }[];
        initContainerStatuses?: { state?: { waiting?: { reason?: string } } }[];
    };
}

export interface ApiEvent {
    type?: string;
    reason?: string;
    message?: string;
    count?: number;
    series?: { count?: number };
    firstTimestamp?: string | Date | null;
    lastTimestamp?: string | Date | null;
    eventTime?: string | Date | null;
}

export interface ApiNode {
    metadata?: { name?: string; labels?: Record<string, string> };
}

export interface ApiServiceAccount {
    imagePullSecrets?: { name?: string }[];
}

const AGENTPOOL_LABEL = 'kubernetes.azure.com/agentpool';
const time = (e: ApiEvent) => new Date((e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? 0) as string).getTime() || 0;

export function eventFacts(events: readonly ApiEvent[]): PodEventFacts[] {
    return [...events]
        .sort((a, b) => time(a) - time(b))
        .map(e => ({
            type: e.type ?? 'Normal',
            reason: e.reason ?? '',
            message: splitFieldPath((e.message ?? '').trim()).message,
            count: e.series?.count ?? e.count ?? 1
        }));
}

export function podFromApi(pod: ApiPod, events: readonly ApiEvent[], node?: ApiNode | null, sa?: ApiServiceAccount | null): PodFacts {
    const spec = pod.spec ?? {};
    const nodeName = spec.nodeName;
    const pool = node?.metadata?.labels?.[AGENTPOOL_LABEL] ?? (nodeName ? poolFromNodeName(nodeName) : undefined);
    const evs = eventFacts(events);
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    const names = (xs: { name?: string }[] | undefined) => (xs ?? []).map(x => x.name).filter((n): n is string => !!n);
    return {
        source: 'kubernetes-api',
        ...(pod.metadata?.namespace ? { namespace: pod.metadata.namespace } : {}),
        ...(pod.metadata?.name ? { name: pod.metadata.name } : {}),
        ...(nodeName ? { node: nodeName } : {}),
        ...(pool ? { nodePool: pool } : {}),
        containers: [...(spec.initContainers ?? []), ...(spec.containers ?? [])].filter(c => c.image).map(c => ({ name: c.name, image: c.image! })),
        imagePullSecrets: names(spec.imagePullSecrets),
        ...(spec.serviceAccountName ? { serviceAccount: spec.serviceAccountName } : {}),
        ...(sa ? { serviceAccountPullSecrets: names(sa.imagePullSecrets) } : {}),
        conditions: (pod.status?.conditions ?? []).map(c => ({ type: c.type, status: c.status })),
        events: evs,
        waitingReasons: statuses.map(s => s.state?.waiting?.reason).filter((r): r is string => !!r),
        pulls: pullRecords(evs)
    };
}
