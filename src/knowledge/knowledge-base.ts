/**
 * Loads the skill once per process: the SDK catalog (skills extension), every markdown page parsed and
 * validated, the pages cut into sections, and the search index. Everything a server instance needs later
 * is precomputed here, because createServer() runs per connection or per request.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SkillCatalogError, type SkillCatalog } from '@modelcontextprotocol/server/ext/skills';
import { loadSkills } from '@modelcontextprotocol/server/ext/skills/node';
import { PACKAGE_ROOT } from '../package-root.js';
import { KnowledgeError, type KnowledgeProblem } from './knowledge-error.js';
import { parsePage } from './pages.js';
import { buildSectionIndex } from './search-index.js';
import { splitSections } from './sections.js';
import { analyzeQuery } from './terms.js';
import type { KnowledgeBase, KnowledgePage } from './types.js';
import { validateLinks } from './validate-links.js';

export type { KnowledgeBase, KnowledgePage, KnowledgeSection, SearchHit } from './types.js';
export { KnowledgeError } from './knowledge-error.js';

/** knowledge/ ships at the package root (next to src/ and dist/, and beside a bundle): a folder of skill folders. */
export const DEFAULT_KNOWLEDGE_DIR = join(PACKAGE_ROOT, 'knowledge');

/** Files edited while we load (content authors at work) can make our copy differ from the catalog's digests. */
const LOAD_ATTEMPTS = 3;

/**
 * @param dir a folder holding exactly one skill folder (`<dir>/<skill>/SKILL.md`).
 * @throws KnowledgeError listing every problem found (front matter, links, anchors, SDK catalog rules).
 */
export async function loadKnowledgeBase(dir: string = DEFAULT_KNOWLEDGE_DIR): Promise<KnowledgeBase> {
    const root = resolve(dir);
    for (let attempt = 1; ; attempt++) {
        const catalog = await loadCatalog(root);
        const loaded = await readSkill(root, catalog);
        if (loaded.consistent || attempt >= LOAD_ATTEMPTS) return build(root, catalog, loaded);
    }
}

async function loadCatalog(root: string): Promise<SkillCatalog> {
    try {
        // strict: a skill the SDK would merely skip with a warning (bad name, symlink, limits) fails loudly.
        return await loadSkills(root, { strict: true });
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
    consistent: boolean;
}

async function readSkill(root: string, catalog: SkillCatalog): Promise<LoadedSkill> {
    const problems: KnowledgeProblem[] = [];
    const entries = catalog.entries;
    if (entries.length !== 1) {
        throw new KnowledgeError(root, [
            { file: '.', message: `expected exactly one skill folder, found ${entries.length} (${entries.map(e => e.frontmatter.name).join(', ') || 'none'})` }
        ]);
    }
    const entry = entries[0]!;
    const uriBase = entry.uri.slice(0, -'SKILL.md'.length); // skill://<path>/
    const skillDir = join(root, ...uriBase.slice('skill://'.length).split('/').filter(Boolean));
    const resources = entry.resources === 'dynamic' ? [] : entry.resources;
    const files = new Set(resources.map(r => r.uri.slice(uriBase.length)));
    const markdown = new Map<string, string>();
    let consistent = true;
    for (const r of resources) {
        const path = r.uri.slice(uriBase.length);
        if (!path.endsWith('.md')) continue;
        const bytes = await readFile(join(skillDir, ...path.split('/')));
        if (`sha256:${createHash('sha256').update(bytes).digest('hex')}` !== r.digest) consistent = false;
        try {
            // ignoreBOM keeps a BOM in the text: what we serve must hash to the digest skills/list publishes.
            markdown.set(path, new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes));
        } catch {
            problems.push({ file: path, message: 'is not valid UTF-8' });
        }
    }
    if (!consistent) problems.unshift({ file: '.', message: 'files changed while the skill was loading; start again once edits are finished' });
    return { skillName: entry.frontmatter.name, skillDir, markdown, files, uriBase, problems, consistent };
}

function build(root: string, catalog: SkillCatalog, loaded: LoadedSkill): KnowledgeBase {
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

    const byPath = new Map(pages.map(p => [p.path, p]));
    const sections = pages.flatMap(splitSections);
    const index = buildSectionIndex(sections, path => byPath.get(path)?.tags ?? []);
    return {
        skillName: loaded.skillName,
        dir: loaded.skillDir,
        skills: catalog,
        pages,
        page: path => byPath.get(path),
        sections,
        search: (query, limit) => index.search(query, limit),
        queryTerms: query => analyzeQuery(query).filter(t => !t.synonym).map(t => t.term)
    };
}

/** SKILL.md first, then the rest alphabetically: the order resources/list and prompts show. */
function pageOrder(path: string): number {
    return path === 'SKILL.md' ? 0 : 1;
}
