/**
 * Events for the world's pods, in time order: the scheduler's `Scheduled`, then — when `pullSeconds` is
 * set — the kubelet's `Pulling` / `Pulled` with the duration and image size in the kubelet's own wording
 * (kubelet pkg/kubelet/images: `Successfully pulled image %q in %v (%v including waiting). Image size: %v bytes.`),
 * the world's extra events verbatim (folded by `count`), a failing pull's events (`pullError`, pull-errors.ts), and
 * `Created` / `Started` for running pods. No public source gives
 * streaming-specific event text, so the sandbox invents none: a world adds such events explicitly.
 */
import type { SandboxState } from '../state.js';
import { stableGuid } from '../state.js';
import type { WorldCluster, WorldPod } from '../world/schema.js';
import { podUid } from './pods.js';
import { containerName, goDuration, imageSizeBytes, iso, podNode, podTimeline } from './pod-facts.js';
import { pullErrorEvents } from './pull-errors.js';

interface RawEvent {
    type: 'Normal' | 'Warning';
    reason: string;
    message: string;
    /** Last occurrence; `first` is the first one when the event repeated (`count` > 1). */
    at: number;
    first: number;
    count: number;
    component: 'kubelet' | 'default-scheduler';
    container: boolean;
}

function rawEvents(state: SandboxState, cluster: WorldCluster, pod: WorldPod): RawEvent[] {
    const node = podNode(cluster, pod);
    const t = podTimeline(state, cluster, pod);
    const name = containerName(pod.image);
    const out: RawEvent[] = [];
    const ev = (type: RawEvent['type'], reason: string, message: string, at: number, component: RawEvent['component'] = 'kubelet', container = true, count = 1, first = at) =>
        out.push({ type, reason, message, at, first, count, component, container });

    if (!node) {
        ev('Warning', 'FailedScheduling', `0/${cluster.agentPools.reduce((n, p) => n + p.count, 0)} nodes are available: node(s) didn't match Pod's node affinity/selector.`, t.created, 'default-scheduler', false);
        return out;
    }
    ev('Normal', 'Scheduled', `Successfully assigned ${pod.namespace}/${pod.name} to ${node.name}`, t.created, 'default-scheduler', false);
    if (pod.pullSeconds !== undefined) ev('Normal', 'Pulling', `Pulling image "${pod.image}"`, t.pullStart);
    // Extra events happen between the pull start and its end (they are usually about the pull); a repeated
    // one recurs every 30 s, as a kubelet back-off would.
    pod.events.forEach((e, i) => {
        const first = t.pullStart + 500 * (i + 1);
        ev(e.type, e.reason, e.message, first + (e.count - 1) * 30_000, 'kubelet', true, e.count, first);
    });
    const span = state.startedAt - 30_000 - t.pullStart;
    for (const e of pullErrorEvents(pod, span)) ev(e.type, e.reason, e.message, t.pullStart + e.lastMs, 'kubelet', true, e.count, t.pullStart + e.firstMs);
    if (pod.pullSeconds !== undefined) {
        const d = goDuration(pod.pullSeconds);
        const size = imageSizeBytes(state, pod, node);
        const sizeText = size === undefined ? '' : ` Image size: ${size} bytes.`;
        ev('Normal', 'Pulled', `Successfully pulled image "${pod.image}" in ${d} (${d} including waiting).${sizeText}`, Math.max(t.pullEnd, t.pullStart + 500 * (pod.events.length + 1)));
    }
    if (!pod.pullError && (pod.phase === 'Running' || pod.phase === 'Failed')) {
        ev('Normal', 'Created', `Created container: ${name}`, t.started - 200);
        ev('Normal', 'Started', `Started container ${name}`, t.started);
    }
    return out.sort((a, b) => a.at - b.at);
}

export function podEvents(state: SandboxState, cluster: WorldCluster, pod: WorldPod): object[] {
    const node = podNode(cluster, pod);
    const name = containerName(pod.image);
    return rawEvents(state, cluster, pod).map((e, i) => {
        const id = stableGuid('event', cluster.name, pod.namespace, pod.name, String(i));
        const at = iso(e.at);
        const first = iso(e.first);
        return {
            apiVersion: 'v1',
            kind: 'Event',
            metadata: { name: `${pod.name}.${id.replace(/-/g, '').slice(0, 16)}`, namespace: pod.namespace, uid: id, resourceVersion: '1', creationTimestamp: first },
            involvedObject: {
                kind: 'Pod',
                namespace: pod.namespace,
                name: pod.name,
                uid: podUid(cluster, pod),
                apiVersion: 'v1',
                resourceVersion: '1',
                ...(e.container ? { fieldPath: `spec.containers{${name}}` } : {})
            },
            reason: e.reason,
            message: e.message,
            source: e.component === 'kubelet' ? { component: 'kubelet', host: node?.name } : { component: 'default-scheduler' },
            firstTimestamp: first,
            lastTimestamp: at,
            count: e.count,
            type: e.type,
            eventTime: null,
            reportingComponent: e.component,
            reportingInstance: e.component === 'kubelet' ? (node?.name ?? '') : ''
        };
    });
}
