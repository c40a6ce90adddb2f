/**
 * The little markdown knowledge the loader needs, without a markdown parser dependency: headings and
 * links outside code, GitHub-style heading slugs, and a plain-text rendering for snippets and indexing.
 */

export interface Heading {
    /** 1-6. */
    level: number;
    /** The heading text exactly as written (trimmed, closing #'s removed). */
    text: string;
    /** GitHub-style anchor, de-duplicated within the page (`-1`, `-2` …). */
    slug: string;
    /** 0-based line index in the body. */
    line: number;
}

export interface MarkdownLink {
    target: string;
    /** 1-based line number in the body, for error messages. */
    line: number;
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^\s{0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;

/** Calls `visit` for every body line that is not inside a fenced code block. */
function forEachProseLine(body: string, visit: (line: string, index: number) => void): void {
    let fence: string | undefined;
    body.split('\n').forEach((raw, index) => {
        const line = raw.replace(/\r$/, '');
        const m = FENCE.exec(line);
        if (m) {
            const marker = m[1]!;
            if (fence === undefined) fence = marker;
            else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
            return;
        }
        if (fence === undefined) visit(line, index);
    });
}

/** Heading text as GitHub renders it (no inline markup), which is what its slug is made from. */
export function headingPlainText(text: string): string {
    return text
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/`([^`]*)`/g, '$1')
        .replace(/(\*\*|__|\*)(.+?)\1/g, '$2')
        .replace(/<[^>]+>/g, '');
}

/** GitHub's anchor algorithm: lowercase, drop punctuation except `-` and `_`, spaces become `-`. */
export function slugify(text: string): string {
    return headingPlainText(text)
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
        .replace(/ /g, '-');
}

export function extractHeadings(body: string): Heading[] {
    const seen = new Map<string, number>();
    const headings: Heading[] = [];
    forEachProseLine(body, (line, index) => {
        const m = ATX_HEADING.exec(line);
        if (!m) return;
        const text = m[2]!.trim();
        const base = slugify(text);
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        headings.push({ level: m[1]!.length, text, slug: n === 0 ? base : `${base}-${n}`, line: index });
    });
    return headings;
}

/** Inline `[text](target)` and reference definitions `[id]: target`, outside code spans and fences. */
export function extractLinks(body: string): MarkdownLink[] {
    const links: MarkdownLink[] = [];
    forEachProseLine(body, (line, index) => {
        const prose = line.replace(/`[^`]*`/g, '');
        for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ target: m[1]!, line: index + 1 });
        const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(prose);
        if (def) links.push({ target: def[1]!, line: index + 1 });
    });
    return links;
}

/** True for links that leave the skill (web, mail, other schemes): those are not checked. */
export function isExternalLink(target: string): boolean {
    return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

/** Markdown to readable plain text: what a snippet shows and what the body field indexes. */
export function toPlainText(markdown: string): string {
    return markdown
        .split('\n')
        .filter(line => !/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line)) // table rule rows
        .filter(line => !FENCE.test(line))
        .map(line => (/^\s*\|/.test(line) ? tableRow(line) : line.replace(/^\s{0,3}#{1,6}\s+/, '').replace(/^\s*(?:[-*+]|\d+\.)\s+/, '').replace(/^\s*>\s?/, '')))
        .join('\n')
        .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/`([^`]*)`/g, '$1')
        .replace(/(\*\*|__)(.+?)\1/g, '$2')
        .replace(/(^|[\s(])\*(\S[^*]*?)\*(?=[\s).,;:!?]|$)/g, '$1$2')
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim();
}

/** `| a | b |` → `a; b.`: rows stay apart once whitespace is collapsed. */
function tableRow(line: string): string {
    const row = line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map(c => c.trim()).filter(Boolean).join('; ');
    return row === '' || /[.!?:;]$/.test(row) ? row : `${row}.`;
}
