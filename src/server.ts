/**
 * createServer(app): one McpServer per connection (stdio) or per request (stateless HTTP), for both
 * protocol eras. Cheap by design: everything expensive lives in the AppContext built once per process.
 */
import { McpServer } from '@modelcontextprotocol/server';
import type { AppContext } from './app-context.js';
import { registerPrompts } from './prompts/index.js';
import { registerKnowledgeResources } from './knowledge/register-resources.js';
import { selectTools } from './tools/index.js';
import { registerTools } from './tools/register-tools.js';
import { serverInstructions } from './server-instructions.js';
import { PACKAGE_VERSION } from './version.js';

export function createServer(app: AppContext): McpServer {
    const tools = selectTools(app.config);
    const server = new McpServer(
        { name: 'acr-streaming-mcp', version: PACKAGE_VERSION, title: 'ACR Artifact Streaming' },
        { capabilities: { logging: {} }, instructions: serverInstructions(app, tools) }
    );
    registerTools(server, tools, app);
    registerKnowledgeResources(server, app.knowledge);
    registerPrompts(server, app, new Set(tools.map(t => t.name)));
    return server;
}
