import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KNOWLEDGE_DIR, KnowledgeError, loadKnowledgeBase } from '../../src/knowledge/knowledge-base.js';
import { extractHeadings } from '../../src/knowledge/markdown.js';
import { connect, testApp } from '../helpers/mcp.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/knowledge/', import.meta.url));

async function loadError(dir: string): Promise<KnowledgeError> {
    const err = await loadKnowledgeBase(join(FIXTURES, dir)).catch(e => e);
    expect(err).toBeInstanceOf(KnowledgeError);
    return err as KnowledgeError;
}

describe('the real acr-artifact-streaming skill', () => {
    it('loads and validates SKILL.md and every reference page', async () => {
        const kb = await loadKnowledgeBase();
        expect(kb.skillName).toBe('acr-artifact-streaming');
        expect(kb.dir).toBe(join(DEFAULT_KNOWLEDGE_DIR, 'acr-artifact-streaming'));
        const onDisk = (await readdir(join(kb.dir, 'references'))).filter(f => f.endsWith('.md')).map(f => `references/${f}`);
        expect(kb.pages.map(p => p.path).sort()).toEqual(['SKILL.md', ...onDisk].sort());
        expect(kb.pages[0]!.path).toBe('SKILL.md');
        for (const page of kb.pages) {
            expect(page.uri).toBe(`skill://acr-artifact-streaming/${page.path}`);
            expect(page.title.length).toBeGreaterThan(0);
            expect(page.tags.length).toBeGreaterThan(0);
            expect(page.sources.length).toBeGreaterThan(0);
            expect(page.reviewed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
            expect(page.raw.startsWith('---')).toBe(true);
            expect(kb.page(page.path)).toBe(page);
        }
        expect(kb.skills.entries).toHaveLength(1);
    });

    it('cuts every page into sections at its ## and ### headings, keeping the exact heading text', async () => {
        const kb = await loadKnowledgeBase();
        for (const page of kb.pages) {
            const expected = extractHeadings(page.body).filter(h => h.level === 2 || h.level === 3).map(h => h.text);
            const got = kb.sections.filter(s => s.page === page.path && s.level > 1).map(s => s.heading);
            expect(got).toEqual(expected);
        }
        expect(new Set(kb.sections.map(s => s.id)).size).toBe(kb.sections.length);
    });
});

describe('fixture skills', () => {
    it('splits sections, ignores headings in code fences, numbers duplicate anchors and checks them', async () => {
        const kb = await loadKnowledgeBase(join(FIXTURES, 'valid'));
        expect(kb.skillName).toBe('demo-skill');
        expect(kb.sections.map(s => s.id)).toEqual([
            'SKILL.md#demo-skill',
            'SKILL.md#setup-the-thing',
            'SKILL.md#setup-the-thing-1',
            'references/guide.md#the-guide',
            'references/guide.md#pull-secrets-imagepullsecrets',
            'references/guide.md#kubernetes-version-125-or-126'
        ]);
        const guide = kb.sections.find(s => s.anchor === 'pull-secrets-imagepullsecrets')!;
        expect(guide.heading).toBe('Pull secrets (`imagePullSecrets`)');
        expect(guide.text).toBe('Pods with imagePullSecrets fall back to a normal pull. Back to the skill.');
        expect(kb.sections[2]!.markdown).toContain('Deep text stays in the section above');
        expect(kb.page('references/guide.md')!.reviewed).toBe('2026-11-28');
        expect(kb.page('SKILL.md')!.reviewed).toBe('2026-11-28'); // quoted in YAML: still a date
    });

    it('rejects a page with missing or malformed front matter, naming the file and the field', async () => {
        const err = await loadError('missing-field');
        expect(err.problems).toEqual([
            { file: 'references/guide.md', message: 'front matter is missing "sources"' },
            { file: 'references/guide.md', message: 'front matter "reviewed" must be a date (YYYY-MM-DD)' }
        ]);
        expect(err.message).toContain('references/guide.md: front matter is missing "sources"');
    });

    it('rejects broken links and anchors, naming the file, the line and the target', async () => {
        const err = await loadError('broken-link');
        expect(err.message).toContain('SKILL.md: line 13: link "references/missing-page.md" is broken: references/missing-page.md does not exist');
        expect(err.message).toContain('SKILL.md: line 14: link "references/guide.md#no-such-heading" is broken: references/guide.md has no heading with anchor #no-such-heading');
        expect(err.problems).toHaveLength(2);
    });

    it('fails loudly (strict catalog) when SKILL.md name does not match its folder', async () => {
        const err = await loadError('wrong-name');
        expect(err.message).toMatch(/other-folder\/SKILL\.md: .*demo-skill-renamed.*other-folder/);
    });

    it('fails when the folder holds no skill', async () => {
        const err = await loadKnowledgeBase(join(FIXTURES, 'valid', 'demo-skill', 'references')).catch(e => e);
        expect(err).toBeInstanceOf(KnowledgeError);
    });

    it('serves the bytes it validated at start-up, even when a file is edited afterwards', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'kb-'));
        try {
            await cp(join(FIXTURES, 'valid'), dir, { recursive: true });
            const app = await testApp({}, { knowledgeDir: dir });
            // SKILL.md is read through the SDK skills extension, which reads via the catalog's file adapter.
            await writeFile(join(dir, 'demo-skill', 'SKILL.md'), '---\nname: demo-skill\ndescription: edited\n---\nunvalidated text\n');
            const { client, close } = await connect(app);
            try {
                const read = await client.readResource({ uri: 'skill://demo-skill/SKILL.md' });
                expect(read.contents[0]).toMatchObject({ text: app.knowledge.page('SKILL.md')!.raw });
            } finally {
                await close();
            }
        } finally {
            await rm(dir, { recursive: true, force: true });
        }
    });
});
