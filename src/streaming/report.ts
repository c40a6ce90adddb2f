/**
 * The diagnosis for people: a one-paragraph summary (the tool's text result) and the full report the CLI
 * prints (verdict, findings with evidence and fix, the ordered fix plan, what was checked, the timeline).
 */
import type { Diagnosis } from './diagnosis.js';
import type { FixStep } from './fix-plan.js';
import { formatSeconds } from './go-duration.js';
import { renderTimeline } from './timeline.js';

const VERDICT_TEXT = { streams: 'streams', will_not_stream: 'will NOT stream', unknown: 'cannot be judged yet (unknown)' } as const;

const range = (r: [number, number]) => (r[0] === r[1] ? formatSeconds(r[0]) : `${formatSeconds(r[0])}–${formatSeconds(r[1])}`);

export function diagnosisSummary(image: string, d: Diagnosis): string {
    const blockers = d.findings.filter(f => f.severity === 'blocker');
    const first = blockers[0] ?? d.findings[0];
    const parts = [`${image} ${VERDICT_TEXT[d.verdict]}.`];
    if (blockers.length) parts.push(`${blockers.length} blocker${blockers.length > 1 ? 's' : ''}: ${blockers.map(b => b.code).join(', ')}.`);
    else if (first) parts.push(`Findings: ${d.findings.map(f => f.code).join(', ')}.`);
    if (d.verdict === 'unknown') {
        const missing = d.checked.filter(c => c.status !== 'checked').map(c => `${c.layer} (${c.status})`);
        if (missing.length) parts.push(`Not checked: ${missing.join(', ')}.`);
    }
    if (d.fixPlan[0]) parts.push(`First fix: ${stepText(d.fixPlan[0])}.`);
    if (d.estimate) {
        const e = d.estimate;
        parts.push(`Start-up estimate: full pull ${range(e.fullPullSeconds)}${e.calibratedFrom ? ' (measured)' : ''}, streaming ${range(e.streamingStartSeconds)}.`);
    }
    return parts.join(' ');
}

function stepText(s: FixStep): string {
    if (s.tool) return `${s.tool.name} ${JSON.stringify(s.tool.arguments)}`;
    return s.azCommand ?? s.kubectlCommand ?? s.explanation;
}

export function diagnosisReport(image: string, d: Diagnosis): string {
    const out: string[] = [`${image}: ${VERDICT_TEXT[d.verdict]}`, ''];
    if (d.findings.length === 0) out.push('No findings.');
    for (const f of d.findings) {
        out.push(`[${f.severity}] ${f.code}: ${f.title}`);
        out.push(`    seen: ${f.evidence}`);
        out.push(`    fix:  ${f.fix.explanation}`);
        if (f.fix.azCommand) out.push(`          ${f.fix.azCommand}`);
        if (f.fix.kubectlCommand) out.push(`          ${f.fix.kubectlCommand}`);
        out.push(`    source: ${f.source}`);
    }
    if (d.fixPlan.length) {
        out.push('', 'Fix plan:');
        for (const s of d.fixPlan) {
            out.push(`  ${s.step}. ${s.explanation}`);
            if (s.tool) out.push(`     tool: ${s.tool.name} ${JSON.stringify(s.tool.arguments)}`);
            if (s.azCommand) out.push(`     ${s.azCommand}`);
            if (s.kubectlCommand) out.push(`     ${s.kubectlCommand}`);
        }
    }
    out.push('', 'Checked:');
    for (const c of d.checked) out.push(`  ${c.layer.padEnd(10)} ${c.status.padEnd(11)} ${c.subject}${c.note ? ` (${c.note})` : ''}`);
    if (d.estimate) {
        const a = d.estimate.assumptions;
        out.push('', `Start-up estimate (${(d.estimate.sizeBytes / 1e9).toFixed(2)} GB):`, renderTimeline(d.estimate));
        out.push(
            `  assumptions: ${a.bandwidthMBps} MB/s network, ${a.extractMBps} MB/s extraction, ${(a.fractionReadAtStart * 100).toFixed(1)} % read at start, ${a.firstByteSeconds} s first byte` +
                (d.estimate.calibratedFrom ? `; full pull measured from ${d.estimate.calibratedFrom} (${a.measuredPullSeconds} s)` : '')
        );
    }
    return out.join('\n');
}
