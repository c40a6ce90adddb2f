import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dependencyViolations, importSpecifiers, readImportGraph, rulesFromArchitectureDoc, type ImportGraph } from './helpers/import-graph.js';
import { ROOT } from './helpers/cli.js';

const rules = rulesFromArchitectureDoc(readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8'));

describe('the dependency rules of docs/architecture.md', () => {
    it('hold for src/: imports point down the layers, no cycle, the sandbox only behind the CLI wiring', () => {
        const { graph, unresolved } = readImportGraph(ROOT);
        expect(unresolved).toEqual([]);
        expect(graph.size).toBeGreaterThan(50);
        expect(dependencyViolations(graph, rules)).toEqual([]);
    });

    it('are read from the document as written', () => {
        expect(rules.layers.map(l => l.name)).toEqual(['cli', 'app', 'transports', 'server', 'context', 'features', 'services', 'domain', 'base']);
        expect(rules.beside).toEqual([
            { paths: ['src/sandbox/'], mayImport: ['src/sandbox/', 'src/streaming/', 'src/azure/names.ts', 'base'], importedBy: ['src/cli.ts', 'src/wiring/'] }
        ]);
    });

    it('find every kind of import specifier, and none in comments', () => {
        const source = [
            "import type { A } from '../a.js';",
            "import {\n    b,\n    c\n} from './b.js';",
            "export * from './c.js';",
            "import './side-effect.js';",
            "const d = await import('./d.js');",
            "// import { x } from './commented.js';",
            "/* export { y } from './commented.js'; */",
            "const url = 'https://example.com/x'; // from './commented.js'"
        ].join('\n');
        expect(importSpecifiers(source).sort()).toEqual(['../a.js', './b.js', './c.js', './d.js', './side-effect.js']);
    });

    describe('fail on a synthetic graph that breaks them', () => {
        const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

        it('an import upwards (a tool reaching for the app context)', () => {
            const v = dependencyViolations(graphOf({ 'src/tools/t.ts': ['src/app-context.ts'], 'src/app-context.ts': [] }), rules);
            expect(v).toEqual(['src/tools/t.ts (layer features) imports src/app-context.ts (layer context, above it)']);
        });

        it('a cycle, even inside one layer, named along its path', () => {
            const v = dependencyViolations(
                graphOf({ 'src/azure/a.ts': ['src/azure/b.ts'], 'src/azure/b.ts': ['src/azure/c.ts'], 'src/azure/c.ts': ['src/azure/a.ts'] }),
                rules
            );
            expect(v).toHaveLength(1);
            expect(v[0]).toMatch(/^import cycle: (src\/azure\/[abc]\.ts -> ){3}src\/azure\/[abc]\.ts$/);
        });

        it('the cycle this rule was written against: config -> tools -> app-context -> azure -> config', () => {
            const v = dependencyViolations(
                graphOf({
                    'src/config.ts': ['src/tools/define-tool.ts'],
                    'src/tools/define-tool.ts': ['src/app-context.ts'],
                    'src/app-context.ts': ['src/azure/azure-access.ts'],
                    'src/azure/azure-access.ts': ['src/config.ts']
                }),
                rules
            );
            expect(v).toContain('src/tools/define-tool.ts (layer features) imports src/app-context.ts (layer context, above it)');
            expect(v).toContain('src/azure/azure-access.ts (layer services) imports src/config.ts (layer context, above it)');
            expect(v.filter(line => line.startsWith('import cycle: '))).toHaveLength(1);
        });

        it('production code importing the sandbox, and the sandbox importing more than the shared rules', () => {
            const v = dependencyViolations(
                graphOf({
                    'src/tools/t.ts': ['src/sandbox/state.ts'],
                    'src/wiring/w.ts': ['src/sandbox/index.ts'],
                    'src/sandbox/index.ts': ['src/streaming/vm-size.ts', 'src/azure/names.ts', 'src/log.ts', 'src/sandbox/state.ts'],
                    'src/sandbox/state.ts': ['src/azure/arm.ts'],
                    'src/streaming/vm-size.ts': [],
                    'src/azure/names.ts': [],
                    'src/azure/arm.ts': [],
                    'src/log.ts': []
                }),
                rules
            );
            expect(v).toEqual([
                'src/tools/t.ts imports src/sandbox/state.ts: only src/cli.ts, src/wiring/ may import src/sandbox/',
                'src/sandbox/state.ts imports src/azure/arm.ts: src/sandbox/ may import only src/sandbox/, src/streaming/, src/azure/names.ts, base'
            ]);
        });

        it('a file no layer places', () => {
            expect(dependencyViolations(graphOf({ 'src/stray.ts': [] }), rules)).toEqual(['src/stray.ts belongs to no layer of docs/architecture.md']);
        });
    });
});
