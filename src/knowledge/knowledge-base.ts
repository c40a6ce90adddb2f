/**
 * Loads the skill once per process: the SDK catalog (skills extension), every markdown page parsed and
 * validated; sections and the search index on first use. Everything a server instance needs later is
 * prepared here, because createServer() runs per connection or per request.
 */
import { join, resolve } from 'node:path';
import { SkillCatalog, SkillCatalogError, type SkillFiles } from '@modelcontextprotocol/server/ext/skills';
import { nodeSkillFiles } from '@modelcontextprotocol/server/ext/skills/node';
import { PACKAGE_ROOT } from '../package-root.js';
import { KnowledgeError, type KnowledgeProblem } from './knowledge-error.js';
import { prebuiltPages, recordPages, skillDigest, type PagesRecord } from './prebuilt-pages.js';
import { buildSectionIndex, type SectionIndex } from './search-index.js';
import { splitSections } from './sections.js';
import { analyzeQuery } from './terms.js';
import type { KnowledgeBase, KnowledgePage, KnowledgeSection } from './types.js';
import { validateLinks } from './validate-links.js';

export type { KnowledgeBase, KnowledgePage, KnowledgeSection, SearchHit } from './types.js';
export { KnowledgeError } from './knowledge-error.js';

/** knowledge/ ships at the package root (next to src/ and dist/, and beside a bundle): a folder of skill folders. */
export const DEFAULT_KNOWLEDGE_DIR = join(PACKAGE_ROOT, 'knowledge');

/**
 * @param dir a folder holding exactly one skill folder (`<dir>/<skill>/SKILL.md`).
 * @throws KnowledgeError listing every problem found (front matter, links, anchors, SDK catalog rules).
 */
export async function loadKnowledgeBase(dir: string = DEFAULT_KNOWLEDGE_DIR): Promise<KnowledgeBase> {
    return (await load(dir, true)).kb;
}

/** For the build (scripts/bundle.mjs): the skill parsed and validated in full, as the bundle may skip doing at start. */
export async function knowledgePagesRecord(dir: string = DEFAULT_KNOWLEDGE_DIR): Promise<PagesRecord> {
    const { kb, digest } = await load(dir, false);
    return recordPages(digest, kb.pages);
}

async function load(dir: string, usePrebuilt: boolean): Promise<{ kb: KnowledgeBase; digest: string }> {
    const root = resolve(dir);
    const files = snapshotFiles(nodeSkillFiles(root));
    const catalog = await loadCatalog(root, files);
    const loaded = readSkill(root, catalog, files.snapshot);
    const digest = skillDigest(loaded.skillName, loaded.uriBase, loaded.files, loaded.markdown);
    const prebuilt = usePrebuilt && loaded.problems.length === 0 ? prebuiltPages(digest, loaded.markdown) : undefined;
    return { kb: build(root, catalog, loaded, prebuilt ?? (await parseAndValidate(root, loaded))), digest };
}

/**
 * Keeps the bytes the catalog read while hashing. We validate and index exactly those bytes (no second read,
 * so no window in which an edit makes our pages differ from the digests skills/list publishes), and the
 * catalog serves them later too: what clients read is what start-up validated.
 */
function snapshotFiles(files: SkillFiles): SkillFiles & { snapshot: Map<string, Uint8Array> } {
    const snapshot = new Map<string, Uint8Array>();
    return {
        snapshot,
        list: dir => files.list(dir),
        read: async path => {
            const cached = snapshot.get(path);
            if (cached) return cached;
            const bytes = await files.read(path);
            snapshot.set(path, bytes);
            return bytes;
        }
    };
}

async function loadCatalog(root: string, files: SkillFiles): Promise<SkillCatalog> {
    try {
        // strict: a skill the SDK would merely skip with a warning (bad name, symlink, limits) fails loudly.
        return await SkillCatalog.load(files, { strict: true });
    } catch (e) {
        if (SkillCatalogError.isInstance(e)) {
            throw new KnowledgeError(root, e.problems.map(p => ({ file: p.path || '.', message: p.message })));
        }
        throw e;
    }
}

interface LoadedSkill {
    skillName: string;
    skillDir: string;
    /** Skill-relative path → file text, markdown files only. */
    markdown: Map<string, string>;
    files: Set<string>;
    uriBase: string;
    problems: KnowledgeProblem[];
}

function readSkill(root: string, catalog: SkillCatalog, snapshot: ReadonlyMap<string, Uint8Array>): LoadedSkill {
    const problems: KnowledgeProblem[] = [];
    const entries = catalog.entries;
    if (entries.length !== 1) {
        throw new KnowledgeError(root, [
            { file: '.', message: `expected exactly one skill folder, found ${entries.length} (${entries.map(e => e.frontmatter.name).join(', ') || 'none'})` }
        ]);
    }
    const entry = entries[0]!;
    const uriBase = entry.uri.slice(0, -'SKILL.md'.length); // skill://<path>/
    const skillPrefix = uriBase.slice('skill://'.length); // the skill folder, relative to root, with a trailing /
    const skillDir = join(root, ...skillPrefix.split('/').filter(Boolean));
    const resources = entry.resources === 'dynamic' ? [] : entry.resources;
    const files = new Set(resources.map(r => r.uri.slice(uriBase.length)));
    const markdown = new Map<string, string>();
    for (const r of resources) {
        const path = r.uri.slice(uriBase.length);
        if (!path.endsWith('.md')) continue;
        const bytes = snapshot.get(skillPrefix + path);
        if (!bytes) {
            problems.push({ file: path, message: 'was listed by the skill catalog but not read by it' });
            continue;
        }
        try {
            // ignoreBOM keeps a BOM in the text: what we serve must hash to the digest skills/list publishes.
            markdown.set(path, new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes));
        } catch {
            problems.push({ file: path, message: 'is not valid UTF-8' });
        }
    }
    return { skillName: entry.frontmatter.name, skillDir, markdown, files, uriBase, problems };
}

/** `pages`: as the build recorded them for these very bytes (prebuilt-pages.ts), or parsed and validated now. */
function build(root: string, catalog: SkillCatalog, loaded: LoadedSkill, pages: KnowledgePage[]): KnowledgeBase {

    const byPath = new Map(pages.map(p => [p.path, p]));
    // Sections and the index are built on first use: validation above is all start-up needs, and the
    // index (~70 ms) would otherwise delay every server's first answer, searched or not.
    let sections: KnowledgeSection[] | undefined;
    let index: SectionIndex | undefined;
    const sectionsOf = () => (sections ??= pages.flatMap(splitSections));
    return {
        skillName: loaded.skillName,
        dir: loaded.skillDir,
        skills: catalog,
        pages,
        page: path => byPath.get(path),
        get sections() {
            return sectionsOf();
        },
        search: (query, limit) => (index ??= buildSectionIndex(sectionsOf(), path => byPath.get(path)?.tags ?? [])).search(query, limit),
        queryTerms: query => analyzeQuery(query).filter(t => !t.synonym).map(t => t.term)
    };
}

async function parseAndValidate(root: string, loaded: LoadedSkill): Promise<KnowledgePage[]> {
    // Imported here: the front matter's YAML parser is needed only when the pages are not prebuilt.
    const { parsePage } = await import('./pages.js');
    const problems = [...loaded.problems];
    const pages: KnowledgePage[] = [];
    const bodies: { path: string; body: string; lineOffset: number }[] = [];
    for (const [path, raw] of [...loaded.markdown].sort(([a], [b]) => pageOrder(a) - pageOrder(b) || a.localeCompare(b))) {
        const { page, body } = parsePage(path, raw, loaded.uriBase + path, loaded.skillName, problems);
        if (page) pages.push(page);
        if (body !== undefined) bodies.push({ path, body, lineOffset: raw.split('\n').length - body.split('\n').length });
    }
    validateLinks(bodies, loaded.files, problems);
    if (problems.length > 0) throw new KnowledgeError(root, problems);
    return pages;
}

/** SKILL.md first, then the rest alphabetically: the order resources/list and prompts show. */
function pageOrder(path: string): number {
    return path === 'SKILL.md' ? 0 : 1;
}
