/**
 * Splits a skill file into its YAML front matter and markdown body exactly as gray-matter 4 does (an opening
 * `---` line, an optional language name after it, the block up to the next `\n---`, one line break after that
 * dropped; a leading BOM ignored), and reads the block with js-yaml 4. gray-matter pulled in js-yaml 3, which
 * loads a JavaScript parser (esprima) at import for its `!!js/function` type: about 20 ms of every start-up
 * for a type no page may use (bench/results/results.md, cold start). js-yaml 4's default schema has no
 * JavaScript types at all.
 */
import { load } from 'js-yaml';

const OPEN = '---';
const CLOSE = '\n---';

export interface FrontMatter {
    /** The parsed YAML: any value (a page's checks expect a mapping); `{}` when there is no block. */
    data: unknown;
    /** The markdown after the front matter (the whole text when there is none). */
    content: string;
}

/** @throws the YAML parser's error when the block is not valid YAML, or an Error for a language other than YAML. */
export function readFrontMatter(raw: string): FrontMatter {
    const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    // `----` is a thematic break, not a front matter delimiter.
    if (!text.startsWith(OPEN) || text.charAt(OPEN.length) === OPEN.charAt(OPEN.length - 1)) return { data: {}, content: text };
    let rest = text.slice(OPEN.length);
    const language = rest.slice(0, rest.search(/\r?\n/));
    if (language.trim() !== '') {
        if (language.trim() !== 'yaml') throw new Error(`the front matter language "${language.trim()}" is not supported (only YAML)`);
        rest = rest.slice(language.length);
    }
    const close = rest.indexOf(CLOSE);
    const block = close === -1 ? rest : rest.slice(0, close);
    let content = close === -1 ? '' : rest.slice(close + CLOSE.length);
    if (content.startsWith('\r')) content = content.slice(1);
    if (content.startsWith('\n')) content = content.slice(1);
    const data = block.replace(/^\s*#[^\n]+/gm, '').trim() === '' ? {} : load(block);
    return { data, content };
}
