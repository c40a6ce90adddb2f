#!/usr/bin/env node
// Runs every side-by-side benchmark in bench/ (or those whose file name contains argv[2]), leaves one JSON per
// bench in bench/results/, and rewrites bench/results/results.md from all of them.
// A bench module exports { title, order, run(): { data, summary, markdown } }; a bench whose subject does
// not exist yet (a tool not landed) reports that in its summary instead of a figure.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load, machine } from './lib/machine.mjs';
import { saveResult, writeMarkdown } from './lib/report.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
/** The commit measured, `+changes` when the tree differs from it outside bench/results/; null outside git. */
function commit() {
    try {
        const git = (...args) => execFileSync('git', args, { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
        const dirty = git('status', '--porcelain', '--', '.', ':!results').length > 0 || git('status', '--porcelain', '--', '../src', '../scripts', '../knowledge', '../package-lock.json').length > 0;
        return git('rev-parse', '--short', 'HEAD') + (dirty ? '+changes' : '');
    } catch {
        return null;
    }
}
const measured = commit();
let failed = 0;
for (const file of readdirSync(here).filter(f => f.endsWith('.bench.mjs')).sort()) {
    if (only && !file.includes(only)) continue;
    const bench = file.replace(/\.bench\.mjs$/, '');
    console.log(`\n## ${bench}`);
    const { default: def } = await import(new URL(file, import.meta.url).href);
    const loadAtStart = load();
    const date = new Date().toISOString();
    try {
        const { data, summary, markdown } = await def.run();
        saveResult({ bench, title: def.title, order: def.order, date, commit: measured, machine: machine(), loadAtStart, loadAtEnd: load(), summary, markdown, data });
        for (const t of markdown) console.log(`\n${t}`);
    } catch (e) {
        failed++;
        console.error(`${bench} failed: ${e?.stack ?? e}`);
    }
}
console.log(`\nwrote ${writeMarkdown()}`);
process.exitCode = failed ? 1 : 0;
