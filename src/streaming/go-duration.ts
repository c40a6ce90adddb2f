/**
 * Go's time.Duration text, which the kubelet prints in its pull events: `3m13.8s`, `1h2m3s`, `850ms`,
 * `1.5µs`, `0s` (Go: time.Duration.String and time.ParseDuration; units ns, us/µs/μs, ms, s, m, h).
 */
const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
const DURATION = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/** Seconds, or undefined when the text is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
    const t = text.trim();
    if (t === '0') return 0;
    if (!DURATION.test(t)) return undefined;
    let total = 0;
    for (const m of t.matchAll(PART)) total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
    return t.startsWith('-') ? -total : total;
}

/** A duration for people: 3m14s, 42.5s, 850ms. */
export function formatSeconds(seconds: number): string {
    if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
    if (seconds < 60) return `${Number(seconds.toFixed(1))}s`;
    const total = Math.round(seconds);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    return h > 0 ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}
