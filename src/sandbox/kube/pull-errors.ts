/**
 * The events a failing pull leaves, in the kubelet's and containerd's wording: the kubelet retries with a
 * back-off, so each message repeats (kubectl folds them: "(x4 over 5m)"):
 *   Normal  Pulling  `Pulling image "<ref>"`
 *   Warning Failed   `Failed to pull image "<ref>": <containerd error>`
 *   Warning Failed   `Error: ErrImagePull`
 *   Normal  BackOff  `Back-off pulling image "<ref>"`
 *   Warning Failed   `Error: ImagePullBackOff`
 * The containerd errors: acr-mirror answering 503 on the node (Learn: troubleshoot-artifact-streaming.md, HEAD to
 * http://localhost:8578/v2/<repo>/manifests/<tag>?ns=<registry>), the registry's token endpoint refusing an
 * anonymous pull (401), and a tag that does not exist (NotFound).
 */
import type { WorldPod } from '../world/schema.js';
import { parseImageRef } from './pod-facts.js';

export interface FoldedEvent {
    type: 'Normal' | 'Warning';
    reason: string;
    message: string;
    count: number;
    /** Offset of the first occurrence from the pull start, and of the last. */
    firstMs: number;
    lastMs: number;
}

/** Pull attempts and back-off reports of a pod that has been failing for a while. */
export const PULL_ATTEMPTS = 4;
export const BACKOFF_REPORTS = 12;

function containerdError(pod: WorldPod): string {
    const ref = parseImageRef(pod.image);
    const host = ref?.host ?? 'registry';
    const repo = ref?.repository ?? 'repository';
    const reference = ref?.digest ?? ref?.tag ?? 'latest';
    const unpack = `failed to pull and unpack image "${pod.image}": failed to resolve reference "${pod.image}"`;
    switch (pod.pullError) {
        case 'mirror-unavailable':
            return `${unpack}: unexpected status from HEAD request to http://localhost:8578/v2/${repo}/manifests/${reference}?ns=${host}: 503 Service Unavailable`;
        case 'unauthorized':
            return `rpc error: code = Unknown desc = ${unpack}: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://${host}/oauth2/token?scope=repository%3A${encodeURIComponent(repo)}%3Apull&service=${host}: 401 Unauthorized`;
        default:
            return `rpc error: code = NotFound desc = ${unpack}: ${pod.image}: not found`;
    }
}

/** The folded events of a pod whose world sets `pullError`; [] otherwise. `spanMs`: how long it has been failing. */
export function pullErrorEvents(pod: WorldPod, spanMs: number): FoldedEvent[] {
    if (!pod.pullError) return [];
    const pullsEnd = Math.min(spanMs, 5 * 60_000);
    return [
        { type: 'Normal', reason: 'Pulling', message: `Pulling image "${pod.image}"`, count: PULL_ATTEMPTS, firstMs: 0, lastMs: pullsEnd },
        { type: 'Warning', reason: 'Failed', message: `Failed to pull image "${pod.image}": ${containerdError(pod)}`, count: PULL_ATTEMPTS, firstMs: 400, lastMs: pullsEnd + 400 },
        { type: 'Warning', reason: 'Failed', message: 'Error: ErrImagePull', count: PULL_ATTEMPTS, firstMs: 400, lastMs: pullsEnd + 400 },
        { type: 'Normal', reason: 'BackOff', message: `Back-off pulling image "${pod.image}"`, count: BACKOFF_REPORTS, firstMs: 1_000, lastMs: spanMs },
        { type: 'Warning', reason: 'Failed', message: 'Error: ImagePullBackOff', count: BACKOFF_REPORTS, firstMs: 1_000, lastMs: spanMs }
    ];
}
