/** The one list of all tools, filtered by toolset and --read-only. */
import type { Config } from '../config.js';
import type { ToolDefinition } from './define-tool.js';
import { searchDocsTool } from './knowledge/search-docs.js';
import { getRepositoryStreamingTool } from './acr/get-repository-streaming.js';
import { inspectImageTool } from './acr/inspect-image.js';
import { listRegistriesTool } from './acr/list-registries.js';
import { getStreamingStatusTool } from './aks/get-streaming-status.js';

export const ALL_TOOLS: readonly ToolDefinition[] = [
    searchDocsTool as unknown as ToolDefinition,
    listRegistriesTool as unknown as ToolDefinition,
    getRepositoryStreamingTool as unknown as ToolDefinition,
    inspectImageTool as unknown as ToolDefinition,
    getStreamingStatusTool as unknown as ToolDefinition
];

export function selectTools(config: Pick<Config, 'toolsets' | 'readOnly'>, tools: readonly ToolDefinition[] = ALL_TOOLS): ToolDefinition[] {
    return tools.filter(t => config.toolsets.includes(t.toolset) && (!config.readOnly || t.kind === 'read'));
}
