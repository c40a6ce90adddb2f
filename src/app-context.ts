/**
 * Everything a server instance needs, built once per process (cli.ts or a test) and shared by every
 * per-connection / per-request McpServer that createServer() makes. Keep createServer() cheap: all
 * expensive things (knowledge index, Azure clients, caches) live here.
 */
import type { Config } from './config.js';
import type { KnowledgeBase } from './knowledge/knowledge-base.js';
import type { AzureAccess } from './azure/azure-access.js';
import type { Logger } from './log.js';

export interface SandboxInfo {
    /** Shown in the server instructions and prefixed to every tool result. */
    label: string;
}

export interface AppContext {
    config: Config;
    knowledge: KnowledgeBase;
    /** Lazy: nothing Azure is imported or constructed until a tool calls this. */
    azure(): Promise<AzureAccess>;
    sandbox?: SandboxInfo;
    log: Logger;
}
