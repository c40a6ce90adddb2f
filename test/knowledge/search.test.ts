import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/knowledge-base.js';
import { analyzeQuery } from '../../src/knowledge/terms.js';

let kb: KnowledgeBase;
beforeAll(async () => {
    kb = await loadKnowledgeBase();
});

const top = (q: string, n = 3) => kb.search(q, n).map(h => `${h.page} › ${h.heading}`);

describe('kb.search', () => {
    it('expands domain synonyms at query time', () => {
        expect(top('regcred', 1)[0]).toMatch(/imagePullSecrets/);
        expect(top('Graviton nodes', 1)[0]).toMatch(/^references\/requirements\.md › Arm64/);
        expect(top('BYOK registry', 1)[0]).toMatch(/Customer-managed keys/);
        const terms = analyzeQuery('turn off streaming');
        expect(terms.filter(t => !t.synonym).map(t => t.term)).toEqual(['turn', 'streaming']);
        expect(terms.filter(t => t.synonym).map(t => t.term)).toContain('disable');
        for (const t of terms.filter(t => t.synonym)) expect(t.weight).toBeLessThan(1);
    });

    it('drops stop words and strips plurals the same way on both sides', () => {
        expect(kb.queryTerms('What is the')).toEqual([]);
        expect(kb.search('what is the', 5)).toEqual([]);
        expect(kb.queryTerms('Pull Secrets')).toEqual(['pull', 'secret']);
    });

    it('tolerates typos in long words only', () => {
        expect(top('konvert imgae', 1)[0]).toMatch(/[Cc]onvert/);
        // short words are never fuzzy: "cmk" must not turn into "cvm" or the reverse
        expect(kb.search('cmk', 10).every(h => !/confidential/i.test(h.heading))).toBe(true);
    });

    it('returns unique sections, scores in 0-1 with 3 decimals, best first, at most limit', () => {
        const hits = kb.search('node pool streaming enable', 10);
        expect(hits).toHaveLength(10);
        expect(new Set(hits.map(h => `${h.page}#${h.heading}`)).size).toBe(10);
        expect(hits[0]!.score).toBe(1);
        for (let i = 0; i < hits.length; i++) {
            expect(hits[i]!.score).toBeGreaterThan(0);
            expect(hits[i]!.score).toBeLessThanOrEqual(1);
            expect(Math.round(hits[i]!.score * 1000) / 1000).toBe(hits[i]!.score);
            if (i > 0) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
        }
        expect(kb.search('node pool', 0)).toEqual([]);
    });

    it('makes plain-text snippets of about 200 characters around the matched words', () => {
        for (const q of ['exit code 152', 'UNSUPPORTED_PLATFORM', 'soft delete', 'az aks nodepool update']) {
            for (const h of kb.search(q, 5)) {
                expect(h.snippet.length).toBeGreaterThan(0);
                expect(h.snippet.length).toBeLessThanOrEqual(202);
                expect(h.snippet).not.toMatch(/\]\(|`|\*\*|\|\s*---|^#/);
            }
        }
        const hit = kb.search('ERR_ARTIFACT_STREAMING_DOWNLOAD', 1)[0]!;
        expect(hit.snippet).toContain('ERR_ARTIFACT_STREAMING_DOWNLOAD');
    });

    it('answers a repeated question as a fresh index does, whatever the caller did with the earlier answer', async () => {
        const fresh = await loadKnowledgeBase();
        const first = kb.search('premium sku', 5);
        first.pop();
        try {
            (first[0] as { snippet: string }).snippet = 'changed by a caller';
        } catch {
            // a kept answer may refuse changes; either way the next answer must be unaffected
        }
        expect(kb.search('premium sku', 5)).toEqual(fresh.search('premium sku', 5));
        expect(kb.search('Premium SKU', 5)).toEqual(fresh.search('premium sku', 5));
        expect(kb.search('premium sku', 2)).toEqual(fresh.search('premium sku', 5).slice(0, 2));
    });
});
