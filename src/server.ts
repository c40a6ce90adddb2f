/**
 * createServer(app): one McpServer per connection (stdio) or per request (stateless HTTP), for both
 * protocol eras. Cheap by design: everything expensive lives in the AppContext built once per process.
 */
import { McpServer } from '@modelcontextprotocol/server';
import type { AppContext } from './app-context.js';
import { hasRole, OPERATE_ROLE, type Caller } from './auth/caller.js';
import { registerPrompts } from './prompts/index.js';
import { registerKnowledgeResources } from './knowledge/register-resources.js';
import { selectTools } from './tools/index.js';
import type { ToolDefinition } from './tools/define-tool.js';
import { registerTools } from './tools/register-tools.js';
import { serverInstructions } from './server-instructions.js';
import { PACKAGE_VERSION } from './version.js';

/** What a server registers: all of it for a connection; for one stateless request, what its method needs. */
export type Feature = 'tools' | 'resources' | 'prompts';

const ONLY: Record<string, readonly Feature[]> = {
    'tools/list': ['tools'],
    'tools/call': ['tools'],
    'resources/list': ['resources'],
    'resources/read': ['resources'],
    'resources/templates/list': ['resources'],
    'prompts/list': ['prompts'],
    'prompts/get': ['prompts']
};

/**
 * The features a single 2026-07-28 request needs (createMcpHandler builds a server for each one): a tools/call
 * only needs the tools. Any other method (server/discover, which reports every capability, completion,
 * logging, the skills extension's own methods) gets everything.
 */
export function featuresFor(method: unknown): readonly Feature[] | undefined {
    return typeof method === 'string' ? ONLY[method] : undefined;
}

interface Selection {
    tools: ToolDefinition[];
    withheld: string[];
    names: ReadonlySet<string>;
    instructions: string;
}

/** Per app and role, worked out once: which tools, which are withheld, the instructions naming them. */
const selections = new WeakMap<AppContext, Map<boolean, Selection>>();

function selectionFor(app: AppContext, operator: boolean): Selection {
    let byRole = selections.get(app);
    if (!byRole) selections.set(app, (byRole = new Map()));
    let s = byRole.get(operator);
    if (!s) {
        const tools = selectTools({ toolsets: app.config.toolsets, readOnly: app.config.readOnly || !operator });
        const withheld = operator ? [] : selectTools(app.config).filter(t => t.kind !== 'read').map(t => t.name);
        byRole.set(operator, (s = { tools, withheld, names: new Set(tools.map(t => t.name)), instructions: serverInstructions(app, tools) }));
    }
    return s;
}

/**
 * `caller`: the signed-in user (--auth entra). Change tools are registered only for an operator
 * (Streaming.Operate); for anyone else they stay out of tools/list and a call to one is refused by name.
 * `only`: the features to register (featuresFor); all when not given.
 */
export function createServer(app: AppContext, caller?: Caller, only?: readonly Feature[]): McpServer {
    const operator = !caller || hasRole(caller, OPERATE_ROLE);
    const { tools, withheld, names, instructions } = selectionFor(app, operator);
    const server = new McpServer(
        { name: 'acr-streaming-mcp', version: PACKAGE_VERSION, title: 'ACR Artifact Streaming' },
        { capabilities: { logging: {} }, instructions }
    );
    if (!only || only.includes('tools')) registerTools(server, tools, app, withheld);
    if (!only || only.includes('resources')) registerKnowledgeResources(server, app.knowledge);
    if (!only || only.includes('prompts')) registerPrompts(server, app, names);
    return server;
}
