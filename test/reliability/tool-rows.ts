/**
 * One row per tool: valid arguments against the demo world (docs/sandbox.md, "The demo world"). The fault
 * matrix and the fuzz suite take their tool list from tools/list and fail for a tool without a row here, so a
 * tool that lands later is covered once its row is added. Rows of tools not registered yet are unused.
 */

export interface ToolRow {
    /** Valid arguments: a read that succeeds, or a change that plans (and then applies with the token). */
    args: Record<string, unknown>;
    /** A change tool: plan first, then apply with the plan's confirmationToken. */
    change?: boolean;
    /** A change tool: another target, for which the plan of `args` must not be valid. */
    other?: Record<string, unknown>;
}

export const TOOL_ROWS: Readonly<Record<string, ToolRow>> = {
    streaming_search_docs: { args: { query: 'enable artifact streaming on a node pool' } },
    acr_list_registries: { args: {} },
    acr_get_repository_streaming: { args: { registry: 'contosoacr', repository: 'ml/trainer' } },
    acr_inspect_image: { args: { image: 'contosoacr.azurecr.io/ml/trainer:v1' } },
    aks_get_streaming_status: { args: { cluster: 'aks-prod', registry: 'contosoacr' } },
    streaming_scan_registry: { args: { registry: 'contosoacr', limit: 3 } },
    streaming_diagnose: { args: { image: 'contosoacr.azurecr.io/ml/trainer:v1', cluster: 'aks-prod', namespace: 'ml', pod: 'trainer-0' } },
    streaming_scan_cluster: { args: { cluster: 'aks-prod', limit: 5 } },
    acr_set_repository_streaming: { args: { registry: 'contosoacr', repository: 'ml/inference', enabled: true }, change: true, other: { registry: 'contosoacr', repository: 'ml/trainer', enabled: false } },
    aks_set_nodepool_streaming: { args: { cluster: 'aks-prod', nodePool: 'cpupool', enabled: true }, change: true, other: { cluster: 'aks-prod', nodePool: 'gpupool', enabled: false } },
    acr_create_streaming_artifact: { args: { image: 'contosoacr.azurecr.io/ml/inference:v3' }, change: true, other: { image: 'contosoacr.azurecr.io/tools/busybox:1.37' } },
    // The demo world has one running conversion (ml/trainer:v2): the other arguments name it by its digest (the
    // sandbox builds content reproducibly), since a finished operation is refused before any token is read.
    acr_cancel_streaming_operation: {
        args: { image: 'contosoacr.azurecr.io/ml/trainer:v2' },
        change: true,
        other: { image: 'contosoacr.azurecr.io/ml/trainer@sha256:219c53d2cacfac8b52c58f0ef8ba926fc36c763df24c06b4c0b0c8295ecba49e' }
    },
    acr_remove_streaming_artifact: { args: { image: 'contosoacr.azurecr.io/ml/trainer:v1' }, change: true, other: { image: 'contosoacr.azurecr.io/web/frontend:1.4.0' } }
};

/** The row of `tool`, or a failure that says what to add. */
export function rowOf(tool: string): ToolRow {
    const row = TOOL_ROWS[tool];
    if (!row) throw new Error(`tool ${tool} has no row in test/reliability/tool-rows.ts: add its valid arguments so the fault matrix and the fuzz suite cover it`);
    return row;
}

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A stack frame (`at f (/x/y.js:1:2)`), a source location, or a path of this machine: never in a tool
 * result (docs/security.md). Knowledge pages name node paths such as /run/overlaybd/…: those are content.
 */
export const LEAK = new RegExp(
    [String.raw`\bat [^\n]*:\d+:\d+\)?$`, String.raw`\bfile:\/\/`, String.raw`node_modules\/`, String.raw`\/(?:work|home|root)\/`, String.raw`\/tmp\/acr-streaming`, String.raw`[\w/-]+\.(?:ts|js|mjs|cjs):\d+`, escaped(process.cwd())].join('|'),
    'm'
);
