/**
 * Serves the skill on one McpServer instance. Runs per connection/request, so it only registers
 * closures over what loadKnowledgeBase() and prepare() (once per knowledge base) worked out: no file I/O,
 * no parsing, no measuring here.
 *
 * What a client sees:
 * - the SDK skills extension (`kb.skills.attach`): skills/list, skills/get, resources/directory/read, the
 *   `skill://{+path}` template that reads any skill file, and SKILL.md in resources/list. The extension
 *   builds SKILL.md's list entry itself (name = skill name, description from front matter) and offers no
 *   hook to add a `title`; registering SKILL.md again as a static resource would list it twice, so it
 *   stays as the extension lists it.
 * - every other page as an ordinary static resource with `title` and `description` from its front matter,
 *   because most clients today only know resources/list (the extension lists SKILL.md only).
 * - a `skill://<skill>/references/{page}` template whose only job is completion of page names.
 *
 * How the two templates coexist (checked against 2.4.0's McpServer): resources/read tries static
 * resources first, then templates in registration order. So a listed page URI is served by our static
 * resource; any other `skill://` URI reaches the extension's `skill://{+path}` (registered first by attach),
 * which returns the file or a -32602 "Resource not found". Our template is therefore never asked to read a
 * `skill://` URI; its read callback still answers correctly in case the order ever changes. Completion
 * looks templates up by their exact uriTemplate string, so `completion/complete` on ours works even
 * though the extension's template matches the same URIs. Our template has no `list` callback: the static
 * resources already list the pages, a list callback would list them twice.
 */
import { ResourceNotFoundError, ResourceTemplate, type McpServer } from '@modelcontextprotocol/server';
import type { KnowledgeBase } from './knowledge-base.js';

export const REFERENCE_TEMPLATE_NAME = 'skill-reference-page';
const MARKDOWN = 'text/markdown';

export function referenceTemplateUri(kb: Pick<KnowledgeBase, 'skillName'>): string {
    return `skill://${kb.skillName}/references/{page}`;
}

/** What registration needs from the knowledge base, worked out once per base (sizes, names) instead of per server. */
interface Prepared {
    references: { page: KnowledgeBase['pages'][number]; size: number }[];
    prefix: string;
    pageNames: string[];
}

const prepared = new WeakMap<KnowledgeBase, Prepared>();

function prepare(kb: KnowledgeBase): Prepared {
    let p = prepared.get(kb);
    if (!p) {
        const references = kb.pages.filter(page => page.path !== 'SKILL.md');
        const prefix = `skill://${kb.skillName}/references/`;
        p = {
            references: references.map(page => ({ page, size: Buffer.byteLength(page.raw) })),
            prefix,
            pageNames: references.filter(page => page.uri.startsWith(prefix) && !page.uri.slice(prefix.length).includes('/')).map(page => page.uri.slice(prefix.length))
        };
        prepared.set(kb, p);
    }
    return p;
}

export function registerKnowledgeResources(server: McpServer, kb: KnowledgeBase): void {
    kb.skills.attach(server);

    const { references, prefix, pageNames } = prepare(kb);
    for (const { page, size } of references) {
        server.registerResource(page.path, page.uri, { title: page.title, description: page.summary, mimeType: MARKDOWN, size }, async () => ({
            contents: [{ uri: page.uri, mimeType: MARKDOWN, text: page.raw }]
        }));
    }

    server.registerResource(
        REFERENCE_TEMPLATE_NAME,
        new ResourceTemplate(referenceTemplateUri(kb), {
            list: undefined,
            complete: { page: value => pageNames.filter(name => name.toLowerCase().startsWith(value.toLowerCase())) }
        }),
        { title: `${kb.page('SKILL.md')?.title ?? kb.skillName}: reference page`, description: 'One reference page of the skill by file name; completes page names.', mimeType: MARKDOWN },
        async (uri, { page }) => {
            const found = references.find(r => r.page.uri === `${prefix}${String(page)}`)?.page;
            if (!found) throw new ResourceNotFoundError(uri.href);
            return { contents: [{ uri: found.uri, mimeType: MARKDOWN, text: found.raw }] };
        }
    );
}
