// bench/results/: one JSON per bench (what it measured, on what, when, under which load) and results.md,
// regenerated from all of them, with the one summary table (every target and whether it was met) first.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RESULTS = fileURLToPath(new URL('../results/', import.meta.url));

export function saveResult(result) {
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(`${RESULTS}${result.bench}.json`, JSON.stringify(result, null, 2) + '\n');
}

export const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map(r => `| ${r.map(c => c ?? '—').join(' | ')} |`)].join('\n');

const mark = met => (met === true ? 'yes' : met === false ? '**no**' : 'n/a');

export function writeMarkdown() {
    const results = readdirSync(RESULTS)
        .filter(f => f.endsWith('.json'))
        .map(f => JSON.parse(readFileSync(`${RESULTS}${f}`, 'utf8')))
        .filter(r => r.summary)
        .sort((a, b) => (a.order ?? 99) - (b.order ?? 99) || a.bench.localeCompare(b.bench));
    const m = results[0]?.machine ?? {};
    const lines = [
        '# Benchmark results',
        '',
        '<!-- Written by `npm run bench` (bench/run.mjs) from the JSON files beside it. Do not edit by hand. -->',
        '',
        `Machine: ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}; harness on Node ${m.node}. Every bench states its own date and the`,
        'load average (1/5/15 min) when it started: the machine is shared, so absolute times are only worth as much as the',
        'load allows; the ratios compare variants run alternately in the same minutes.',
        '',
        table(
            ['bench', 'date (UTC)', 'commit', 'load at start', 'measure', 'ours', 'peer', 'ratio', 'target', 'met'],
            results.flatMap(r => r.summary.map(s => [r.bench, r.date.slice(0, 16).replace('T', ' '), r.commit ?? null, r.loadAtStart.join(' '), s.measure, s.ours, s.peer, s.ratio, s.target, mark(s.met)]))
        ),
        ''
    ];
    for (const r of results) {
        lines.push(`## ${r.title}`, '', `\`node bench/run.mjs ${r.bench}\` · ${r.date} · load ${r.loadAtStart.join(' ')} → ${r.loadAtEnd.join(' ')}`, '');
        for (const t of r.markdown ?? []) lines.push(t, '');
    }
    writeFileSync(`${RESULTS}results.md`, lines.join('\n'));
    return `${RESULTS}results.md`;
}
