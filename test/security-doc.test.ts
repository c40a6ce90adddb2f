/**
 * docs/security.md cites, for each threat, the tests that cover it (`file` › "title" › "title"): each file
 * must exist and hold each title, so the threat model cannot point at a test that was renamed or removed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

const doc = readFileSync(join(ROOT, 'docs/security.md'), 'utf8');
/** Cited test titles by file. */
const cited = new Map<string, Set<string>>();
for (const m of doc.matchAll(/`(test\/[\w/.-]+\.test\.ts)`((?:\s*›\s*"[^"]+")*)/g)) {
    const titles = cited.get(m[1]!) ?? new Set<string>();
    for (const t of (m[2] ?? '').matchAll(/"([^"]+)"/g)) titles.add(t[1]!);
    cited.set(m[1]!, titles);
}

describe('the threat model in docs/security.md', () => {
    it('cites tests for every threat', () => {
        const table = doc.slice(doc.indexOf('## Threat model'), doc.indexOf('\n## ', doc.indexOf('## Threat model') + 1));
        const rows = table.split('\n').filter(l => l.startsWith('| **'));
        expect(rows.length).toBeGreaterThanOrEqual(7);
        for (const row of rows) expect(row, row.slice(0, 60)).toMatch(/`test\/[\w/.-]+\.test\.ts` › "/);
    });

    it.each([...cited])('%s holds the cited tests', (file, titles) => {
        expect(existsSync(join(ROOT, file)), file).toBe(true);
        const source = readFileSync(join(ROOT, file), 'utf8');
        for (const title of titles) expect(source, `${file} has no test titled "${title}"`).toContain(title);
    });
});
