import { describe, expect, it } from 'vitest';
import { clusterPosition, judgeImage, type ImageRun } from '../../src/streaming/cluster-ranking.js';
import type { Diagnosis } from '../../src/streaming/diagnosis.js';
import { estimateStartup } from '../../src/streaming/estimate.js';
import { finding } from '../../src/streaming/findings.js';

const GB = 1e9;
const run = (pod: string, verdict: Diagnosis['verdict'], extra: Partial<ImageRun> = {}, measured?: number): ImageRun => ({
    pod,
    nodePool: pod.split('/')[0],
    diagnosis: {
        verdict,
        findings: verdict === 'will_not_stream' ? [finding('NODEPOOL_STREAMING_DISABLED', `${pod}: off`, { explanation: 'turn it on' })] : [],
        checked: [],
        fixPlan: [],
        estimate: estimateStartup(5 * GB, measured ? { measuredPullSeconds: measured } : {})
    },
    ...extra
});

describe('cluster scan: one image judged from its pods', () => {
    it('the worst pod decides the verdict and gives the first blocker; streaming pods cost nothing', () => {
        const img = judgeImage('r.azurecr.io/a:v1', [run('b/pod-2', 'streams'), run('a/pod-1', 'will_not_stream'), run('c/pod-3', 'unknown')]);
        expect(img.verdict).toBe('will_not_stream');
        expect(img.firstBlocker?.code).toBe('NODEPOOL_STREAMING_DISABLED');
        expect(img.pods).toEqual(['a/pod-1', 'b/pod-2', 'c/pod-3']);
        expect(img.nodePools).toEqual(['a', 'b', 'c']);
        expect(img.notStreamingPods).toBe(2);
        expect(judgeImage('r.azurecr.io/a:v1', [run('a/x', 'streams')])).toMatchObject({ verdict: 'streams', lostSeconds: 0, firstBlocker: null });
        expect(judgeImage('r.azurecr.io/a:v1', [run('a/x', 'unknown')])).toMatchObject({ verdict: 'unknown', firstBlocker: null });
    });

    it('calibrates with the newest full pull (a pod that did not stream), not a short streamed one', () => {
        const img = judgeImage('r.azurecr.io/a:v1', [
            run('a/slow', 'will_not_stream', { lastPull: { seconds: 300, at: 1 } }, 300),
            run('b/fast', 'streams', { lastPull: { seconds: 4, at: 2 } }, 4)
        ]);
        expect(img.lastPullSeconds).toBe(4);
        expect(img.estimate?.fullPullSeconds).toEqual([300, 300]);
        expect(img.lostSeconds).toBeGreaterThan(250);
    });

    it('ranks by time lost across the pods that do not stream it', () => {
        const one = judgeImage('r.azurecr.io/one:v1', [run('a/x', 'will_not_stream')]);
        const three = judgeImage('r.azurecr.io/three:v1', [run('a/x', 'will_not_stream'), run('a/y', 'will_not_stream'), run('a/z', 'will_not_stream')]);
        expect(clusterPosition(three).key).toBeCloseTo(3 * clusterPosition(one).key, 0);
    });
});
