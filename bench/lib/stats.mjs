// Small statistics for side-by-side runs: medians and percentiles of samples, ratios rounded for tables.
export const median = xs => percentile(xs, 50);

/** Nearest-rank percentile (p in 0..100) of the samples; NaN when there are none. */
export function percentile(xs, p) {
    if (xs.length === 0) return NaN;
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const round = (x, digits = 0) => (Number.isFinite(x) ? +x.toFixed(digits) : null);
export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? +(a / b).toFixed(2) : null);
