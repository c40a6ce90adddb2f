/**
 * Splits a page into the sections search returns: one per `##`/`###` heading, plus the opening part
 * before the first of them (named after the page's `#` heading, or its title when there is none).
 * Deeper headings (`####`…) stay inside their section: they are too small to stand alone.
 */
import { extractHeadings, slugify, toPlainText } from './markdown.js';
import type { KnowledgePage, KnowledgeSection } from './types.js';

export function splitSections(page: KnowledgePage): KnowledgeSection[] {
    const lines = page.body.split('\n');
    const headings = extractHeadings(page.body);
    const h1 = headings.find(h => h.level === 1);
    const cuts = headings.filter(h => h.level === 2 || h.level === 3);
    const sections: KnowledgeSection[] = [];

    const push = (heading: string, level: number, anchor: string, from: number, to: number) => {
        const markdown = lines.slice(from, to).join('\n').trim();
        const text = toPlainText(markdown);
        // An empty opening part (page starts straight with a ## heading) is not worth a search result.
        if (level === 1 && text === '') return;
        sections.push({ id: `${page.path}#${anchor}`, page: page.path, uri: page.uri, pageTitle: page.title, heading, level, anchor, markdown, text });
    };

    const firstCut = cuts[0]?.line ?? lines.length;
    const openingFrom = h1 && h1.line < firstCut ? h1.line + 1 : 0;
    push(h1 && h1.line < firstCut ? h1.text : page.title, 1, h1 && h1.line < firstCut ? h1.slug : slugify(page.title), openingFrom, firstCut);
    cuts.forEach((h, i) => push(h.text, h.level, h.slug, h.line + 1, cuts[i + 1]?.line ?? lines.length));
    return sections;
}
