#!/usr/bin/env node
// Builds dist/ as an esbuild bundle: our code, the MCP SDK, zod and the knowledge libraries in one entry
// plus lazily loaded chunks. bench/startup.bench.mjs measured it against plain tsc output (≈0.7–0.8 of the
// cold start). The Azure and Kubernetes SDKs stay external: they are imported only when a tool needs them,
// so bundling them would buy nothing at start-up.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

// dist/cli.js is a two-line entry that turns on Node's compile cache (module.enableCompileCache, Node ≥ 22.1;
// Node docs, "Module compile cache") before the CLI and its static imports are compiled, then imports it:
// later starts reuse V8's code instead of compiling the bundle again (≈0.89 of the CPU time of a start on
// Node 22 and 24, bench/results/results.md). Node 20 has no such cache; there it is a no-op.
const entry = {
    name: 'cli-entry',
    setup(b) {
        b.onResolve({ filter: /^cli-entry$/ }, () => ({ path: 'cli-entry', namespace: 'cli-entry' }));
        b.onLoad({ filter: /.*/, namespace: 'cli-entry' }, () => ({
            contents: "#!/usr/bin/env node\nimport module from 'node:module';\nmodule.enableCompileCache?.();\nawait import('./src/cli.ts');\n",
            resolveDir: root,
            loader: 'js'
        }));
    }
};
const outdir = process.argv[2] ?? `${root}/dist`;
rmSync(outdir, { recursive: true, force: true });

// What every start would otherwise work out again from the same source and the same knowledge/ bytes: the
// tools' advertised JSON Schemas (src/tools/advertised-schema.ts) and the skill's pages parsed and validated
// (src/knowledge/prebuilt-pages.ts, used only when the digest of the bytes read at start matches). A small
// bundle of the same source prints them and the real bundle embeds them; from source (tests) neither exists.
const dump = `${outdir}/tool-schemas-dump.mjs`;
await build({
    stdin: {
        contents:
            "import { ALL_TOOLS } from './src/tools/index.ts';\n" +
            "import { advertisedJsonSchemas } from './src/tools/advertised-schema.ts';\n" +
            "import { knowledgePagesRecord } from './src/knowledge/knowledge-base.ts';\n" +
            'process.stdout.write(JSON.stringify({ tools: advertisedJsonSchemas(ALL_TOOLS), pages: await knowledgePagesRecord() }));\n',
        resolveDir: root,
        loader: 'ts'
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: dump,
    external: ['@azure/*', '@kubernetes/*'],
    logLevel: 'warning',
    banner: { js: "import { createRequire as __acrsmCreateRequire } from 'node:module'; const require = __acrsmCreateRequire(import.meta.url);" }
});
const prebuilt = JSON.parse(execFileSync(process.execPath, [dump], { encoding: 'utf8' }));
rmSync(dump);

await build({
    entryPoints: { cli: 'cli-entry' },
    plugins: [entry],
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: true,
    external: ['@azure/*', '@kubernetes/*'],
    logLevel: 'warning',
    define: { __ACRSM_TOOL_SCHEMAS__: JSON.stringify(JSON.stringify(prebuilt.tools)), __ACRSM_KNOWLEDGE_PAGES__: JSON.stringify(JSON.stringify(prebuilt.pages)) },
    // Some bundled dependencies are CommonJS and call require(); give the ESM output one.
    banner: { js: "import { createRequire as __acrsmCreateRequire } from 'node:module'; const require = __acrsmCreateRequire(import.meta.url);" }
});
