/**
 * The ~200 characters of a section that best show why it matched: the window holding the most distinct
 * matched words, started at a sentence or word boundary. Plain text, so no markdown noise reaches the user.
 */
import { stem, tokensWithOffsets, type Token } from './terms.js';

export const SNIPPET_LENGTH = 200;
const LEAD = 40;

/** `tokens`: the text's tokensWithOffsets(), when the caller keeps them (the search index does, per section). */
export function makeSnippet(text: string, matched: ReadonlySet<string>, heading = '', tokens?: () => readonly Token[]): string {
    if (text === '') return heading; // a heading with no text of its own: the heading is all there is to show
    if (text.length <= SNIPPET_LENGTH) return text;
    const stems = new Set([...matched].map(stem));
    const hits = (tokens ? tokens() : tokensWithOffsets(text)).filter(t => stems.has(t.term));
    let start = 0;
    let best = -1;
    for (const anchor of hits) {
        const from = Math.max(0, anchor.start - LEAD);
        const inWindow = hits.filter(h => h.start >= from && h.end <= from + SNIPPET_LENGTH);
        const score = new Set(inWindow.map(h => h.term)).size * 100 + inWindow.length - from / 100_000;
        if (score > best) {
            best = score;
            start = from;
        }
    }
    start = snapStart(text, start);
    let end = Math.min(text.length, start + SNIPPET_LENGTH);
    if (end < text.length) {
        const space = text.lastIndexOf(' ', end);
        if (space > start + SNIPPET_LENGTH / 2) end = space;
    }
    const body = text.slice(start, end).trim().replace(/[,;:]$/, '');
    return (start > 0 ? '…' : '') + body + (end < text.length ? '…' : '');
}

/** Prefer a sentence start shortly before the window, else the next word boundary. */
function snapStart(text: string, start: number): number {
    if (start === 0) return 0;
    const sentence = text.lastIndexOf('. ', start);
    if (sentence >= 0 && start - sentence < LEAD) return sentence + 2;
    const space = text.indexOf(' ', start);
    return space >= 0 && space - start < 20 ? space + 1 : start;
}
