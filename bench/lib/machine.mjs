// What a result was measured on: the table states it, since absolute figures only mean something next to it.
import { cpus, freemem, loadavg, totalmem, release } from 'node:os';

export function machine() {
    const cpu = cpus();
    return {
        cpu: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown'}`,
        memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
        freeMemoryGiB: +(freemem() / 2 ** 30).toFixed(1),
        os: `${process.platform} ${release()}`,
        node: process.version
    };
}

/** 1, 5 and 15 minute load averages: on a shared machine they say how much the absolute figures are worth. */
export const load = () => loadavg().map(x => +x.toFixed(2));
