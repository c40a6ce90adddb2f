/**
 * Every relative link of the skill must land on a file of the skill, and every `#anchor` on a heading of
 * its target: assistants follow these links with resources/read, so a dead one is a dead end for them.
 */
import { posix } from 'node:path';
import type { KnowledgeProblem } from './knowledge-error.js';
import { extractHeadings, extractLinks, isExternalLink } from './markdown.js';

/**
 * `pages`: every markdown file of the skill, whether or not its front matter is valid; `lineOffset` turns
 * body line numbers into file line numbers for the messages.
 */
export function validateLinks(pages: readonly { path: string; body: string; lineOffset: number }[], files: ReadonlySet<string>, problems: KnowledgeProblem[]): void {
    const anchors = new Map(pages.map(p => [p.path, new Set(extractHeadings(p.body).map(h => h.slug))]));
    for (const page of pages) {
        for (const { target, line } of extractLinks(page.body)) {
            if (isExternalLink(target)) continue;
            const hash = target.indexOf('#');
            const pathPart = hash >= 0 ? target.slice(0, hash) : target;
            const anchor = hash >= 0 ? decode(target.slice(hash + 1)) : undefined;
            const where = `line ${line + page.lineOffset}: link "${target}"`;
            let resolved = page.path;
            if (pathPart !== '') {
                if (pathPart.startsWith('/')) {
                    problems.push({ file: page.path, message: `${where} is absolute; use a path relative to this file` });
                    continue;
                }
                resolved = posix.normalize(posix.join(posix.dirname(page.path), decode(pathPart.split('?')[0]!)));
                if (resolved.startsWith('../') || resolved === '..') {
                    problems.push({ file: page.path, message: `${where} points outside the skill` });
                    continue;
                }
                if (!files.has(resolved)) {
                    problems.push({ file: page.path, message: `${where} is broken: ${resolved} does not exist in the skill` });
                    continue;
                }
            }
            if (anchor === undefined || anchor === '') continue;
            const targetAnchors = anchors.get(resolved);
            if (targetAnchors === undefined) continue; // not a markdown page: anchors are not ours to check
            if (!targetAnchors.has(anchor)) {
                problems.push({ file: page.path, message: `${where} is broken: ${resolved} has no heading with anchor #${anchor}` });
            }
        }
    }
}

function decode(s: string): string {
    try {
        return decodeURIComponent(s);
    } catch {
        return s;
    }
}
