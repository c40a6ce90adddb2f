#!/usr/bin/env node
// Builds dist/ as an esbuild bundle: our code, the MCP SDK, zod and the knowledge libraries in one entry
// plus lazily loaded chunks. bench/startup.bench.mjs measured it against plain tsc output (≈0.7–0.8 of the
// cold start). The Azure and Kubernetes SDKs stay external: they are imported only when a tool needs them,
// so bundling them would buy nothing at start-up.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = process.argv[2] ?? `${root}/dist`;
rmSync(outdir, { recursive: true, force: true });
await build({
    entryPoints: [`${root}/src/cli.ts`],
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
