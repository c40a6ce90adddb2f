// What tools/list costs a model's context: bytes and estimated tokens of the whole list (what the client
// receives) and of the model-visible part (name, description, input schema: what a client passes to the
// model), for all tools and for each toolset (--toolsets), from the built CLI over stdio.
import { TOOLSETS } from './lib/toolsets.mjs';
import { table } from './lib/report.mjs';
import { CLI, connectStdio } from './lib/servers.mjs';

const KB = 1024;
const bytes = v => Buffer.byteLength(JSON.stringify(v));
// Rough rule for English prose and JSON with common tokenizers (about 4 bytes a token); stated, not measured.
const tokens = n => Math.round(n / 4);
const visible = t => ({ name: t.name, description: t.description, inputSchema: t.inputSchema });

async function list(toolsets) {
    let conn;
    try {
        conn = await connectStdio(process.execPath, [CLI, ...(toolsets ? ['--toolsets', toolsets] : [])]);
    } catch (e) {
        return { skipped: `the CLI would not serve --toolsets ${toolsets} (no tool in it yet?): ${e.message.split('\n')[0]}` };
    }
    try {
        return { tools: (await conn.client.listTools()).tools };
    } finally {
        await conn.close();
    }
}

const sizes = tools => {
    const total = bytes({ tools });
    const model = bytes(tools.map(visible));
    return { tools: tools.length, totalBytes: total, totalTokens: tokens(total), modelVisibleBytes: model, modelVisibleTokens: tokens(model) };
};

export default {
    title: 'tools/list size: what the tool list costs a model\'s context',
    order: 2,
    async run() {
        const all = await list(undefined);
        const byToolset = {};
        for (const ts of TOOLSETS) {
            const r = await list(ts);
            byToolset[ts] = r.skipped ? { skipped: r.skipped } : sizes(r.tools);
        }
        const perTool = all.tools
            .map(t => ({
                tool: t.name,
                totalBytes: bytes(t),
                description: Buffer.byteLength(t.description ?? ''),
                inputSchema: bytes(t.inputSchema),
                outputSchema: t.outputSchema ? bytes(t.outputSchema) : 0,
                rest: bytes(t) - bytes(visible(t)) - (t.outputSchema ? bytes(t.outputSchema) : 0)
            }))
            .sort((a, b) => b.totalBytes - a.totalBytes);
        const whole = sizes(all.tools);
        const targets = { modelVisibleBytes: 10 * KB, totalBytes: 24 * KB };
        const summary = [
            { measure: `tools/list model-visible, all ${whole.tools} tools (≈${whole.modelVisibleTokens} tokens)`, ours: `${(whole.modelVisibleBytes / KB).toFixed(1)} KB`, peer: null, ratio: null, target: '≤ 10 KB', met: whole.modelVisibleBytes <= targets.modelVisibleBytes },
            { measure: `tools/list total, all ${whole.tools} tools (≈${whole.totalTokens} tokens)`, ours: `${(whole.totalBytes / KB).toFixed(1)} KB`, peer: null, ratio: null, target: '≤ 24 KB', met: whole.totalBytes <= targets.totalBytes }
        ];
        const markdown = [
            table(
                ['toolset', 'tools', 'total bytes', '≈ tokens', 'model-visible bytes', '≈ tokens'],
                [['all', whole.tools, whole.totalBytes, whole.totalTokens, whole.modelVisibleBytes, whole.modelVisibleTokens], ...Object.entries(byToolset).map(([ts, s]) => (s.skipped ? [ts, s.skipped, null, null, null, null] : [ts, s.tools, s.totalBytes, s.totalTokens, s.modelVisibleBytes, s.modelVisibleTokens]))]
            ),
            table(['tool (costliest first)', 'total bytes', 'description', 'input schema', 'output schema', 'title, annotations, _meta'], perTool.map(t => [`\`${t.tool}\``, t.totalBytes, t.description, t.inputSchema, t.outputSchema, t.rest])),
            'Bytes of compact JSON as the client receives it; tokens estimated as bytes / 4. Model-visible = name, description and input schema, what a client hands the model; the output schema, title and annotations stay with the client. Targets: model-visible ≤ 10 KB, total ≤ 24 KB for all tools.'
        ];
        return { data: { all: whole, byToolset, perTool, targets }, summary, markdown };
    }
};
