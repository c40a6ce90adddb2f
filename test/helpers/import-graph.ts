/**
 * The import graph of src/ and the dependency rules of docs/architecture.md, checked by
 * test/dependency-rules.test.ts.
 *
 * Why our own ~150 lines and not dependency-cruiser: dependency-cruiser reads TypeScript through the
 * TypeScript compiler API (its `--info` lists `typescript >=2.0.0 <7.0.0`), and TypeScript 7, the native
 * port this repo uses, ships no JS compiler API; with it dependency-cruiser 17.4.3 (the last for Node 20)
 * cruises "0 modules" and reports success. Adding typescript@5 only for that weighs more than this file.
 * Import specifiers here are plain string literals, so a regex over them (comments stripped) finds every
 * static, type-only, re-export and dynamic import; an import that does not resolve to a file is reported
 * instead of ignored, so a wrong match cannot pass silently.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';

/** file → the repo-relative files it imports (type-only and dynamic imports included). */
export type ImportGraph = Map<string, string[]>;

const SPECIFIERS = [/\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s*['"]([^'"]+)['"]/gm];

export function importSpecifiers(source: string): string[] {
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
    return SPECIFIERS.flatMap(re => [...code.matchAll(re)].map(m => m[1] ?? ''));
}

function listTs(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
        e.isDirectory() ? listTs(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []
    );
}

/** Reads every .ts file under `root/srcDir`; relative imports are resolved (.js → .ts), packages ignored. */
export function readImportGraph(root: string, srcDir = 'src'): { graph: ImportGraph; unresolved: string[] } {
    const graph: ImportGraph = new Map();
    const unresolved: string[] = [];
    const rel = (file: string) => relative(root, file).split(sep).join(posix.sep);
    for (const file of listTs(join(root, srcDir))) {
        const targets: string[] = [];
        for (const spec of importSpecifiers(readFileSync(file, 'utf8'))) {
            if (!spec.startsWith('.')) continue;
            const target = join(dirname(file), spec).replace(/\.js$/, '.ts');
            if (existsSync(target)) targets.push(rel(target));
            else unresolved.push(`${rel(file)} imports "${spec}", which is no file`);
        }
        graph.set(rel(file), [...new Set(targets)]);
    }
    return { graph, unresolved };
}

export interface Layer {
    name: string;
    /** `src/tools/` (a folder) or `src/cli.ts` (a file). */
    paths: string[];
}

/** A part that stands beside the layers (the sandbox): who it may import and who may import it. */
export interface Beside {
    paths: string[];
    /** Paths or layer names. */
    mayImport: string[];
    importedBy: string[];
}

export interface DependencyRules {
    /** Top first: a file may import its own layer and the layers below it. */
    layers: Layer[];
    beside: Beside[];
}

const matches = (file: string, path: string) => (path.endsWith('/') ? file.startsWith(path) : file === path);

/** Every broken rule as one line: unplaced files, imports against the layer order or a Beside rule, cycles. */
export function dependencyViolations(graph: ImportGraph, rules: DependencyRules): string[] {
    const out: string[] = [];
    const layerOf = (file: string) => rules.layers.findIndex(l => l.paths.some(p => matches(file, p)));
    const besideOf = (file: string) => rules.beside.find(b => b.paths.some(p => matches(file, p)));
    const allowed = (file: string, entries: string[]) =>
        entries.some(e => matches(file, e) || rules.layers.find(l => l.name === e)?.paths.some(p => matches(file, p)));
    for (const file of graph.keys()) {
        if (layerOf(file) < 0 && !besideOf(file)) out.push(`${file} belongs to no layer of docs/architecture.md`);
    }
    for (const [from, targets] of graph) {
        for (const to of targets) {
            const fromBeside = besideOf(from);
            const toBeside = besideOf(to);
            if (toBeside && toBeside !== fromBeside && !allowed(from, toBeside.importedBy)) {
                out.push(`${from} imports ${to}: only ${toBeside.importedBy.join(', ')} may import ${toBeside.paths.join(', ')}`);
            } else if (fromBeside && toBeside !== fromBeside && !allowed(to, fromBeside.mayImport)) {
                out.push(`${from} imports ${to}: ${fromBeside.paths.join(', ')} may import only ${fromBeside.mayImport.join(', ')}`);
            } else if (!fromBeside && !toBeside) {
                const [a, b] = [layerOf(from), layerOf(to)];
                if (a >= 0 && b >= 0 && b < a) {
                    out.push(`${from} (layer ${rules.layers[a]?.name}) imports ${to} (layer ${rules.layers[b]?.name}, above it)`);
                }
            }
        }
    }
    for (const cycle of findCycles(graph)) out.push(`import cycle: ${[...cycle, cycle[0]].join(' -> ')}`);
    return out;
}

/** One cycle per strongly connected component (Tarjan), as the files along it. */
export function findCycles(graph: ImportGraph): string[][] {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    let next = 0;
    const visit = (v: string): void => {
        index.set(v, next);
        low.set(v, next++);
        stack.push(v);
        onStack.add(v);
        for (const w of graph.get(v) ?? []) {
            if (!index.has(w)) {
                visit(w);
                low.set(v, Math.min(low.get(v)!, low.get(w)!));
            } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        }
        if (low.get(v) !== index.get(v)) return;
        const component: string[] = [];
        let w: string | undefined;
        do {
            w = stack.pop();
            if (w === undefined) break;
            onStack.delete(w);
            component.push(w);
        } while (w !== v);
        if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(pathThrough(graph, new Set(component), v));
    };
    for (const v of graph.keys()) if (!index.has(v)) visit(v);
    return cycles;
}

/** A concrete cycle from `start` back to it, staying inside its component (breadth-first, so the shortest). */
function pathThrough(graph: ImportGraph, component: Set<string>, start: string): string[] {
    const previous = new Map<string, string>();
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
        const v = queue[i]!;
        for (const w of graph.get(v) ?? []) {
            if (!component.has(w)) continue;
            if (w === start) {
                const path = [v];
                while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
                return path;
            }
            if (!previous.has(w)) {
                previous.set(w, v);
                queue.push(w);
            }
        }
    }
    return [start];
}

/**
 * The rules as docs/architecture.md writes them: the table under "Layer order" (top first; the files cell
 * holds backticked paths) and the table under "Beside the layers" (paths; what they may import, as backticked
 * paths or layer names; who alone may import them).
 */
export function rulesFromArchitectureDoc(markdown: string): DependencyRules {
    const table = (heading: string) => {
        const start = markdown.indexOf(heading);
        if (start < 0) throw new Error(`docs/architecture.md has no "${heading}" section`);
        const rows = markdown.slice(start).split('\n').slice(1);
        const firstRow = rows.findIndex(l => l.startsWith('|'));
        const body: string[] = [];
        for (const line of rows.slice(firstRow)) {
            if (!line.startsWith('|')) break;
            body.push(line);
        }
        return body.slice(2).map(line => line.split('|').slice(1, -1).map(cell => cell.trim()));
    };
    const ticked = (cell: string | undefined) => [...(cell ?? '').matchAll(/`([^`]+)`/g)].map(m => m[1] ?? '');
    return {
        layers: table('### Layer order').map(([name, files]) => ({ name: name ?? '', paths: ticked(files) })),
        beside: table('### Beside the layers').map(([paths, mayImport, importedBy]) => ({
            paths: ticked(paths),
            mayImport: ticked(mayImport),
            importedBy: ticked(importedBy)
        }))
    };
}
