#!/usr/bin/env node
// Runs every side-by-side benchmark in bench/ and leaves JSON results in bench/results/.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv[2];
for (const file of readdirSync(here).filter(f => f.endsWith('.bench.mjs')).sort()) {
    if (only && !file.includes(only)) continue;
    console.log(`\n## ${file}`);
    await import(new URL(file, import.meta.url).href);
}
