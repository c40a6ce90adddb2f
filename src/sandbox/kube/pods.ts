/**
 * Pod objects for the world's pods: spec (image, imagePullSecrets, nodeName), status phase, the standard
 * conditions for that phase plus the world's extra ones (e.g. UpgradeIfStreamableDisabled), and
 * containerStatuses consistent with the phase and the pull events.
 */
import type { SandboxState } from '../state.js';
import { stableGuid } from '../state.js';
import type { WorldCluster, WorldPod } from '../world/schema.js';
import { nodeInternalIp } from './nodes.js';
import { containerName, iso, podNode, podTimeline } from './pod-facts.js';

const PULL_FAILURE_REASONS = new Set(['Failed', 'ErrImagePull', 'BackOff', 'ImagePullBackOff']);

export function podUid(cluster: WorldCluster, pod: WorldPod): string {
    return stableGuid('pod', cluster.name, pod.namespace, pod.name);
}

function condition(type: string, status: string, at: string, reason?: string) {
    return { type, status, lastProbeTime: null, lastTransitionTime: at, ...(reason ? { reason } : {}) };
}

export function podJson(state: SandboxState, cluster: WorldCluster, pod: WorldPod): object {
    const node = podNode(cluster, pod);
    const t = podTimeline(state, cluster, pod);
    const name = containerName(pod.image);
    const phase = pod.pullError ? 'Pending' : pod.phase;
    const running = phase === 'Running' && node !== undefined;
    const pullFailed = pod.pullError !== undefined || pod.events.some(e => e.type === 'Warning' && PULL_FAILURE_REASONS.has(e.reason));
    // The ServiceAccount admission plugin copies the service account's imagePullSecrets into the pod spec.
    const sa = cluster.serviceAccounts.find(a => a.namespace === pod.namespace && a.name === pod.serviceAccount);
    const pullSecrets = [...new Set([...pod.imagePullSecrets, ...(sa?.imagePullSecrets ?? [])])];

    const conditions = node
        ? [
              condition('PodReadyToStartContainers', 'True', iso(t.created + 1000)),
              condition('Initialized', 'True', iso(t.created)),
              condition('Ready', running ? 'True' : 'False', iso(running ? t.started : t.created), running ? undefined : 'ContainersNotReady'),
              condition('ContainersReady', running ? 'True' : 'False', iso(running ? t.started : t.created), running ? undefined : 'ContainersNotReady'),
              condition('PodScheduled', 'True', iso(t.created))
          ]
        : [condition('PodScheduled', 'False', iso(t.created), 'Unschedulable')];
    for (const c of pod.conditions) conditions.push(condition(c.type, c.status, iso(t.created + 500)));

    let state_: object;
    if (running) state_ = { running: { startedAt: iso(t.started) } };
    else if (phase === 'Failed') state_ = { terminated: { exitCode: 1, reason: 'Error', startedAt: iso(t.started), finishedAt: iso(t.started + 5000) } };
    else if (pullFailed) state_ = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${pod.image}"` } };
    else state_ = { waiting: { reason: 'ContainerCreating' } };

    return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
            name: pod.name,
            namespace: pod.namespace,
            uid: podUid(cluster, pod),
            resourceVersion: '1',
            creationTimestamp: iso(t.created),
            labels: { app: name }
        },
        spec: {
            containers: [{ name, image: pod.image, imagePullPolicy: 'IfNotPresent', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
            ...(pullSecrets.length > 0 ? { imagePullSecrets: pullSecrets.map(n => ({ name: n })) } : {}),
            ...(node ? { nodeName: node.name } : {}),
            nodeSelector: { 'kubernetes.azure.com/agentpool': pod.nodePool },
            restartPolicy: 'Always',
            schedulerName: 'default-scheduler',
            serviceAccountName: pod.serviceAccount,
            serviceAccount: pod.serviceAccount,
            dnsPolicy: 'ClusterFirst',
            terminationGracePeriodSeconds: 30
        },
        status: {
            phase,
            conditions,
            ...(node ? { hostIP: nodeInternalIp(cluster, node), podIP: running ? `10.244.${cluster.pods.indexOf(pod) % 250}.${10 + (cluster.pods.indexOf(pod) % 200)}` : undefined } : {}),
            startTime: iso(t.created),
            qosClass: 'BestEffort',
            containerStatuses: [
                {
                    name,
                    image: pod.image,
                    // The kubelet reports the resolved digest; the sandbox only knows it when the pod pulls by digest.
                    imageID: pod.image.includes('@sha256:') ? pod.image : '',
                    ready: running,
                    started: running,
                    restartCount: 0,
                    state: state_
                }
            ]
        }
    };
}
