/**
 * The verdict rules of docs/tools.md: any blocker ⇒ will_not_stream; no blocker and every required layer
 * checked (registry, image, cluster, node pool; the pod too when one was named) ⇒ streams; otherwise unknown.
 */
import { hasBlocker, type Finding } from './findings.js';

export type Verdict = 'streams' | 'will_not_stream' | 'unknown';

export type CheckLayer = 'registry' | 'repository' | 'image' | 'conversion' | 'cluster' | 'acrPull' | 'nodePool' | 'pod';

export type Checked = {
    layer: CheckLayer;
    /** What was looked at, e.g. "contosoacr", "aks-prod/gpupool", "default/trainer-0". */
    subject: string;
    /** checked: the fact was read; unavailable: reading it failed; not_found: it does not exist; skipped: not looked at. */
    status: 'checked' | 'unavailable' | 'not_found' | 'skipped';
    note?: string;
};

/** Layers that must be checked for a "streams" verdict (acrPull and conversion belong to cluster and image). */
export const REQUIRED_LAYERS: readonly CheckLayer[] = ['registry', 'image', 'conversion', 'cluster', 'acrPull', 'nodePool'];

export function verdictOf(findings: readonly Finding[], checked: readonly Checked[], podRequested = false): Verdict {
    if (hasBlocker(findings)) return 'will_not_stream';
    const required = podRequested ? [...REQUIRED_LAYERS, 'pod' as const] : REQUIRED_LAYERS;
    const ok = (layer: CheckLayer) => checked.some(c => c.layer === layer && c.status === 'checked') && !checked.some(c => c.layer === layer && c.status !== 'checked');
    return required.every(ok) ? 'streams' : 'unknown';
}
