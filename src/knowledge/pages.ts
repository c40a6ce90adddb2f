/**
 * Turns one skill file into a KnowledgePage, collecting front-matter problems instead of throwing so the
 * loader can report every problem of every page at once.
 */
import { readFrontMatter, type FrontMatter } from './front-matter.js';
import type { KnowledgeProblem } from './knowledge-error.js';
import type { KnowledgePage } from './types.js';

export interface ParsedPage {
    /** Undefined when the front matter has problems (they are in `problems`). */
    page?: KnowledgePage;
    /** The markdown after the front matter; undefined only when the front matter is not YAML. */
    body?: string;
}

export function parsePage(path: string, raw: string, uri: string, skillName: string, problems: KnowledgeProblem[]): ParsedPage {
    let parsed: FrontMatter;
    try {
        parsed = readFrontMatter(raw);
    } catch (e) {
        problems.push({ file: path, message: `front matter is not valid YAML: ${(e as Error).message.split('\n')[0]}` });
        return {};
    }
    // A block that is a YAML scalar or list (not a mapping) has none of the keys: each is reported missing.
    const fm = (typeof parsed.data === 'object' && parsed.data !== null && !Array.isArray(parsed.data) ? parsed.data : {}) as Record<string, unknown>;
    const before = problems.length;
    const problem = (message: string) => problems.push({ file: path, message });
    if (!raw.startsWith('---')) problem('has no front matter (the file must start with a "---" line)');

    const title = requireString(fm, 'title', problem);
    const summary = requireString(fm, 'summary', problem);
    const tags = requireStringList(fm, 'tags', problem);
    const sources = requireStringList(fm, 'sources', problem);
    const reviewed = requireDate(fm, problem);
    if (path === 'SKILL.md') {
        const name = requireString(fm, 'name', problem);
        if (name !== undefined && name !== skillName) problem(`front matter "name" is "${name}" but must equal the folder name "${skillName}"`);
        requireString(fm, 'description', problem);
    }
    if (problems.length > before) return { body: parsed.content };
    return { page: { path, uri, title: title!, summary: summary!, tags: tags!, sources: sources!, reviewed: reviewed!, body: parsed.content, raw }, body: parsed.content };
}

type Report = (message: string) => void;

function requireString(fm: Record<string, unknown>, key: string, problem: Report): string | undefined {
    const v = fm[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    problem(v === undefined ? `front matter is missing "${key}"` : `front matter "${key}" must be a non-empty string`);
    return undefined;
}

function requireStringList(fm: Record<string, unknown>, key: string, problem: Report): string[] | undefined {
    const v = fm[key];
    if (Array.isArray(v) && v.length > 0 && v.every(s => typeof s === 'string' && s.trim() !== '')) return v.map(s => (s as string).trim());
    problem(v === undefined ? `front matter is missing "${key}"` : `front matter "${key}" must be a non-empty list of strings`);
    return undefined;
}

/** YAML turns an unquoted 2026-11-28 into a Date; a quoted one stays a string. Accept both, keep YYYY-MM-DD. */
function requireDate(fm: Record<string, unknown>, problem: Report): string | undefined {
    const v = fm.reviewed;
    if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v.trim()) && !Number.isNaN(Date.parse(v.trim()))) return v.trim();
    problem(v === undefined ? 'front matter is missing "reviewed"' : 'front matter "reviewed" must be a date (YYYY-MM-DD)');
    return undefined;
}
