/**
 * The pages as the build parsed and validated them, for a start-up that reads the very same files. Parsing
 * every page's front matter and checking every link was ≈15 ms of each cold start (bench/README.md); the
 * outcome depends only on the skill's bytes, so `npm run build` (scripts/bundle.mjs) records it with a
 * SHA-256 digest of those bytes and embeds it in the bundle. At start the digest of what the catalog read is
 * compared: equal bytes give the recorded pages without parsing again; any other bytes (an edited page, a
 * run from source as in the tests) are parsed and validated in full, as always.
 */
import { createHash } from 'node:crypto';
import type { KnowledgePage } from './types.js';

/** What a page is besides its bytes: the front matter fields and where the body starts. */
export type PageRecord = Omit<KnowledgePage, 'raw' | 'body'> & { bodyOffset: number };

export interface PagesRecord {
    digest: string;
    pages: PageRecord[];
}

/** Set by the bundler (esbuild `define`) to the JSON text of a PagesRecord; absent from source. */
declare const __ACRSM_KNOWLEDGE_PAGES__: string | undefined;

/** Everything the parse and the link check read: the skill's name, its URI base, its file list and markdown. */
export function skillDigest(skillName: string, uriBase: string, files: ReadonlySet<string>, markdown: ReadonlyMap<string, string>): string {
    const hash = createHash('sha256');
    hash.update(JSON.stringify([skillName, uriBase, [...files].sort()]));
    for (const [path, raw] of [...markdown].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`\0${path}\0${raw.length}\0`).update(raw);
    return hash.digest('hex');
}

export function recordPages(digest: string, pages: readonly KnowledgePage[]): PagesRecord {
    return { digest, pages: pages.map(({ raw, body, ...rest }) => ({ ...rest, bodyOffset: raw.length - body.length })) };
}

/** The recorded pages, in their order, when the build saw exactly these bytes; otherwise undefined. */
export function prebuiltPages(digest: string, markdown: ReadonlyMap<string, string>): KnowledgePage[] | undefined {
    if (typeof __ACRSM_KNOWLEDGE_PAGES__ !== 'string') return undefined;
    const record = JSON.parse(__ACRSM_KNOWLEDGE_PAGES__) as PagesRecord;
    if (record.digest !== digest) return undefined;
    const pages: KnowledgePage[] = [];
    for (const { bodyOffset, ...meta } of record.pages) {
        const raw = markdown.get(meta.path);
        if (raw === undefined) return undefined;
        pages.push({ ...meta, tags: [...meta.tags], sources: [...meta.sources], body: raw.slice(bodyOffset), raw });
    }
    return pages;
}
