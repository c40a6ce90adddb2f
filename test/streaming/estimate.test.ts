import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSUMPTIONS, estimateStartup, SLACKER_FRACTION_READ } from '../../src/streaming/estimate.js';
import { formatSeconds, parseGoDuration } from '../../src/streaming/go-duration.js';
import { renderTimeline, TIMELINE_WIDTH } from '../../src/streaming/timeline.js';

const GB = 1e9;

describe('start-up estimate', () => {
    it('defaults to the 6.4 % read at start measured by Slacker (FAST 16)', () => {
        expect(DEFAULT_ASSUMPTIONS.fractionReadAtStart).toBe(SLACKER_FRACTION_READ);
        expect(SLACKER_FRACTION_READ).toBe(0.064);
        const e = estimateStartup(5 * GB);
        expect(e.sources.some(s => s.includes('FAST'))).toBe(true);
        expect(e.calibratedFrom).toBeNull();
    });

    it('ranges a full pull between overlapped and serial download + extraction', () => {
        const e = estimateStartup(6 * GB, { assumptions: { bandwidthMBps: 100, extractMBps: 50, firstByteSeconds: 1, fractionReadAtStart: 0.1 } });
        expect(e.fullPullSeconds).toEqual([120, 180]); // max(60, 120) .. 60 + 120
        expect(e.streamingStartSeconds).toEqual([13, 19]); // 1 + 0.1 × [120, 180]
        expect(e.savedSeconds).toEqual([101, 167]);
        expect(e.assumptions).toEqual({ bandwidthMBps: 100, extractMBps: 50, firstByteSeconds: 1, fractionReadAtStart: 0.1 });
    });

    it('scales with size and never reports a negative saving', () => {
        const small = estimateStartup(10_000_000);
        const big = estimateStartup(10 * GB);
        expect(big.fullPullSeconds[0]).toBeGreaterThan(small.fullPullSeconds[0] * 100);
        expect(small.savedSeconds[0]).toBe(0);
        expect(small.savedSeconds[1]).toBeGreaterThanOrEqual(0);
    });

    it('calibrates against a measured pull and says so', () => {
        const e = estimateStartup(4 * GB, { measuredPullSeconds: 193.8, assumptions: { firstByteSeconds: 2, fractionReadAtStart: 0.05 } });
        expect(e.calibratedFrom).toBe('pod events');
        expect(e.fullPullSeconds).toEqual([193.8, 193.8]);
        expect(e.streamingStartSeconds[1]).toBeCloseTo(2 + 193.8 * 0.05, 1);
        expect(e.streamingStartSeconds[0]).toBeLessThan(e.streamingStartSeconds[1]);
        expect(e.assumptions.measuredPullSeconds).toBe(193.8);
    });

    it('scales a measured pull of another size to this image', () => {
        const e = estimateStartup(4 * GB, { measuredPullSeconds: 100, measuredSizeBytes: 2 * GB });
        expect(e.fullPullSeconds).toEqual([200, 200]);
    });

    it('ignores nonsense overrides instead of dividing by zero', () => {
        const e = estimateStartup(GB, { assumptions: { bandwidthMBps: 0, extractMBps: Number.NaN, fractionReadAtStart: 7 } });
        expect(e.assumptions.bandwidthMBps).toBe(DEFAULT_ASSUMPTIONS.bandwidthMBps);
        expect(e.assumptions.extractMBps).toBe(DEFAULT_ASSUMPTIONS.extractMBps);
        expect(e.assumptions.fractionReadAtStart).toBe(1);
        expect(e.fullPullSeconds.every(Number.isFinite)).toBe(true);
    });
});

describe('timeline', () => {
    it('draws both bars to the same scale', () => {
        const e = estimateStartup(6 * GB, { assumptions: { bandwidthMBps: 100, extractMBps: 50, firstByteSeconds: 1, fractionReadAtStart: 0.1 } });
        const [full, stream] = renderTimeline(e).split('\n');
        expect(full).toBe(`full pull  ${'█'.repeat(TIMELINE_WIDTH)} → start  2m0s–3m0s`);
        // 19 s of 180 s on 40 cells ≈ 4 cells, the rest of the width shaded.
        expect(stream).toBe(`streaming  ${'█'.repeat(4)} → start ${'░'.repeat(TIMELINE_WIDTH - 4)} (rest on demand)  13s–19s`);
    });

    it('says when the full pull was measured', () => {
        expect(renderTimeline(estimateStartup(GB, { measuredPullSeconds: 30 }))).toContain('30s (measured: pod events)');
    });
});

describe('Go durations as the kubelet prints them', () => {
    it.each([
        ['3m13.8s', 193.8],
        ['1h2m3s', 3723],
        ['850ms', 0.85],
        ['1.5µs', 1.5e-6],
        ['1.5μs', 1.5e-6],
        ['2us', 2e-6],
        ['12ns', 12e-9],
        ['0s', 0],
        ['0', 0],
        ['1m0s', 60],
        ['2h0m0.5s', 7200.5],
        ['42.123456789s', 42.123456789]
    ])('%s = %f s', (text, seconds) => {
        expect(parseGoDuration(text)).toBeCloseTo(seconds, 9);
    });

    it.each(['', 'abc', '3 m', '1h-2m', 's', '5'])('refuses %o', text => {
        expect(parseGoDuration(text)).toBeUndefined();
    });

    it('formats seconds for people', () => {
        expect([formatSeconds(0.85), formatSeconds(42.46), formatSeconds(193.8), formatSeconds(3723)]).toEqual(['850ms', '42.5s', '3m14s', '1h2m3s']);
    });
});
