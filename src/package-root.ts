/**
 * The folder holding our package.json, found by walking up from this module, so that src/ (tsx),
 * dist/ (tsc) and a bundled single file all find package.json, knowledge/ and sandbox-worlds/ alike.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
    for (let dir = start; ; dir = dirname(dir)) {
        const pkg = join(dir, 'package.json');
        if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'acr-streaming-mcp') return dir;
        if (dirname(dir) === dir) throw new Error(`acr-streaming-mcp: cannot find its package.json above ${start}`);
    }
}

export const PACKAGE_ROOT: string = findRoot(dirname(fileURLToPath(import.meta.url)));
