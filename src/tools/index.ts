/** The one list of all tools, filtered by toolset and --read-only. */
import type { ToolDefinition } from './define-tool.js';
import type { Toolset } from './toolsets.js';
import { searchDocsTool } from './knowledge/search-docs.js';
import { getRepositoryStreamingTool } from './acr/get-repository-streaming.js';
import { inspectImageTool } from './acr/inspect-image.js';
import { listRegistriesTool } from './acr/list-registries.js';
import { getStreamingStatusTool } from './aks/get-streaming-status.js';
import { diagnoseTool } from './diagnose/diagnose.js';
import { scanClusterTool } from './diagnose/scan-cluster.js';
import { scanRegistryTool } from './diagnose/scan-registry.js';
import { setRepositoryStreamingTool } from './acr/set-repository-streaming.js';
import { setNodePoolStreamingTool } from './aks/set-nodepool-streaming.js';
import { createStreamingArtifactTool } from './acr/create-streaming-artifact.js';
import { cancelStreamingOperationTool } from './acr/cancel-streaming-operation.js';
import { removeStreamingArtifactTool } from './acr/remove-streaming-artifact.js';

export const ALL_TOOLS: readonly ToolDefinition[] = [
    searchDocsTool as unknown as ToolDefinition,
    listRegistriesTool as unknown as ToolDefinition,
    getRepositoryStreamingTool as unknown as ToolDefinition,
    inspectImageTool as unknown as ToolDefinition,
    getStreamingStatusTool as unknown as ToolDefinition,
    diagnoseTool as unknown as ToolDefinition,
    scanRegistryTool as unknown as ToolDefinition,
    scanClusterTool as unknown as ToolDefinition,
    setRepositoryStreamingTool,
    setNodePoolStreamingTool,
    createStreamingArtifactTool,
    cancelStreamingOperationTool,
    removeStreamingArtifactTool
];

/** The part of the configuration that decides which tools a server registers. */
export interface ToolSelection {
    toolsets: readonly Toolset[];
    readOnly: boolean;
}

export function selectTools(selection: ToolSelection, tools: readonly ToolDefinition[] = ALL_TOOLS): ToolDefinition[] {
    return tools.filter(t => selection.toolsets.includes(t.toolset) && (!selection.readOnly || t.kind === 'read'));
}

/** The toolsets that have at least one tool under this --read-only setting (the CLI refuses the others alone). */
export function toolsetsWithTools(selection: Pick<ToolSelection, 'readOnly'>, tools: readonly ToolDefinition[] = ALL_TOOLS): Toolset[] {
    return [...new Set(selectTools({ toolsets: tools.map(t => t.toolset), readOnly: selection.readOnly }, tools).map(t => t.toolset))];
}
