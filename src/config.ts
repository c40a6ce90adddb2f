/**
 * Configuration: every flag also as an ACR_STREAMING_MCP_* environment variable, flags win, and one zod
 * schema decides what is valid. A bad value becomes one clear line (cli.ts prints it and exits 2).
 */
import { parseArgs } from 'node:util';
import * as z from 'zod/v4';
import { LOG_LEVELS } from './log.js';
import { TOOLSETS, type Toolset } from './tools/define-tool.js';

export const CLOUDS = ['AzureCloud', 'AzureChinaCloud', 'AzureUSGovernment'] as const;

const boolText = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])]).transform(v => v === true || v === 'true' || v === '1' || v === 'yes');
const intText = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const configSchema = z.strictObject({
    transport: z.enum(['stdio', 'http']).default('stdio'),
    // An IPv6 address may come bracketed as in a URL; listen() and the Host allow-list want it bare.
    host: z.string().min(1).transform(h => h.replace(/^\[(.+)\]$/, '$1')).default('127.0.0.1'),
    port: intText(0, 65535).default(8765),
    httpToken: z.string().min(16, 'must be at least 16 characters').optional(),
    httpMaxSessions: intText(1, 10_000).default(100),
    httpSessionIdleSeconds: intText(10, 86_400).default(1800),
    httpMaxBodyBytes: intText(1024, 64 * 1024 * 1024).default(1024 * 1024),
    readOnly: boolText.default(false),
    toolsets: z
        .string()
        .transform(s => s.split(',').map(t => t.trim()).filter(Boolean))
        .pipe(z.array(z.enum(TOOLSETS as [Toolset, ...Toolset[]])).min(1, 'name at least one toolset'))
        .default([...TOOLSETS]),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    sandbox: z.union([z.literal(true), z.string().min(1)]).optional(),
    subscription: z.guid('must be a subscription id (GUID)').optional(),
    tenant: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a tenant id or domain').optional(),
    cloud: z.enum(CLOUDS).default('AzureCloud')
});

export type Config = z.output<typeof configSchema>;

/** Flag name (kebab-case) → config key; the env var is ACR_STREAMING_MCP_ + the flag in SCREAMING_SNAKE. */
const FLAGS = {
    transport: 'transport',
    host: 'host',
    port: 'port',
    'http-token': 'httpToken',
    'http-max-sessions': 'httpMaxSessions',
    'http-session-idle-seconds': 'httpSessionIdleSeconds',
    'http-max-body-bytes': 'httpMaxBodyBytes',
    'read-only': 'readOnly',
    toolsets: 'toolsets',
    'log-level': 'logLevel',
    sandbox: 'sandbox',
    subscription: 'subscription',
    tenant: 'tenant',
    cloud: 'cloud'
} as const satisfies Record<string, keyof Config>;

/** Every configuration flag, for --help and its test. */
export const FLAG_NAMES = Object.keys(FLAGS) as (keyof typeof FLAGS)[];

const BOOLEAN_FLAGS = new Set(['read-only']);

export function envName(flag: string): string {
    return 'ACR_STREAMING_MCP_' + flag.toUpperCase().replace(/-/g, '_');
}

export type ParsedCommand =
    | { kind: 'serve'; config: Config }
    | { kind: 'sandbox-serve'; world?: string; config: Config }
    | { kind: 'help' }
    | { kind: 'version' }
    | { kind: 'error'; message: string };

export function parseCommand(argv: string[], env: NodeJS.ProcessEnv): ParsedCommand {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            strict: true,
            options: {
                help: { type: 'boolean', short: 'h' },
                version: { type: 'boolean', short: 'v' },
                ...Object.fromEntries(Object.keys(FLAGS).map(f => [f, { type: BOOLEAN_FLAGS.has(f) ? 'boolean' : 'string' } as const]))
            }
        });
    } catch (e) {
        // `--sandbox` with no value is allowed: it means "the demo world".
        const sandboxIndex = argv.indexOf('--sandbox');
        if (sandboxIndex >= 0 && (sandboxIndex === argv.length - 1 || argv[sandboxIndex + 1]!.startsWith('--'))) {
            return parseCommand([...argv.slice(0, sandboxIndex), '--sandbox=', ...argv.slice(sandboxIndex + 1)], env);
        }
        return { kind: 'error', message: (e as Error).message.split('\n')[0]! };
    }
    const { values, positionals } = parsed;
    if (values.help) return { kind: 'help' };
    if (values.version) return { kind: 'version' };

    const raw: Record<string, unknown> = {};
    for (const [flag, key] of Object.entries(FLAGS)) {
        const fromFlag = (values as Record<string, unknown>)[flag];
        const fromEnv = env[envName(flag)];
        const value = fromFlag ?? (fromEnv === '' ? undefined : fromEnv);
        if (value !== undefined) raw[key] = value;
    }
    if (raw.sandbox === '' || raw.sandbox === 'true' || raw.sandbox === '1') raw.sandbox = true;
    if (raw.sandbox === 'false' || raw.sandbox === '0') delete raw.sandbox;

    const result = configSchema.safeParse(raw);
    if (!result.success) {
        const issue = result.error.issues[0]!;
        const key = String(issue.path[0] ?? '');
        const flag = Object.entries(FLAGS).find(([, k]) => k === key)?.[0] ?? key;
        return { kind: 'error', message: `invalid --${flag} (or ${envName(flag)}): ${issue.message}` };
    }
    const config = result.data;

    if (positionals[0] === 'sandbox') {
        if (positionals[1] !== 'serve' || positionals.length > 3) {
            return { kind: 'error', message: 'usage: acr-streaming-mcp sandbox serve [world.json]' };
        }
        return { kind: 'sandbox-serve', world: positionals[2], config };
    }
    if (positionals.length > 0) return { kind: 'error', message: `unexpected argument "${positionals[0]}" (see --help)` };
    if (config.transport === 'http' && !isLoopback(config.host) && !config.httpToken) {
        return {
            kind: 'error',
            message: `refusing to listen on non-loopback host ${config.host} without --http-token (or ${envName('http-token')})`
        };
    }
    return { kind: 'serve', config };
}

export function isLoopback(host: string): boolean {
    return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
