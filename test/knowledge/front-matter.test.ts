/**
 * readFrontMatter replaced gray-matter (which loads js-yaml 3 and, through it, a JavaScript parser at every
 * start). It must split and read every page exactly as gray-matter did: the shipped skill, the fixtures, and
 * the edge cases of its delimiter rules.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { readFrontMatter } from '../../src/knowledge/front-matter.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function markdownFiles(dir: string): string[] {
    return readdirSync(dir).flatMap(name => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith('.md') ? [path] : [];
    });
}

const grayMatter = (raw: string) => {
    const f = matter(raw, {});
    return { data: f.data, content: f.content };
};

describe('readFrontMatter reads pages as gray-matter did', () => {
    const files = [...markdownFiles(join(ROOT, 'knowledge')), ...markdownFiles(join(ROOT, 'test/fixtures/knowledge'))];

    it('finds the pages to compare', () => {
        expect(files.length).toBeGreaterThan(10);
    });

    it.each(files.map(f => [f.slice(ROOT.length), f]))('%s', (_, file) => {
        const raw = readFileSync(file, 'utf8');
        expect(readFrontMatter(raw)).toEqual(grayMatter(raw));
    });

    it.each([
        ['no front matter', '# Title\n\ntext\n'],
        ['a thematic break, not a delimiter', '----\ntitle: x\n----\nbody\n'],
        ['an empty block', '---\n---\nbody\n'],
        ['only comments', '---\n# a comment\n---\nbody\n'],
        ['no closing delimiter', '---\ntitle: x\n'],
        ['CRLF line ends', '---\r\ntitle: x\r\n---\r\nbody\r\n'],
        ['a BOM', '\ufeff---\ntitle: x\n---\nbody\n'],
        ['a language name', '---yaml\ntitle: x\n---\nbody\n'],
        ['an unquoted date', '---\nreviewed: 2026-11-28\n---\n'],
        ['a scalar block', '---\njust text\n---\nbody\n']
    ])('%s', (_, raw) => {
        expect(readFrontMatter(raw)).toEqual(grayMatter(raw));
    });

    it('refuses what gray-matter refused: invalid YAML', () => {
        const raw = '---\ntitle: [unclosed\n---\n';
        expect(() => grayMatter(raw)).toThrow();
        expect(() => readFrontMatter(raw)).toThrow();
    });

    it('has no JavaScript types: a !!js/function tag is an error, not code', () => {
        expect(() => readFrontMatter('---\nx: !!js/function "function () { return 1 }"\n---\n')).toThrow(/unknown tag/);
    });
});
