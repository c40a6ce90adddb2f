/**
 * The text timeline of an estimate, scaled to it (the skill's picture, with real numbers):
 *   full pull  ████████████████████████████████████████ → start  2m5s–3m28s
 *   streaming  ███ → start ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░ (rest on demand)  10–15s
 */
import type { Estimate, Range } from './estimate.js';
import { formatSeconds } from './go-duration.js';

export const TIMELINE_WIDTH = 40;

const span = (r: Range) => (r[0] === r[1] ? formatSeconds(r[0]) : `${formatSeconds(r[0])}–${formatSeconds(r[1])}`);

export function renderTimeline(e: Estimate, width = TIMELINE_WIDTH): string {
    const full = Math.max(e.fullPullSeconds[1], e.streamingStartSeconds[1], 1e-9);
    const cells = (s: number) => Math.max(1, Math.min(width, Math.round((s / full) * width)));
    const fullCells = cells(e.fullPullSeconds[1]);
    const streamCells = cells(e.streamingStartSeconds[1]);
    return [
        `full pull  ${'█'.repeat(fullCells)} → start  ${span(e.fullPullSeconds)}${e.calibratedFrom ? ` (measured: ${e.calibratedFrom})` : ''}`,
        `streaming  ${'█'.repeat(streamCells)} → start ${'░'.repeat(Math.max(0, width - streamCells))} (rest on demand)  ${span(e.streamingStartSeconds)}`
    ].join('\n');
}
