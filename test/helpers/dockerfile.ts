/**
 * Replays a Dockerfile's stages in folders, for a machine without a container engine: each stage gets its
 * own root folder, WORKDIR and absolute paths map into it, COPY copies from the build context (honouring
 * .dockerignore by name) or from an earlier stage, RUN runs through sh in the working directory. The base
 * image's contents are this machine's (node and npm on PATH). Only the instructions our Dockerfile uses are
 * understood; any other fails the replay rather than being skipped. Reference: Dockerfile reference,
 * https://docs.docker.com/reference/dockerfile/
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Instruction {
    op: string;
    args: string;
}

export interface Stage {
    name: string;
    from: string;
    instructions: Instruction[];
}

/** Instructions in order, with line continuations joined and comments and parser directives dropped. */
export function parseDockerfile(text: string): Instruction[] {
    const joined = text.replace(/\\\r?\n/g, ' ');
    return joined
        .split(/\r?\n/)
        .map(l => l.trim())
        .filter(l => l !== '' && !l.startsWith('#'))
        .map(l => {
            const m = /^(\S+)\s*(.*)$/.exec(l);
            return { op: (m?.[1] ?? '').toUpperCase(), args: m?.[2] ?? '' };
        });
}

export function stagesOf(instructions: Instruction[]): { args: Record<string, string>; stages: Stage[] } {
    const args: Record<string, string> = {};
    const stages: Stage[] = [];
    for (const i of instructions) {
        if (i.op === 'FROM') {
            const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(i.args);
            if (!m?.[1]) throw new Error(`FROM ${i.args}: not understood`);
            stages.push({ name: m[2] ?? String(stages.length), from: m[1].replace(/\$\{(\w+)\}/g, (_, k: string) => args[k] ?? ''), instructions: [] });
        } else if (stages.length === 0) {
            if (i.op !== 'ARG') throw new Error(`${i.op} before the first FROM`);
            const [k, v = ''] = i.args.split('=');
            if (k) args[k] = v;
        } else stages[stages.length - 1]!.instructions.push(i);
    }
    return { args, stages };
}

/** JSON exec form (`["node", "x"]`) as an array. */
export function execForm(args: string): string[] {
    const parsed: unknown = JSON.parse(args);
    if (!Array.isArray(parsed) || !parsed.every(a => typeof a === 'string')) throw new Error(`not an exec form: ${args}`);
    return parsed;
}

export interface ReplayedStage {
    root: string;
    workdir: string;
    env: Record<string, string>;
    user?: string;
    entrypoint?: string[];
    exposed: string[];
}

export interface ReplayOptions {
    context: string;
    into: string;
    /** Extra environment for RUN steps (e.g. npm offline), on top of this process's. */
    runEnv?: Record<string, string>;
}

export function dockerignore(context: string): string[] {
    const file = join(context, '.dockerignore');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').split(/\r?\n/).map(l => l.trim()).filter(l => l !== '' && !l.startsWith('#'));
}

/**
 * Whether a context-relative path is excluded: patterns are relative to the context root, `*` matches
 * within one path segment, and excluding a folder excludes what is inside it. (No `**` or `!`: ours uses neither.)
 */
export function isIgnored(patterns: readonly string[], path: string): boolean {
    return patterns.some(p => {
        const re = new RegExp('^' + p.replace(/^\.?\//, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '(/|$)');
        return re.test(path);
    });
}

export async function replay(dockerfile: string, opts: ReplayOptions): Promise<Record<string, ReplayedStage>> {
    const { stages } = stagesOf(parseDockerfile(readFileSync(dockerfile, 'utf8')));
    const ignored = dockerignore(opts.context);
    const done: Record<string, ReplayedStage> = {};
    for (const stage of stages) {
        const root = join(opts.into, stage.name);
        const s: ReplayedStage = { root, workdir: '/', env: {}, exposed: [] };
        const inRoot = (p: string) => join(root, p.startsWith('/') ? p : join(s.workdir, p));
        mkdirSync(root, { recursive: true });
        for (const i of stage.instructions) {
            switch (i.op) {
                case 'WORKDIR':
                    s.workdir = i.args.startsWith('/') ? i.args : join(s.workdir, i.args);
                    mkdirSync(inRoot('.'), { recursive: true });
                    break;
                case 'ENV': {
                    const [k, ...v] = i.args.split('=');
                    if (!k || v.length === 0) throw new Error(`ENV ${i.args}: use KEY=VALUE`);
                    s.env[k] = v.join('=');
                    break;
                }
                case 'COPY': {
                    const words = i.args.split(/\s+/);
                    const from = words.find(w => w.startsWith('--from='))?.slice('--from='.length);
                    const paths = words.filter(w => !w.startsWith('--'));
                    const dest = paths.pop();
                    if (!dest || paths.length === 0) throw new Error(`COPY ${i.args}: needs a source and a destination`);
                    const source = from === undefined ? undefined : done[from];
                    if (from !== undefined && !source) throw new Error(`COPY --from=${from}: no such earlier stage`);
                    for (const p of paths) {
                        if (source === undefined && isIgnored(ignored, p.replace(/^\.\//, ''))) throw new Error(`COPY ${p}: excluded by .dockerignore`);
                        const src = source ? join(source.root, p.startsWith('/') ? p : join(source.workdir, p)) : join(opts.context, p);
                        const target = dest.endsWith('/') && statSync(src).isFile() ? join(inRoot(dest), basename(p)) : inRoot(dest);
                        // A directory source copies its contents, as Docker does; the context's ignored names never come along.
                        cpSync(src, target, { recursive: true, filter: f => source !== undefined || !isIgnored(ignored, relative(opts.context, f)) });
                    }
                    break;
                }
                case 'RUN': {
                    // A cache mount keeps a tool's cache out of the image; here the machine's own cache plays its part.
                    const command = i.args.replace(/^(--mount=type=cache,\S+\s+)+/, '');
                    if (command.startsWith('--')) throw new Error(`RUN ${i.args}: only cache mounts are replayed`);
                    // The replay shares this machine's npm cache (the offline installs need it): never empty it.
                    if (/npm cache clean/.test(command)) throw new Error(`RUN ${i.args}: use a cache mount instead of cleaning npm's cache`);
                    await run('sh', ['-c', command], { cwd: inRoot('.'), env: { ...process.env, ...s.env, ...opts.runEnv }, maxBuffer: 64 * 1024 * 1024 });
                    break;
                }
                case 'USER':
                    s.user = i.args;
                    break;
                case 'EXPOSE':
                    s.exposed.push(...i.args.split(/\s+/));
                    break;
                case 'ENTRYPOINT':
                    s.entrypoint = execForm(i.args);
                    break;
                default:
                    throw new Error(`${i.op}: not replayed by test/helpers/dockerfile.ts`);
            }
        }
        done[stage.name] = s;
    }
    return done;
}
