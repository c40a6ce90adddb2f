/**
 * Start-up estimate: how long a full pull takes before the container can start, against how long a streamed
 * start takes, from the image's size and explicit assumptions (docs/performance.md explains the model).
 *
 * Full pull: download the compressed layers at `bandwidthMBps` and decompress/extract them at `extractMBps`.
 * containerd overlaps the two across layers, so the time lies between the slower of the two (fully
 * overlapped) and their sum (not overlapped): that is the range. Streaming: the same for the fraction of
 * the image read at start (`fractionReadAtStart`, 6.4 % per Harter et al., FAST '16), plus the streaming
 * artifact's first-byte overhead (mounting the overlaybd block device, resolving the artifact). A measured
 * pull time (the kubelet's Pulled event) replaces the assumed throughput: the full pull is then the measured
 * one, scaled to this image's size.
 */

export type EstimateAssumptions = {
    /** Network throughput from the registry to the node, megabytes (10^6 bytes) per second. */
    bandwidthMBps: number;
    /** Decompression and extraction rate of compressed layer data, megabytes per second. */
    extractMBps: number;
    /** Fraction of the image's data read before the container starts. */
    fractionReadAtStart: number;
    /** Fixed cost of a streamed start before the first byte of data arrives, seconds. */
    firstByteSeconds: number;
};

/** Harter et al., FAST '16: only 6.4 % of the data of the images they studied was read at start-up. */
export const SLACKER_FRACTION_READ = 0.064;

/**
 * Defaults. `fractionReadAtStart` is measured (Slacker); the throughputs and the first-byte overhead are
 * project assumptions for an in-region pull on a general-purpose AKS node (no public Azure figure exists):
 * override them, or give a measured pull time, for a real answer.
 */
export const DEFAULT_ASSUMPTIONS: EstimateAssumptions = {
    bandwidthMBps: 60,
    extractMBps: 40,
    fractionReadAtStart: SLACKER_FRACTION_READ,
    firstByteSeconds: 2
};

export const ESTIMATE_SOURCES = [
    'Harter et al., "Slacker: Fast Distribution with Lazy Docker Containers", USENIX FAST \'16 (6.4 % of image data read at start): https://www.usenix.org/conference/fast16/technical-sessions/presentation/harter',
    'Li et al., "DADI: Block-Level Image Service for Agile and Elastic Application Deployment", USENIX ATC \'20 (overlaybd, the format of ACR artifact streaming): https://www.usenix.org/conference/atc20/presentation/li-huiba',
    'bandwidthMBps, extractMBps, firstByteSeconds: project assumptions, see docs/performance.md'
];

export type Range = [number, number];

export type Estimate = {
    /** Compressed bytes the estimate is for (what the node pulls: the linux/amd64 platform of an index). */
    sizeBytes: number;
    fullPullSeconds: Range;
    streamingStartSeconds: Range;
    savedSeconds: Range;
    assumptions: EstimateAssumptions & { measuredPullSeconds?: number };
    calibratedFrom: null | 'pod events';
    sources: string[];
};

export interface EstimateOptions {
    assumptions?: Partial<EstimateAssumptions>;
    /** A measured full pull (seconds), e.g. from the kubelet's "Successfully pulled image … in 3m13.8s". */
    measuredPullSeconds?: number;
    /** Size of the image that measured pull fetched, when it differs from `sizeBytes`. */
    measuredSizeBytes?: number;
}

const round = (n: number) => Math.round(n * 10) / 10;
const positive = (n: number | undefined) => n !== undefined && Number.isFinite(n) && n > 0;

/** Data time of a full pull of `mb` megabytes: [overlapped, not overlapped]. */
function dataSeconds(mb: number, a: EstimateAssumptions): Range {
    const download = mb / a.bandwidthMBps;
    const extract = mb / a.extractMBps;
    return [Math.max(download, extract), download + extract];
}

export function estimateStartup(sizeBytes: number, opts: EstimateOptions = {}): Estimate {
    const a: EstimateAssumptions = { ...DEFAULT_ASSUMPTIONS };
    for (const [k, v] of Object.entries(opts.assumptions ?? {}) as [keyof EstimateAssumptions, number | undefined][]) {
        if (v !== undefined && Number.isFinite(v) && v >= 0) a[k] = v;
    }
    if (!(a.bandwidthMBps > 0)) a.bandwidthMBps = DEFAULT_ASSUMPTIONS.bandwidthMBps;
    if (!(a.extractMBps > 0)) a.extractMBps = DEFAULT_ASSUMPTIONS.extractMBps;
    a.fractionReadAtStart = Math.min(1, a.fractionReadAtStart);
    const mb = Math.max(0, sizeBytes) / 1e6;
    const [lo, hi] = dataSeconds(mb, a);
    let full: Range = [lo, hi];
    let stream: Range = [a.firstByteSeconds + lo * a.fractionReadAtStart, a.firstByteSeconds + hi * a.fractionReadAtStart];
    const calibrated = positive(opts.measuredPullSeconds);
    if (calibrated) {
        const measuredMb = positive(opts.measuredSizeBytes) ? opts.measuredSizeBytes! / 1e6 : mb;
        const p = mb > 0 && measuredMb > 0 ? opts.measuredPullSeconds! * (mb / measuredMb) : opts.measuredPullSeconds!;
        // The measured pull fixes the throughput; how much of it overlaps is still the model's ratio.
        const overlap = hi > 0 ? lo / hi : 1;
        full = [p, p];
        stream = [a.firstByteSeconds + p * overlap * a.fractionReadAtStart, a.firstByteSeconds + p * a.fractionReadAtStart];
    }
    const saved: Range = [Math.max(0, full[0] - stream[1]), Math.max(0, full[1] - stream[0])];
    return {
        sizeBytes,
        fullPullSeconds: [round(full[0]), round(full[1])],
        streamingStartSeconds: [round(stream[0]), round(stream[1])],
        savedSeconds: [round(saved[0]), round(saved[1])],
        assumptions: { ...a, ...(calibrated ? { measuredPullSeconds: opts.measuredPullSeconds! } : {}) },
        calibratedFrom: calibrated ? 'pod events' : null,
        sources: [...ESTIMATE_SOURCES]
    };
}
