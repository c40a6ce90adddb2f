/**
 * Retrieval quality gate: every question of test/fixtures/search-eval.json must find its expected section
 * (page + exact heading) in the top 3. All questions run through kb.search (fast); a sample also runs
 * through the streaming_search_docs tool over MCP to prove the tool returns the same ranking.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app-context.js';
import type { SearchHit } from '../../src/knowledge/knowledge-base.js';
import { searchDocsTool } from '../../src/tools/knowledge/search-docs.js';
import { connectForTest, testApp } from '../helpers/mcp.js';
import { structuredOf } from '../helpers/structured.js';

interface EvalCase {
    question: string;
    page: string;
    heading: string;
}

const MIN_HIT_RATE = 0.95;
const TOP = 3;

const cases = JSON.parse(await readFile(new URL('../fixtures/search-eval.json', import.meta.url), 'utf8')) as EvalCase[];
const isHit = (c: EvalCase, hits: readonly SearchHit[]) => hits.slice(0, TOP).some(h => h.page === c.page && h.heading === c.heading);

let app: AppContext;
beforeAll(async () => {
    app = await testApp();
});

describe('search evaluation', () => {
    it('has a well-formed evaluation set whose expected sections exist', () => {
        expect(cases.length).toBeGreaterThan(0);
        const missing = cases.filter(c => !app.knowledge.sections.some(s => s.page === c.page && s.heading === c.heading));
        expect(missing.map(c => `${c.page} › ${c.heading}`)).toEqual([]);
    });

    it(`finds the expected section in the top ${TOP} for at least ${MIN_HIT_RATE * 100}% of the questions`, () => {
        const misses: string[] = [];
        let hits = 0;
        for (const c of cases) {
            const results = app.knowledge.search(c.question, 5);
            if (isHit(c, results)) hits++;
            else {
                const top = results.slice(0, TOP).map((h, i) => `      ${i + 1}. ${h.page} › ${h.heading} (${h.score})`);
                misses.push(`  "${c.question}"\n    expected ${c.page} › ${c.heading}\n${top.join('\n') || '      (no results)'}`);
            }
        }
        const rate = hits / cases.length;
        console.log(`search eval: top-${TOP} hit rate ${(rate * 100).toFixed(1)}% (${hits}/${cases.length})`);
        if (misses.length > 0) console.log(`search eval misses:\n${misses.join('\n')}`);
        expect(rate).toBeGreaterThanOrEqual(MIN_HIT_RATE);
    });
});

describe('search evaluation through the tool', () => {
    it('returns the same ranking over MCP as kb.search for a sample of the questions', async () => {
        const c = await connectForTest(app);
        const sample = cases.filter((_, i) => i % 10 === 0);
        for (const ec of sample) {
            const r = await c.client.callTool({ name: 'streaming_search_docs', arguments: { query: ec.question, limit: TOP } });
            expect(r.isError, ec.question).toBeFalsy();
            const viaTool = structuredOf(searchDocsTool, r).results;
            // Snippets may differ: the tool leaves out names of tools this server did not register.
            const rank = (hits: SearchHit[]) => hits.map(({ snippet: _s, ...h }) => h);
            expect(rank(viaTool)).toEqual(rank(app.knowledge.search(ec.question, TOP)));
        }
    });
});
