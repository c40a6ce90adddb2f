/**
 * streaming_search_docs: full-text search over the acr-artifact-streaming skill. Each result names a
 * section (page + exact heading) and links the page, so the assistant can read it whole and cite it.
 */
import * as z from 'zod/v4';
import { defineTool } from '../define-tool.js';
import { oneLine } from '../../log.js';
import { ToolError } from '../../tool-error.js';

export const SEARCH_LIMIT_MAX = 10;

/** This server's tool names (`acr_inspect_image`, …) as the knowledge pages write them, with or without backticks. */
const TOOL_NAME = /`?\b(?:acr|aks|streaming)_[a-z]+(?:_[a-z]+)+\b`?/g;

/** Snippets are page text: a tool this server did not register (--read-only, --toolsets) is not named. */
export function withoutUnregisteredTools(text: string, tools: ReadonlySet<string>): string {
    return text.replace(TOOL_NAME, m => (tools.has(m.replace(/`/g, '')) ? m : 'a tool not enabled on this server'));
}
export const SEARCH_LIMIT_DEFAULT = 5;

const input = z.object({
    query: z
        .string()
        .max(500)
        .describe('Plain words or keywords, e.g. "streaming with customer-managed keys" or "UNSUPPORTED_PLATFORM"'),
    limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).default(SEARCH_LIMIT_DEFAULT)
});

const output = z.object({
    results: z.array(
        z.object({
            uri: z.string().describe('Readable with resources/read'),
            page: z.string(),
            heading: z.string().describe('Exact heading of the section in that page'),
            snippet: z.string().describe('~200 characters, plain text'),
            score: z.number().min(0).max(1).describe('0-1, 1 = the best result of this query')
        })
    )
});

export const searchDocsTool = defineTool({
    name: 'streaming_search_docs',
    title: 'Search the artifact streaming docs',
    description:
        'Searches the sourced ACR artifact streaming docs (requirements, limits, pricing, error codes, commands, troubleshooting, ' +
        'comparisons); read the page found (resources/read) and cite it before answering. Not for the live state of a ' +
        'registry, image, cluster or pod.',
    toolset: 'knowledge',
    kind: 'read',
    openWorld: false,
    input,
    output,
    async handler({ query, limit }, rt) {
        const kb = rt.knowledge;
        // Echoed on one line: a newline in the query cannot start a line of its own in our answer.
        const quoted = `"${oneLine(query.trim())}"`;
        if (kb.queryTerms(query).length === 0) {
            throw new ToolError(
                'No search terms',
                query.trim() === '' ? 'the query is empty' : `${quoted} only has common words that match every page`,
                'ask with topic words, e.g. "pull secret", "arm64 node pool", "conversion failed UNSUPPORTED_PLATFORM" or "pricing"'
            );
        }
        const results = kb.search(query, limit).map(r => ({ ...r, snippet: withoutUnregisteredTools(r.snippet, rt.registeredTools) }));
        if (results.length === 0) {
            return {
                data: { results: [] },
                summary:
                    `No section of the knowledge base matches ${quoted}. Try other words (a feature, an error code, a command such as ` +
                    `"az acr artifact-streaming"), or read skill://${kb.skillName}/SKILL.md for the overview and the list of pages.`
            };
        }
        const lines = results.map((r, i) => `${i + 1}. ${r.page} › ${r.heading} (score ${r.score})\n   ${r.snippet}`);
        return {
            data: { results },
            summary: `${results.length} section${results.length === 1 ? '' : 's'} for ${quoted}:\n${lines.join('\n')}\nRead a page with resources/read on its URI (linked below).`,
            // One link per result (not per page) so each carries its section in the title.
            links: results.map(r => ({ uri: r.uri, name: r.page, title: `${kb.page(r.page)?.title ?? r.page} › ${r.heading}`, mimeType: 'text/markdown' }))
        };
    }
});
