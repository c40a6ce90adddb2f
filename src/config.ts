/**
 * Configuration: one table declares every flag (its zod type with the default, its help line); the zod
 * schema, the parser's option list, the environment variable names and --help are all generated from it.
 * Every flag also reads from ACR_STREAMING_MCP_<FLAG>; flags win. A bad value becomes one clear line.
 * To add a flag, add one entry to FLAGS (the key is the camelCase config key; the flag is its kebab-case).
 */
import * as z from 'zod/v4';
import { CLOUDS, type CloudName } from './azure/cloud.js';
import { LOG_LEVELS } from './log.js';
import { TOOLSETS, type Toolset } from './tools/toolsets.js';
import { CONFIRM_MODES } from './tools/change/confirm-modes.js';

export interface FlagSpec {
    /** Validates (and converts) the text from argv or the environment; carries the default. */
    schema: z.ZodType;
    /** The placeholder --help shows after the flag: '' for a switch, '[X]' for an optional value. */
    value: string;
    help: string;
    /** A switch: `--read-only` alone means true (from the environment: true/false/1/0/yes/no). */
    boolean?: true;
    /** The value may be left out: a bare `--sandbox` (followed by nothing or by another option) reads as ''. */
    optionalValue?: true;
    /** What --help states as the default when the schema's own default would read badly. */
    defaultText?: string;
    /** May be given more than once (`--allowed-host a --allowed-host b`); from the environment: a comma list. */
    multiple?: true;
}

const boolText = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])]).transform(v => v === true || v === 'true' || v === '1' || v === 'yes');
const intText = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const CLOUD_NAMES = Object.keys(CLOUDS) as [CloudName, ...CloudName[]];

/**
 * Host names for the Host check: each a DNS name or IPv4 address (an IPv6 one bracketed), no scheme, port or
 * path (the check compares names; any port passes), in the normal form validateHostHeader compares (lowercase).
 * No wildcards: a suffix pattern would let a rebinding page pick a matching name.
 */
const HOST_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$|^\[[0-9a-f:.]+\]$/;
const hostList = z
    .union([z.string(), z.array(z.string())])
    .transform(v => [v].flat().flatMap(s => s.split(',')).map(h => h.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(HOST_NAME, 'must be a host name such as acr-streaming-mcp.platform.svc.cluster.local (no scheme, port, path or wildcard)')));

export const FLAGS = {
    transport: { schema: z.enum(['stdio', 'http']).default('stdio'), value: 'stdio|http', help: 'how clients connect' },
    host: {
        // An IPv6 address may come bracketed as in a URL; listen() and the Host allow-list want it bare.
        schema: z.string().min(1).transform(h => h.replace(/^\[(.+)\]$/, '$1')).default('127.0.0.1'),
        value: 'HOST',
        help: 'HTTP bind address; non-loopback requires --http-token or --auth entra'
    },
    port: { schema: intText(0, 65535).default(8765), value: 'PORT', help: 'HTTP port; 0 picks a free one' },
    httpToken: {
        schema: z.string().min(16, 'must be at least 16 characters').optional(),
        value: 'TOKEN',
        help: 'require "Authorization: Bearer TOKEN" on /mcp (at least 16 characters)'
    },
    auth: {
        schema: z.enum(['none', 'entra']).default('none'),
        value: 'none|entra',
        help: 'entra: HTTP clients sign users in with Microsoft Entra ID (team server, docs/team-server.md)'
    },
    entraTenant: { schema: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a tenant id or domain').optional(), value: 'ID', help: 'tenant of the server\'s app registration (--auth entra)' },
    entraClientId: { schema: z.guid('must be an application (client) id (GUID)').optional(), value: 'ID', help: 'the server\'s app registration (--auth entra)' },
    entraAudience: {
        schema: z.string().transform(s => s.split(',').map(a => a.trim()).filter(Boolean)).optional(),
        value: 'LIST',
        help: 'accepted token audiences (unset: the client id and api://<client id>)'
    },
    entraScope: { schema: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be a scope name such as Streaming.Access').default('Streaming.Access'), value: 'NAME', help: 'delegated scope every token must carry' },
    entraCertificate: { schema: z.string().min(1).optional(), value: 'PATH', help: 'PEM (key + certificate) of the app registration for on-behalf-of (default: workload identity)' },
    downstreamIdentity: {
        schema: z.enum(['obo', 'server']).optional(),
        value: 'obo|server',
        help: 'Azure calls as the signed-in user (on-behalf-of; unset with --auth entra) or as the server\'s own identity'
    },
    publicUrl: { schema: z.url({ protocol: /^https?$/ }).optional(), value: 'URL', help: 'origin clients reach this server at (behind an ingress), for the OAuth metadata and as an accepted Host' },
    allowedHost: {
        // Unset: only the bind address's names and --public-url's host pass the DNS-rebinding check (src/transports/http.ts).
        schema: hostList.optional(),
        value: 'NAME',
        multiple: true,
        help: 'another Host name clients use, e.g. a Kubernetes Service\'s DNS names'
    },
    httpMaxSessions: { schema: intText(1, 10_000).default(100), value: 'N', help: 'cap on open 2025-era HTTP sessions' },
    httpSessionIdleSeconds: { schema: intText(10, 86_400).default(1800), value: 'S', help: 'close an HTTP session idle this long' },
    httpMaxBodyBytes: { schema: intText(1024, 64 * 1024 * 1024).default(1024 * 1024), value: 'N', help: 'largest accepted HTTP request body' },
    readOnly: { schema: boolText.default(false), value: '', boolean: true, help: 'register no tool that changes anything' },
    toolsets: {
        schema: z
            .string()
            .transform(s => s.split(',').map(t => t.trim()).filter(Boolean))
            .pipe(z.array(z.enum(TOOLSETS)).min(1, 'name at least one toolset'))
            .default([...TOOLSETS]),
        value: 'LIST',
        help: `comma list of ${TOOLSETS.join(',')}`,
        defaultText: 'all'
    },
    logLevel: { schema: z.enum(LOG_LEVELS).default('info'), value: 'LEVEL', help: `${LOG_LEVELS.join('|')}, written to stderr` },
    toolTimeoutSeconds: {
        // 45 s: below the 60 s after which the most common clients (the v1 SDK's default) stop waiting (src/tools/call-deadline.ts).
        schema: intText(1, 3600).default(45),
        value: 'S',
        help: 'time limit of one tool call; keep it below your client\'s request timeout'
    },
    sandbox: {
        // Bare --sandbox (''), or true/1 from the environment: the demo world; false/0: no sandbox.
        schema: z.preprocess(
            v => (v === '' || v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? undefined : v),
            z.union([z.literal(true), z.string().min(1)]).optional()
        ),
        value: '[WORLD]',
        optionalValue: true,
        help: 'serve against the built-in Azure emulator (demo world, or WORLD.json) instead of Azure'
    },
    subscription: {
        schema: z.guid('must be a subscription id (GUID)').optional(),
        value: 'ID',
        // Not a schema default: Azure access looks these up when the flag is absent.
        help: 'Azure subscription (default: AZURE_SUBSCRIPTION_ID, then the az CLI default)'
    },
    tenant: { schema: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a tenant id or domain').optional(), value: 'ID', help: 'Microsoft Entra tenant for credentials' },
    cloud: { schema: z.enum(CLOUD_NAMES).default('AzureCloud'), value: 'NAME', help: CLOUD_NAMES.join('|') },
    confirmationKey: {
        schema: z.string().min(1).optional(),
        value: 'KEY',
        help: 'HMAC key of change-tool confirmation tokens (32+ characters), or file:PATH; replicas sharing it accept each other\'s tokens (default: random per process)'
    },
    confirm: { schema: z.enum(CONFIRM_MODES).default('auto'), value: 'MODE', help: 'auto|token|elicit: how a change is confirmed (elicitation form when the client can, or plan + token)' }
} satisfies Record<string, FlagSpec>;

export type ConfigKey = keyof typeof FLAGS;

export const configSchema = z.strictObject(
    Object.fromEntries(Object.entries(FLAGS).map(([key, spec]) => [key, spec.schema])) as { [K in ConfigKey]: (typeof FLAGS)[K]['schema'] }
);

export type Config = z.output<typeof configSchema>;

/** `httpMaxBodyBytes` → `http-max-body-bytes`. */
export function flagName(key: string): string {
    return key.replace(/[A-Z]/g, c => '-' + c.toLowerCase());
}

export function envName(flag: string): string {
    return 'ACR_STREAMING_MCP_' + flag.toUpperCase().replace(/-/g, '_');
}

/** Every configuration flag (kebab-case), in table order. */
export const FLAG_NAMES = Object.keys(FLAGS).map(flagName);

const FLAG_SPECS = Object.entries(FLAGS).map(([key, spec]: [string, FlagSpec]) => ({ key, flag: flagName(key), spec }));

/** The option list for node:util parseArgs, flags only (cli-command.ts adds --help and --version). */
export function parserOptions(): Record<string, { type: 'string' | 'boolean'; multiple?: true }> {
    return Object.fromEntries(FLAG_SPECS.map(({ flag, spec }) => [flag, { type: spec.boolean ? 'boolean' : 'string', ...(spec.multiple ? { multiple: true as const } : {}) }]));
}

/** The flags whose value may be left out, as they appear on the command line (`--sandbox`). */
export const OPTIONAL_VALUE_FLAGS: ReadonlySet<string> = new Set(FLAG_SPECS.filter(f => f.spec.optionalValue).map(f => `--${f.flag}`));

/** Builds the Config from parsed flag values (by flag name) and the environment; flags win, an empty env var is unset. */
export function configFrom(values: Record<string, unknown>, env: NodeJS.ProcessEnv): { config: Config } | { error: string } {
    const raw: Record<string, unknown> = {};
    for (const { key, flag } of FLAG_SPECS) {
        const fromEnv = env[envName(flag)];
        const value = values[flag] ?? (fromEnv === '' ? undefined : fromEnv);
        if (value !== undefined) raw[key] = value;
    }
    const result = configSchema.safeParse(raw);
    if (result.success) return { config: result.data };
    const issue = result.error.issues[0];
    const flag = flagName(String(issue?.path[0] ?? ''));
    return { error: `invalid --${flag} (or ${envName(flag)}): ${issue?.message ?? 'not valid'}` };
}

/** What --help states as a flag's default, from the schema itself; undefined when it has none. */
export function defaultText(key: ConfigKey): string | undefined {
    const spec: FlagSpec = FLAGS[key];
    if (spec.defaultText !== undefined) return spec.defaultText;
    const parsed = spec.schema.safeParse(undefined);
    return parsed.success && parsed.data !== undefined ? String(parsed.data) : undefined;
}

/**
 * Refuses a selection that would serve no tool (e.g. `--toolsets diagnose` while no diagnose tool exists,
 * or only change toolsets with --read-only). `withTools` are the toolsets that have a tool under this
 * --read-only setting, computed from the real tool list by the caller (tools/index.ts).
 */
export function emptyToolsetsError(config: Pick<Config, 'toolsets' | 'readOnly'>, withTools: readonly Toolset[]): string | undefined {
    if (config.toolsets.some(t => withTools.includes(t))) return undefined;
    return (
        `invalid --toolsets (or ${envName('toolsets')}): ${config.toolsets.join(',')} registers no tool${config.readOnly ? ' with --read-only' : ''}; ` +
        `toolsets with tools: ${withTools.join(',')}`
    );
}

export function isLoopback(host: string): boolean {
    return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
