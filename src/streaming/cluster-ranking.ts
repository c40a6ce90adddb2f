/**
 * The cluster scan's judgement of one image from the diagnoses of the pods that run it (one diagnosis per pod,
 * the same rules as streaming_diagnose), and the order of the images: startup time lost first. Pure.
 *
 * An image's verdict is its worst pod's (will_not_stream, then unknown, then streams): one pod pulling with a
 * secret or on a pool without streaming is a workload that does not stream. The first blocker is that of the
 * first such pod, in pod-name order. Time lost per pod start is the estimate's seconds saved (midpoint;
 * calibrated from a measured full pull when there is one) unless the image streams; the ranking weighs it by
 * the number of pods that run the image without streaming it, since each of them pays it at its next start.
 */
import type { Diagnosis } from './diagnosis.js';
import type { Estimate } from './estimate.js';
import type { Finding } from './findings.js';
import type { RankPosition } from './scan-ranking.js';
import type { Verdict } from './verdict.js';

export interface ImageRun {
    /** namespace/name */
    pod: string;
    nodePool?: string;
    diagnosis: Diagnosis;
    /** The pod's newest kubelet Pulled event for this image: its duration and when it happened. */
    lastPull?: { seconds: number; at: number };
}

export interface ClusterImage {
    image: string;
    verdict: Verdict;
    firstBlocker: Finding | null;
    pods: string[];
    nodePools: string[];
    lastPullSeconds: number | null;
    estimate: Estimate | null;
    /** Seconds lost at each start of a pod that does not stream it (0 when it streams). */
    lostSeconds: number;
    /** Pods whose own verdict is not "streams" (they pay lostSeconds at their next start). */
    notStreamingPods: number;
}

const WORST: Record<Verdict, number> = { will_not_stream: 0, unknown: 1, streams: 2 };

export function judgeImage(image: string, runs: readonly ImageRun[]): ClusterImage {
    const byName = [...runs].sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
    const worst = byName.reduce<ImageRun | undefined>((w, r) => (!w || WORST[r.diagnosis.verdict] < WORST[w.diagnosis.verdict] ? r : w), undefined);
    const verdict = worst?.diagnosis.verdict ?? 'unknown';
    const newestOf = (xs: ImageRun[]) => xs.filter(r => r.lastPull).sort((a, b) => b.lastPull!.at - a.lastPull!.at)[0];
    const newest = newestOf(byName);
    // Calibrate with a full pull: the newest pull of a pod that does not stream (a streamed pull is short);
    // without one, the newest pull, else any pod's estimate (the same image, uncalibrated).
    const calibrating = newestOf(byName.filter(r => r.diagnosis.verdict !== 'streams')) ?? newest;
    const estimate = (calibrating ?? byName.find(r => r.diagnosis.estimate))?.diagnosis.estimate ?? null;
    const saved = estimate ? (estimate.savedSeconds[0] + estimate.savedSeconds[1]) / 2 : 0;
    return {
        image,
        verdict,
        firstBlocker: verdict === 'will_not_stream' ? (worst?.diagnosis.findings.find(f => f.severity === 'blocker') ?? null) : null,
        pods: byName.map(r => r.pod),
        nodePools: [...new Set(byName.map(r => r.nodePool).filter((p): p is string => !!p))].sort(),
        lastPullSeconds: newest?.lastPull?.seconds ?? null,
        estimate,
        lostSeconds: verdict === 'streams' ? 0 : Math.round(saved * 10) / 10,
        notStreamingPods: byName.filter(r => r.diagnosis.verdict !== 'streams').length
    };
}

/** Ranking key: startup time lost at the next start of every pod that runs the image without streaming it. */
export function clusterPosition(row: ClusterImage): RankPosition {
    return { key: Math.round(row.lostSeconds * row.notStreamingPods * 10) / 10, name: row.image };
}
