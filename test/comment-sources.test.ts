/**
 * Comments cite public sources or docs/, never a file outside the repository: a reader of this repo cannot
 * open the team's working notes, so a citation of them is a dead end (docs/sources.md lists the sources).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

// Built from parts so this file does not match itself.
const OUTSIDE = [
    ['shared', '/(design|domain)/'],
    ['\\.\\./', 'shared/'],
    ['facts ', '§'],
    ['(toolchain|mcp-sdk-v2)', '-notes'],
    ['acr-streaming', '-facts']
].map(([a, b]) => new RegExp(a! + b!));

function files(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
        e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|mjs|js)$/.test(e.name) ? [join(dir, e.name)] : []
    );
}

describe('comments', () => {
    it('cite public sources or docs/, never files outside the repository', () => {
        const hits = ['src', 'test', 'bench', 'scripts'].flatMap(dir =>
            files(join(ROOT, dir)).flatMap(file =>
                readFileSync(file, 'utf8')
                    .split('\n')
                    .flatMap((line, i) => (OUTSIDE.some(re => re.test(line)) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : []))
            )
        );
        expect(hits).toEqual([]);
    });
});
