// The plain tsc output of src/ (what dist/ would be without the bundle), compiled once per bench run into
// bench/.out/tsc so benches can compare against it or import modules the bundle does not expose.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const TSC_OUT = fileURLToPath(new URL('./.out/tsc', import.meta.url));
let built = false;

export function tscOutput() {
    if (!built || !existsSync(`${TSC_OUT}/cli.js`)) {
        execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, '-p', `${root}/tsconfig.build.json`, '--outDir', TSC_OUT], { stdio: 'inherit' });
        built = true;
    }
    return TSC_OUT;
}
