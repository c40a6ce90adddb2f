/**
 * Full-text search over sections, built once at load. Fields are boosted heading > page title/tags > body,
 * so a section *about* the question beats one that merely mentions its words. Prefix matching helps with
 * word forms ("convert" → "converted"); fuzzy matching absorbs typos, but only on longer words where one
 * edit does not turn one domain term into another ("acr"/"aks", "cmk"/"cvm").
 */
import MiniSearch from 'minisearch';
import { makeSnippet } from './snippet.js';
import { analyzeQuery, processTerm, tokenize, tokensWithOffsets, type QueryTerm, type Token } from './terms.js';
import { headingPlainText } from './markdown.js';
import type { KnowledgeSection, SearchHit } from './types.js';

interface IndexedSection {
    id: string;
    heading: string;
    title: string;
    tags: string;
    body: string;
}

export const FIELD_BOOSTS = { heading: 3, title: 1.3, tags: 1.3, body: 1 } as const;
const FUZZY_MIN_LENGTH = 5;
/**
 * Answers kept per process, most recently used first out last. The index never changes after load and a
 * result depends only on the analysed query and the limit (public skill text, the same for every caller),
 * so a repeated question (the same words from another user or conversation) is a lookup instead of a fuzzy
 * and prefix search (~0.2 ms). Bounded: 256 answers of at most 10 short hits each.
 */
const CACHED_ANSWERS = 256;
const PREFIX_MIN_LENGTH = 3;

export interface SectionIndex {
    search(query: string, limit: number): SearchHit[];
}

export function buildSectionIndex(sections: readonly KnowledgeSection[], tagsOf: (page: string) => readonly string[]): SectionIndex {
    const byId = new Map(sections.map(s => [s.id, s]));
    // A section's tokens for its snippet, worked out the first time it is a hit, not on every search.
    const tokens = new Map<string, readonly Token[]>();
    const tokensOf = (s: KnowledgeSection) => () => {
        let t = tokens.get(s.id);
        if (!t) tokens.set(s.id, (t = tokensWithOffsets(s.text)));
        return t;
    };
    const index = new MiniSearch<IndexedSection>({
        fields: ['heading', 'title', 'tags', 'body'],
        tokenize,
        processTerm
    });
    index.addAll(
        sections.map(s => ({ id: s.id, heading: headingPlainText(s.heading), title: s.pageTitle, tags: tagsOf(s.page).join(' \n '), body: s.text }))
    );

    const answers = new Map<string, readonly SearchHit[]>();

    function searchTerms(terms: QueryTerm[], limit: number): SearchHit[] {
        const weights = new Map(terms.map(t => [t.term, t.weight]));
        const ownWords = new Set(terms.filter(t => !t.synonym).map(t => t.term));
        const results = index.search(terms.map(t => t.term).join(' '), {
            // The terms are already analysed: split on the spaces we joined with, keep them as they are.
            tokenize: q => q.split(' '),
            processTerm: t => t,
            boost: { ...FIELD_BOOSTS },
            boostTerm: term => weights.get(term) ?? 1,
            prefix: term => term.length >= PREFIX_MIN_LENGTH,
            // Synonyms come from our table, spelled right: fuzzy matching them only costs time.
            fuzzy: term => (ownWords.has(term) && term.length >= FUZZY_MIN_LENGTH ? 0.2 : false),
            maxFuzzy: 2,
            weights: { prefix: 0.4, fuzzy: 0.3 },
            combineWith: 'OR'
        });
        const top = results[0]?.score ?? 0;
        if (top <= 0) return [];
        return results.slice(0, limit).map(r => {
            const s = byId.get(r.id as string)!;
            return {
                uri: s.uri,
                page: s.page,
                heading: s.heading,
                snippet: makeSnippet(s.text, new Set(r.terms), s.heading, tokensOf(s)),
                score: Math.round((r.score / top) * 1000) / 1000
            };
        });
    }

    return {
        search(query, limit) {
            const terms = analyzeQuery(query);
            if (terms.length === 0 || limit <= 0) return [];
            const key = `${limit} ${terms.map(t => `${t.term}:${t.weight}${t.synonym ? ':s' : ''}`).join(' ')}`;
            let hits = answers.get(key);
            if (hits) {
                answers.delete(key); // re-inserted below: Map order is the recency order
            } else {
                hits = Object.freeze(searchTerms(terms, limit).map(h => Object.freeze(h)));
                if (answers.size >= CACHED_ANSWERS) answers.delete(answers.keys().next().value!);
            }
            answers.set(key, hits);
            return [...hits];
        }
    };
}
