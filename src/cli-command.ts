/**
 * argv + env → what the process should do. Flags come from config.ts's table; subcommands from
 * SUBCOMMANDS below (adding one is one entry there, one ParsedCommand case and one case in cli.ts).
 */
import { parseArgs } from 'node:util';
import { configFrom, envName, isLoopback, OPTIONAL_VALUE_FLAGS, parserOptions, type Config } from './config.js';

export type ParsedCommand =
    | { kind: 'serve'; config: Config }
    | { kind: 'sandbox-serve'; world?: string; config: Config }
    | { kind: 'help' }
    | { kind: 'version' }
    | { kind: 'error'; message: string };

export interface Subcommand {
    /** The words after the program name, for --help and the usage error. */
    usage: string;
    help: string;
    /** `args` are the positionals after the subcommand's name; undefined means "wrong usage". */
    parse(args: readonly string[], config: Config): ParsedCommand | undefined;
}

export const SUBCOMMANDS: Record<string, Subcommand> = {
    sandbox: {
        usage: 'sandbox serve [world.json]',
        help: 'run only the emulator and print its endpoints',
        parse: (args, config) => (args[0] === 'serve' && args.length <= 2 ? { kind: 'sandbox-serve', world: args[1], config } : undefined)
    }
};

export function parseCommand(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCommand {
    let parsed;
    try {
        parsed = parseArgs({
            args: withOptionalValues(argv),
            allowPositionals: true,
            strict: true,
            options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' }, ...parserOptions() }
        });
    } catch (e) {
        return { kind: 'error', message: firstLine(e) };
    }
    const { values, positionals } = parsed;
    if (values.help) return { kind: 'help' };
    if (values.version) return { kind: 'version' };

    const read = configFrom(values, env);
    if ('error' in read) return { kind: 'error', message: read.error };
    const { config } = read;

    const [name, ...args] = positionals;
    if (name !== undefined) {
        const sub = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
        if (!sub) return { kind: 'error', message: `unexpected argument "${name}" (see --help)` };
        return sub.parse(args, config) ?? { kind: 'error', message: `usage: acr-streaming-mcp ${sub.usage}` };
    }
    if (config.transport === 'http' && !isLoopback(config.host) && !config.httpToken) {
        return {
            kind: 'error',
            message: `refusing to listen on non-loopback host ${config.host} without --http-token (or ${envName('http-token')})`
        };
    }
    return { kind: 'serve', config };
}

/**
 * node:util parseArgs has no optional option values, so a flag such as `--sandbox` that is followed by
 * nothing or by another option gets an explicit empty value (`--sandbox=`) before parsing; the flag's
 * schema reads '' as "present, no value". Everything after `--` is positional and left alone.
 */
export function withOptionalValues(argv: readonly string[]): string[] {
    const end = argv.indexOf('--');
    return argv.map((arg, i) => {
        if ((end >= 0 && i >= end) || !OPTIONAL_VALUE_FLAGS.has(arg)) return arg;
        const next = argv[i + 1];
        return next === undefined || next.startsWith('-') ? `${arg}=` : arg;
    });
}

function firstLine(e: unknown): string {
    return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
