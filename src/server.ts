/**
 * createServer(app): one McpServer per connection (stdio) or per request (stateless HTTP), for both
 * protocol eras. Cheap by design: everything expensive lives in the AppContext built once per process.
 */
import { McpServer } from '@modelcontextprotocol/server';
import { LRUCache } from 'lru-cache';
import type { AppContext } from './app-context.js';
import { hasRole, OPERATE_ROLE, type Caller } from './auth/caller.js';
import { MAX_USERS, USER_IDLE_MS } from './auth/per-user-azure.js';
import { registerPrompts } from './prompts/index.js';
import type { PromptDeps } from './prompts/prompt-deps.js';
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
    if (!only || only.includes('prompts')) registerPrompts(server, promptDepsFor(app, caller), names);
    return server;
}

interface UserPromptDeps {
    deps: PromptDeps;
    /** The user's latest validated token: their Azure access exchanges it on their behalf. */
    caller: Caller;
}

const promptDepsByUser = new WeakMap<AppContext, LRUCache<string, UserPromptDeps>>();

/**
 * With per-user Azure identity (--auth entra, on-behalf-of), prompt arguments complete from live data as the
 * signed-in user, the way the tools act: otherwise completion would list, through the process's own identity,
 * registries and clusters the user may not see (docs/team-server.md). One deps object per user (bounded like
 * the per-user Azure access), so each prompt's schema is still built once per user rather than per request.
 */
function promptDepsFor(app: AppContext, caller: Caller | undefined): PromptDeps {
    const azureFor = app.azureFor?.bind(app);
    if (!caller || !azureFor) return app;
    let users = promptDepsByUser.get(app);
    if (!users) promptDepsByUser.set(app, (users = new LRUCache({ max: MAX_USERS, ttl: USER_IDLE_MS, updateAgeOnGet: true })));
    const key = caller.oid.toLowerCase();
    let entry = users.get(key);
    if (!entry) {
        const fresh: UserPromptDeps = { caller, deps: { knowledge: app.knowledge, cloud: app.cloud, log: app.log, azure: () => azureFor(fresh.caller) } };
        users.set(key, fresh);
        entry = fresh;
    }
    entry.caller = caller;
    return entry.deps;
}
