/**
 * Loads a sandbox world from a file path or an object and validates it with the schema.
 * A bad world throws one WorldError whose message has one line per problem, each naming the JSON path
 * (`registries[1].repositories[0].images[2].platforms[0].architecture: expected one of …`), so a user can
 * fix a hand-written file without reading zod output.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/v4';
import { PACKAGE_ROOT } from '../../package-root.js';
import { worldSchema, type World } from './schema.js';

/** The built-in demo world, shipped in the package (`files` includes sandbox-worlds/), found from the package root. */
export const DEMO_WORLD_PATH: string = join(PACKAGE_ROOT, 'sandbox-worlds', 'demo.json');

export class WorldError extends Error {
    readonly problems: string[];
    constructor(problems: string[], source?: string) {
        const head = source ? `invalid sandbox world ${source}:\n` : '';
        super(head + problems.join('\n'));
        this.name = 'WorldError';
        this.problems = problems;
    }
}

/** `['registries', 1, 'name']` → `registries[1].name`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
    let out = '';
    for (const key of path) {
        if (typeof key === 'number') out += `[${key}]`;
        else out += out === '' ? String(key) : `.${String(key)}`;
    }
    return out === '' ? '(root)' : out;
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
    const at = (extra: PropertyKey[] = []) => formatPath([...issue.path, ...extra]);
    switch (issue.code) {
        case 'unrecognized_keys':
            // One line per unknown key, pointing at the key itself: that is the line the user must fix.
            return issue.keys.map(k => `${at([k])}: unknown field (not part of the world format)`);
        case 'invalid_value':
            return [`${at()}: expected one of ${issue.values.map(v => JSON.stringify(v)).join(', ')}`];
        case 'invalid_type':
            return [`${at()}: expected ${issue.expected}${issue.input === undefined ? ' (missing)' : ''}`];
        default:
            return [`${at()}: ${issue.message}`];
    }
}

/** Validates an object (already parsed JSON). Throws WorldError. */
export function parseWorld(input: unknown, source?: string, now: Date = new Date()): World {
    const result = worldSchema.safeParse(input);
    if (!result.success) {
        throw new WorldError(result.error.issues.flatMap(describeIssue), source);
    }
    const world = result.data;
    // Spec: `pushedAt` defaults to the world load time. Filling it here gives every listener the same value.
    const loadedAt = now.toISOString();
    for (const reg of world.registries) {
        for (const repo of reg.repositories) {
            for (const img of repo.images) img.pushedAt ??= loadedAt;
        }
    }
    return world;
}

/**
 * Loads from a path (JSON file) or validates an object. The result is a fresh object the caller may mutate.
 * `now` is the load time that a missing `pushedAt` defaults to (the sandbox passes its injected clock).
 */
export async function loadWorld(source: string | object, now: Date = new Date()): Promise<World> {
    if (typeof source !== 'string') return parseWorld(structuredClone(source), undefined, now);
    let text: string;
    try {
        text = await readFile(source, 'utf8');
    } catch (e) {
        throw new WorldError([`(file): cannot read ${source}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (e) {
        throw new WorldError([`(file): not valid JSON: ${(e as Error).message}`], source);
    }
    return parseWorld(json, source, now);
}
