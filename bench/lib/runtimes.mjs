// The Node runtimes a bench runs its servers on: the machine's and those of .ci/node-matrix.
// BENCH_NODES=20,22 limits them (majors).
import { nodeMatrix } from '../../scripts/node-matrix.mjs';

export function runtimes() {
    const all = [{ major: Number(process.versions.node.split('.')[0]), version: process.version, path: process.execPath }, ...nodeMatrix()];
    const only = process.env.BENCH_NODES?.split(',').map(Number);
    return only ? all.filter(n => only.includes(n.major)) : all;
}
