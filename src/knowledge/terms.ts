/**
 * One text analysis for indexing and querying (tokens, stop words, a light plural stemmer), plus the
 * query side: meaningful terms and their synonym expansions with weights.
 */
import { SYNONYM_GROUPS } from './synonyms.js';

/** The same split minisearch uses by default: whitespace and punctuation. */
const SPLIT = /[\n\r\p{Z}\p{P}]+/u;
const TOKEN = /[^\n\r\p{Z}\p{P}]+/gu;

const STOP_WORDS = new Set(
    (
        'a about after again all also am an and any are as at be because been before being both but by can could did do does doing done ' +
        'during each either few for from get gets got had has have having he her here hers him his how i if in into is it its itself just ' +
        'let me might more most much must my myself no nor not now of off on once only or other our ours out over own per please same ' +
        'shall she should so some such than that the their theirs them then there these they this those through to too under until up ' +
        'us very want was we were what when where whether which while who whom why will with would yes yet you your yours ' +
        // question padding that says nothing about the topic
        'anyone anything something someone way ways really actually tell know need needs needed use using used work works'
    ).split(' ')
);

/** Words that are in nearly every section of this skill: they still count, just much less. */
const WEAK_TERMS = new Set(['artifact', 'streaming', 'stream', 'acr', 'azure', 'container', 'image', 'registry']);
export const SYNONYM_WEIGHT = 0.45;
const WEAK_WEIGHT = 0.3;

export function tokenize(text: string): string[] {
    return text.split(SPLIT).filter(Boolean);
}

/** Lower-cases and strips plurals so "secrets" finds "secret"; the same function runs on pages and queries. */
export function stem(token: string): string {
    const t = token.toLowerCase();
    if (t.length > 4 && t.endsWith('ies')) return t.slice(0, -3) + 'y';
    if (t.length > 3 && t.endsWith('s') && !/(ss|us|is)$/.test(t)) return t.slice(0, -1);
    return t;
}

export function isStopWord(token: string): boolean {
    return STOP_WORDS.has(token.toLowerCase());
}

/** minisearch processTerm: null drops the term. */
export function processTerm(token: string): string | null {
    return isStopWord(token) ? null : stem(token);
}

export interface Token {
    term: string;
    start: number;
    end: number;
}

/** Every token of a text with its offset, for snippet windows. */
export function tokensWithOffsets(text: string): Token[] {
    return [...text.matchAll(TOKEN)].map(m => ({ term: stem(m[0]), start: m.index, end: m.index + m[0].length }));
}

export interface QueryTerm {
    term: string;
    weight: number;
    /** From the synonym table rather than the user's words. */
    synonym: boolean;
}

const GROUPS = SYNONYM_GROUPS.map(group => group.map(phrase => tokenize(phrase).map(stem)));

/** The user's meaningful terms, then synonym terms of every group the query touches. */
export function analyzeQuery(query: string): QueryTerm[] {
    const raw = tokenize(query);
    const stems = raw.map(stem);
    const out = new Map<string, QueryTerm>();
    for (const token of raw) {
        const term = processTerm(token);
        if (term && !out.has(term)) out.set(term, { term, weight: WEAK_TERMS.has(term) ? WEAK_WEIGHT : 1, synonym: false });
    }
    if (out.size === 0) return [];
    for (const group of GROUPS) {
        if (!group.some(phrase => containsPhrase(stems, phrase))) continue;
        const added = [...new Set(group.flat())].filter(term => !isStopWord(term) && !out.has(term));
        // A group's words share one budget: a six-word group must not outweigh the user's own words.
        const share = SYNONYM_WEIGHT / Math.sqrt(Math.max(1, added.length));
        for (const term of added) out.set(term, { term, weight: share * (WEAK_TERMS.has(term) ? WEAK_WEIGHT : 1), synonym: true });
    }
    return [...out.values()];
}

function containsPhrase(tokens: readonly string[], phrase: readonly string[]): boolean {
    if (phrase.length === 0) return false;
    outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
        for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
        return true;
    }
    return false;
}
