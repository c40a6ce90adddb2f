#!/usr/bin/env node
// Builds dist/ as an esbuild bundle: our code, the MCP SDK, zod and the knowledge libraries in one entry
// plus lazily loaded chunks. bench/startup.bench.mjs measured it against plain tsc output (≈0.7–0.8 of the
// cold start). The Azure and Kubernetes SDKs stay external: they are imported only when a tool needs them,
// so bundling them would buy nothing at start-up.
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
    // Some bundled dependencies are CommonJS and call require(); give the ESM output one.
    banner: { js: "import { createRequire as __acrsmCreateRequire } from 'node:module'; const require = __acrsmCreateRequire(import.meta.url);" }
});
