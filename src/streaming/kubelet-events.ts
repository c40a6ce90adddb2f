/**
 * The kubelet's image events, in its own wording (kubernetes pkg/kubelet/images/image_manager.go):
 *   Pulling  `Pulling image "<ref>"`
 *   Pulled   `Successfully pulled image "<ref>" in 3m13.8s (3m13.8s including waiting). Image size: 123 bytes.`
 *            (older kubelets stop after the duration, or after "including waiting)")
 *   Pulled   `Container image "<ref>" already present on machine` (no pull happened)
 *   Failed   `Failed to pull image "<ref>": …`, `Error: ErrImagePull`, `Error: ImagePullBackOff`
 *   BackOff  `Back-off pulling image "<ref>"`
 * kubectl 1.35+ prefixes event messages with the container's field path in `kubectl describe`
 * (`spec.containers{trainer}: Pulling image …`, kubectl commit "include container fieldPath in event messages").
 */
import type { PodEventFacts, PullRecord } from './facts.js';
import { parseGoDuration } from './go-duration.js';

const FIELD_PATH = /^(spec\.(?:initContainers|containers|ephemeralContainers)\{[^}]+\}): /;
const PULLED = /^Successfully pulled image "([^"]+)" in (\S+?)(?: \((\S+) including waiting\))?(?:\.? Image size: (\d+) bytes\.?)?\.?$/;

/** The message without kubectl 1.35's `spec.containers{name}: ` prefix, and that field path. */
export function splitFieldPath(message: string): { fieldPath?: string; message: string } {
    const m = FIELD_PATH.exec(message);
    return m ? { fieldPath: m[1], message: message.slice(m[0].length) } : { message };
}

/** A Pulled event that records a real pull (not "already present on machine"). */
export function pullRecord(reason: string, message: string): PullRecord | undefined {
    if (reason !== 'Pulled') return undefined;
    const m = PULLED.exec(message.trim());
    if (!m) return undefined;
    const seconds = parseGoDuration(m[2]!);
    if (seconds === undefined) return undefined;
    const waiting = m[3] ? parseGoDuration(m[3]) : undefined;
    return {
        image: m[1]!,
        seconds,
        ...(waiting !== undefined ? { includingWaitingSeconds: waiting } : {}),
        ...(m[4] ? { sizeBytes: Number(m[4]) } : {}),
        message: message.trim()
    };
}

export function pullRecords(events: readonly PodEventFacts[]): PullRecord[] {
    return events.map(e => pullRecord(e.reason, e.message)).filter((p): p is PullRecord => p !== undefined);
}

/** kubectl's folded age column: `3m (x4 over 10m)` → 4; a plain age → 1. */
export function foldedCount(age: string): number {
    const m = /\(x(\d+) over [^)]*\)/.exec(age);
    return m ? Number(m[1]) : 1;
}
