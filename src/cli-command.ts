/**
 * argv + env → what the process should do. Flags come from config.ts's table; subcommands from
 * SUBCOMMANDS below (adding one is one entry there, one ParsedCommand case and one case in cli.ts).
 */
import { parseArgs } from 'node:util';
import { configFrom, envName, isLoopback, OPTIONAL_VALUE_FLAGS, parserOptions, type Config } from './config.js';

/** A command that runs one read tool once and prints its report (cli-report.ts). */
export interface ReportCommand {
    kind: 'report';
    tool: 'streaming_scan_registry' | 'streaming_scan_cluster' | 'streaming_diagnose';
    /** The tool's arguments, validated by the tool's own schema when it runs. */
    args: Record<string, unknown>;
    json: boolean;
    config: Config;
    /** diagnose --describe-file: a file of pasted kubectl output, or "-" for stdin; read into podDescription. */
    describeFile?: string;
}

export type ParsedCommand =
    | { kind: 'serve'; config: Config }
    | { kind: 'sandbox-serve'; world?: string; config: Config }
    | { kind: 'sandbox-token'; user: string; world?: string; config: Config }
    | ReportCommand
    | { kind: 'help' }
    | { kind: 'version' }
    | { kind: 'error'; message: string };

/** An option of one subcommand only: not a configuration flag, so no environment variable either. */
export interface SubcommandOption {
    type: 'string' | 'boolean';
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface Subcommand {
    /** The words after the program name, for --help and the usage error. */
    usage: string;
    help: string;
    options?: Record<string, SubcommandOption>;
    /** `args` are the positionals after the subcommand's name; undefined means "wrong usage". */
    parse(args: readonly string[], config: Config, options: OptionValues): ParsedCommand | undefined;
}

const text = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);
/** A number argument as the tool will see it; a non-number stays text so the tool's schema names the problem. */
const numberArg = (v: string | boolean | undefined) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : text(v));
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function report(tool: ReportCommand['tool'], args: Record<string, unknown>, config: Config, options: OptionValues): ReportCommand {
    return { kind: 'report', tool, args: defined(args), json: options.json === true, config };
}

export const SUBCOMMANDS: Record<string, Subcommand> = {
    diagnose: {
        usage: 'diagnose IMAGE [--cluster C] [--resource-group G] [--node-pool P] [--namespace N --pod P] [--describe-file F|-] [--json]',
        help: 'does IMAGE stream (on a cluster, for a pod, or from pasted kubectl output) and the fix; exit 0 streams, 1 will not stream, 3 unknown',
        options: {
            cluster: { type: 'string' },
            'resource-group': { type: 'string' },
            'node-pool': { type: 'string' },
            namespace: { type: 'string' },
            pod: { type: 'string' },
            'describe-file': { type: 'string' },
            json: { type: 'boolean' }
        },
        parse: (args, config, o) => {
            if (args.length !== 1) return undefined;
            const cmd = report(
                'streaming_diagnose',
                { image: args[0], cluster: text(o.cluster), resourceGroup: text(o['resource-group']), nodePool: text(o['node-pool']), namespace: text(o.namespace), pod: text(o.pod) },
                config,
                o
            );
            return text(o['describe-file']) ? { ...cmd, describeFile: text(o['describe-file']) } : cmd;
        }
    },
    sandbox: {
        usage: 'sandbox serve [world.json] | sandbox token --user NAME [world.json]',
        help: 'run only the emulator and print its endpoints; or print a sandbox user\'s access token for the team server (--auth entra)',
        options: { user: { type: 'string' } },
        parse: (args, config, o) => {
            const user = typeof o.user === 'string' ? o.user : undefined;
            if (args[0] === 'serve' && args.length <= 2 && user === undefined) return { kind: 'sandbox-serve', world: args[1], config };
            if (args[0] === 'token' && args.length <= 2 && user) return { kind: 'sandbox-token', user, world: args[1], config };
            return undefined;
        }
    },
    'scan-registry': {
        usage: 'scan-registry REGISTRY [--resource-group G] [--prefix P] [--limit N] [--json]',
        help: 'rank the images that would gain most from streaming; exit 0 all stream, 1 some do not, 3 unknown',
        options: { 'resource-group': { type: 'string' }, prefix: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
        parse: (args, config, o) =>
            args.length === 1
                ? report('streaming_scan_registry', { registry: args[0], resourceGroup: text(o['resource-group']), repositoryPrefix: text(o.prefix), limit: numberArg(o.limit) ?? 20 }, config, o)
                : undefined
    },
    'scan-cluster': {
        usage: 'scan-cluster CLUSTER [--resource-group G] [--namespace N] [--json]',
        help: 'every image running in an AKS cluster and why it does not stream; exit 0/1/3 as above',
        options: { 'resource-group': { type: 'string' }, namespace: { type: 'string' }, json: { type: 'boolean' } },
        parse: (args, config, o) =>
            args.length === 1 ? report('streaming_scan_cluster', { cluster: args[0], resourceGroup: text(o['resource-group']), namespace: text(o.namespace) }, config, o) : undefined
    }
};

/** Every subcommand option (by name, once), for the parser; which subcommand may use it is checked after. */
function subcommandOptions(): Record<string, SubcommandOption> {
    return Object.assign({}, ...Object.values(SUBCOMMANDS).map(s => s.options ?? {}));
}

export function parseCommand(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCommand {
    let parsed;
    try {
        parsed = parseArgs({
            args: withOptionalValues(argv),
            allowPositionals: true,
            strict: true,
            options: { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean', short: 'v' }, ...subcommandOptions(), ...parserOptions() }
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
    const sub = name !== undefined && Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
    const own = sub?.options ?? {};
    const given = values as Record<string, string | boolean | undefined>;
    const stray = Object.keys(subcommandOptions()).find(o => given[o] !== undefined && !Object.hasOwn(own, o));
    if (stray) {
        const users = Object.entries(SUBCOMMANDS).filter(([, s]) => s.options && Object.hasOwn(s.options, stray)).map(([n]) => n);
        return { kind: 'error', message: `--${stray} goes only with ${users.join(' or ')}` };
    }
    if (name !== undefined) {
        if (!sub) return { kind: 'error', message: `unexpected argument "${name}" (see --help)` };
        const options = Object.fromEntries(Object.keys(own).map(o => [o, given[o]]));
        return sub.parse(args, config, options) ?? { kind: 'error', message: `usage: acr-streaming-mcp ${sub.usage}` };
    }
    const refused = authConflict(config);
    if (refused) return { kind: 'error', message: refused };
    if (config.transport === 'http' && !isLoopback(config.host) && !config.httpToken && config.auth !== 'entra') {
        return {
            kind: 'error',
            message: `refusing to listen on non-loopback host ${config.host} without --http-token (or ${envName('http-token')}) or --auth entra`
        };
    }
    return { kind: 'serve', config };
}

/** --auth entra needs HTTP and its app registration (the sandbox provides one), and replaces the static token. */
function authConflict(config: Config): string | undefined {
    if (config.auth !== 'entra') {
        return config.downstreamIdentity ? '--downstream-identity needs --auth entra (without sign-in every call uses the server\'s identity)' : undefined;
    }
    if (config.transport !== 'http') return '--auth entra needs --transport http (stdio serves one local user)';
    if (config.httpToken) return '--auth entra and --http-token exclude each other: Entra sign-in replaces the static token';
    if (config.sandbox === undefined && (!config.entraTenant || !config.entraClientId)) return '--auth entra needs --entra-tenant and --entra-client-id (the server\'s app registration; docs/team-server.md)';
    return undefined;
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
