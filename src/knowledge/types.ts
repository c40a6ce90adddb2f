/** The shapes the rest of the server sees of the skill: pages, their sections, and search hits. */
import type { SkillCatalog } from '@modelcontextprotocol/server/ext/skills';

export interface KnowledgePage {
    /** Skill-relative path: `SKILL.md` or `references/<name>.md`. */
    path: string;
    /** `skill://<skill>/<path>`: readable with resources/read. */
    uri: string;
    title: string;
    summary: string;
    tags: string[];
    sources: string[];
    /** ISO date (YYYY-MM-DD) of the last review. */
    reviewed: string;
    /** Markdown after the front matter. */
    body: string;
    /** The whole file, front matter included, exactly as served. */
    raw: string;
}

export interface KnowledgeSection {
    /** `<page path>#<anchor>`, unique across the skill. */
    id: string;
    page: string;
    uri: string;
    pageTitle: string;
    /** Exact heading text; the part before the first `##`/`###` carries the page's `#` heading (or title). */
    heading: string;
    /** 1 for the page's opening section, else 2 or 3. */
    level: number;
    anchor: string;
    /** Markdown of the section, heading line excluded (deeper headings included). */
    markdown: string;
    /** Plain text of `markdown`, for indexing and snippets. */
    text: string;
}

export interface SearchHit {
    uri: string;
    page: string;
    heading: string;
    snippet: string;
    /** 0-1, relative to the best hit of the same query (rounded to 3 decimals). */
    score: number;
}

export interface KnowledgeBase {
    skillName: string;
    /** Absolute path of the skill folder (the one holding SKILL.md). */
    dir: string;
    /** The SDK catalog: attach it to each server for skills/list, skills/get and skill:// reads. */
    skills: SkillCatalog;
    pages: KnowledgePage[];
    page(path: string): KnowledgePage | undefined;
    sections: KnowledgeSection[];
    /** Best sections for the query, at most `limit`; `[]` when nothing matches or the query has no meaningful term. */
    search(query: string, limit: number): SearchHit[];
    /** The query's meaningful terms (stop words removed): empty means the query cannot match anything. */
    queryTerms(query: string): string[];
}
