/** A few lines that tell the assistant what this server is for and which tool answers what. */
import type { AppContext } from './app-context.js';
import type { ToolDefinition } from './tools/define-tool.js';

const WHEN: Record<string, string> = {
    streaming_search_docs: 'questions about how ACR artifact streaming works, its requirements, limits, commands and errors',
    streaming_diagnose: 'why a pod or image does not stream / starts slowly (one call checks registry, image, cluster, node pool, pod)',
    streaming_scan_registry: 'which images of a registry would gain most from streaming, and how to convert them',
    streaming_scan_cluster: "which of a cluster's workloads do not stream and what to fix first",
    acr_list_registries: 'which registries exist and whether each can use streaming (SKU, CMK)',
    acr_get_repository_streaming: "a repository's auto-conversion setting, or every repository's",
    acr_inspect_image: "one image's platforms, sizes, streaming artifact and last conversion",
    aks_get_streaming_status: "a cluster's node pools: streaming enabled, supported, and the kubelet's AcrPull",
    acr_set_repository_streaming: 'turning auto-conversion on or off for a repository (plan first, then confirm)',
    acr_create_streaming_artifact: 'converting one image (plan first, then confirm)',
    acr_cancel_streaming_operation: 'cancelling a running conversion',
    acr_remove_streaming_artifact: 'removing the streaming artifact of one image',
    aks_set_nodepool_streaming: 'enabling streaming on a node pool (reimages nodes: plan first, then confirm)'
};

export function serverInstructions(app: AppContext, tools: readonly ToolDefinition[]): string {
    const lines = [
        'This server answers questions about Azure Container Registry (ACR) artifact streaming on AKS and, where tools allow, inspects and changes it.',
        'The skill "acr-artifact-streaming" (resources skill://acr-artifact-streaming/...) is the sourced knowledge base; cite its pages.'
    ];
    for (const t of tools) lines.push(`- ${t.name}: ${WHEN[t.name] ?? t.title}.`);
    if (tools.some(t => t.kind !== 'read')) {
        lines.push('Change tools first return a plan and a confirmation token: show the plan to the user and apply only after they agree.');
    }
    if (app.sandbox) {
        lines.push(`SANDBOX MODE: every Azure answer comes from a local emulator (${app.sandbox.label}), not from real Azure. Say so when you report results.`);
    }
    return lines.join('\n');
}
