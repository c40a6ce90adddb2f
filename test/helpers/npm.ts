/**
 * npm as a user runs it, but offline: tests never reach a registry (only loopback), so every install is
 * served from the npm cache that `npm ci` filled. `npm install --offline TARBALL` cannot do that (it needs
 * the registry's package documents to resolve ranges, which `npm ci` never caches), so installTarball()
 * writes the lockfile npm would have written: the tarball plus the project's own locked production
 * dependencies, the versions this repository is tested with.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './cli.js';

const run = promisify(execFile);

/** Environment for npm in tests: offline, quiet, no audit or funding requests. */
export function npmEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...process.env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extra };
}

export async function npm(args: string[], cwd: string): Promise<string> {
    const { stdout } = await run('npm', args, { cwd, env: npmEnv(), maxBuffer: 64 * 1024 * 1024 });
    return stdout;
}

export interface PackedFile {
    path: string;
    size: number;
}

/** `npm pack` of the repository as it is (dist/ already built): the tarball's path and its file list. */
export async function packRepository(destination: string): Promise<{ tarball: string; files: PackedFile[] }> {
    const out = JSON.parse(await npm(['pack', '--json', '--pack-destination', destination], ROOT)) as { filename: string; files: PackedFile[] }[];
    const packed = out[0];
    if (!packed) throw new Error('npm pack reported nothing');
    return { tarball: join(destination, packed.filename), files: packed.files };
}

interface LockEntry {
    dev?: boolean;
    link?: boolean;
    [k: string]: unknown;
}

/** Installs the tarball into `dir` (an empty folder) with `npm ci --offline`, as `npm install TARBALL` would lay it out. */
export async function installTarball(dir: string, tarball: string): Promise<void> {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; license: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: Record<string, string> };
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
    const spec = `file:${tarball}`;
    const manifest = { name: 'packaged-install', private: true, dependencies: { [pkg.name]: spec } };
    const packages: Record<string, unknown> = {
        '': manifest,
        [`node_modules/${pkg.name}`]: { version: pkg.version, resolved: spec, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines }
    };
    // Hoisted paths are the same in both trees: our dependencies sit at the top of node_modules either way.
    for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && !entry.dev && !entry.link) packages[path] = entry;
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: manifest.name, lockfileVersion: 3, requires: true, packages }));
    await npm(['ci', '--omit=dev'], dir);
}
