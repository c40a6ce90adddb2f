/**
 * The prompts: guided tasks that embed the relevant skill pages and name only the tools this server
 * instance actually has (toolsets and --read-only change the set), falling back to az/kubectl commands.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import type { PromptDeps } from './prompt-deps.js';
import { registerEnableArtifactStreaming } from './enable-artifact-streaming.js';
import { registerStreamingReadinessReview } from './streaming-readiness-review.js';
import { registerTroubleshootSlowPodStart } from './troubleshoot-slow-pod-start.js';

export function registerPrompts(server: McpServer, deps: PromptDeps, tools: ReadonlySet<string>): void {
    registerTroubleshootSlowPodStart(server, deps, tools);
    registerEnableArtifactStreaming(server, deps, tools);
    registerStreamingReadinessReview(server, deps, tools);
}
