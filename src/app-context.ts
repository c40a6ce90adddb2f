/**
 * Everything a server instance needs, built once per process (cli.ts or a test) and shared by every
 * per-connection / per-request McpServer that createServer() makes. Keep createServer() cheap: all
 * expensive things (knowledge index, Azure clients, caches) live here.
 */
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { ToolDeps } from './tools/define-tool.js';
import type { ChangeSettings } from './tools/change/change-runtime.js';
import type { Caller } from './auth/caller.js';
import type { EntraValidator } from './auth/entra-validator.js';
import type { AzureAccess } from './azure/azure-access.js';

export interface SandboxInfo {
    /** Shown in the server instructions and prefixed to every tool result. */
    label: string;
}

/** The tools' narrow dependencies (Azure access, knowledge, cloud) plus what only the app layers use. */
export interface AppContext extends ToolDeps {
    config: Config;
    sandbox?: SandboxInfo;
    log: Logger;
    /** Confirmation key, mode and audit sink of the change tools. */
    changes: ChangeSettings;
    /** Overall time limit of one tool call, from --tool-timeout-seconds. */
    toolDeadlineMs: number;
    /** --auth entra: validates each HTTP request's access token. */
    entra?: EntraValidator;
    /** --auth entra with --downstream-identity obo: the signed-in user's own Azure access (bounded, per user). */
    azureFor?(caller: Caller): Promise<AzureAccess>;
}
