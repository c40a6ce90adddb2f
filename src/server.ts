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
import { registerTools } from './tools/register-tools.js';
import { serverInstructions } from './server-instructions.js';
import { PACKAGE_VERSION } from './version.js';

/**
 * `caller`: the signed-in user (--auth entra). Change tools are registered only for an operator
 * (Streaming.Operate); for anyone else they stay out of tools/list and a call to one is refused by name.
 */
export function createServer(app: AppContext, caller?: Caller): McpServer {
    const operator = !caller || hasRole(caller, OPERATE_ROLE);
    const tools = selectTools({ toolsets: app.config.toolsets, readOnly: app.config.readOnly || !operator });
    const withheld = operator ? [] : selectTools(app.config).filter(t => t.kind !== 'read').map(t => t.name);
    const server = new McpServer(
        { name: 'acr-streaming-mcp', version: PACKAGE_VERSION, title: 'ACR Artifact Streaming' },
        { capabilities: { logging: {} }, instructions: serverInstructions(app, tools) }
    );
    registerTools(server, tools, app, withheld);
    registerKnowledgeResources(server, app.knowledge);
    registerPrompts(server, app, new Set(tools.map(t => t.name)));
    return server;
}
