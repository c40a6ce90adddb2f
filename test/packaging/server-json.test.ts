/**
 * server.json, the entry for the MCP registry: checked against what the 2025-12-11 server.json schema
 * requires (https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json; the registry's
 * docs/reference/server-json/), and against this package: the same name (`mcpName` in package.json is how
 * the registry verifies npm ownership), version and bin, and one environment variable per flag that means
 * something over stdio, with the choices the flag accepts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { envName, FLAGS, flagName } from '../../src/config.js';
import { ROOT } from '../helpers/cli.js';

const SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
const read = (file: string): unknown => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));

// The schema's required fields and constraints that apply to an npm package with stdio transport.
const version = z.string().min(1).max(255).refine(v => v !== 'latest' && !/^[\^~<>=]|\.x$|\*/.test(v), 'a specific version, not a range');
const keyValueInput = z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    isRequired: z.boolean().optional(),
    isSecret: z.boolean().optional(),
    format: z.enum(['string', 'number', 'boolean', 'filepath']).optional(),
    default: z.string().optional(),
    choices: z.array(z.string()).optional()
});
const registryPackage = z.object({
    registryType: z.enum(['npm', 'pypi', 'nuget', 'oci', 'mcpb']),
    registryBaseUrl: z.url().optional(),
    identifier: z.string().min(1),
    version,
    runtimeHint: z.string().optional(),
    transport: z.object({ type: z.literal('stdio') }),
    environmentVariables: z.array(keyValueInput).optional()
});
const serverJson = z.object({
    $schema: z.literal(SCHEMA_URL),
    name: z.string().min(3).max(200).regex(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/),
    description: z.string().min(1).max(100),
    version,
    packages: z.array(registryPackage).min(1)
});

const pkg = read('package.json') as { name: string; version: string; mcpName?: string; bin: Record<string, string> };

/** Flags that only configure the HTTP mode (listening, sign-in, per-user identity); the registry entry is for the stdio package. */
const HTTP_ONLY = (key: string) => ['transport', 'host', 'port', 'auth', 'downstreamIdentity', 'publicUrl', 'allowedHost'].includes(key) || /^(http|entra)[A-Z]/.test(key);

function choicesOf(schema: z.ZodType): readonly string[] | undefined {
    const inner = schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType) : schema;
    return inner instanceof z.ZodEnum ? (inner.options as string[]) : undefined;
}

describe('server.json', () => {
    const parsed = serverJson.parse(read('server.json'));
    const npmPackage = parsed.packages.find(p => p.registryType === 'npm');

    it('has the fields the registry schema requires', () => {
        expect(npmPackage).toBeDefined();
        expect(() => serverJson.parse({ ...parsed, name: 'no-namespace' })).toThrow();
        expect(() => serverJson.parse({ ...parsed, version: '^1.0.0' })).toThrow();
    });

    it('describes this npm package: name, version and registry namespace', () => {
        expect(npmPackage?.identifier).toBe(pkg.name);
        expect(npmPackage?.version).toBe(pkg.version);
        expect(parsed.version).toBe(pkg.version);
        expect(pkg.mcpName).toBe(parsed.name);
        expect(Object.keys(pkg.bin)).toContain(pkg.name); // what npx runs
    });

    it('lists one environment variable per stdio flag, with the values the flag accepts', () => {
        const vars = npmPackage?.environmentVariables ?? [];
        const expected = Object.keys(FLAGS).filter(k => !HTTP_ONLY(k)).map(k => envName(flagName(k)));
        expect(vars.map(v => v.name).sort()).toEqual(expected.sort());
        for (const [key, spec] of Object.entries(FLAGS) as [string, { schema: z.ZodType }][]) {
            const v = vars.find(x => x.name === envName(flagName(key)));
            if (!v) continue;
            expect(v.description, v.name).toBeTruthy();
            const choices = choicesOf(spec.schema);
            if (choices) expect(v.choices, v.name).toEqual([...choices]);
            if (v.default !== undefined) expect(String(spec.schema.parse(undefined)), v.name).toBe(v.default);
        }
        expect(vars.find(v => v.name === envName('confirmation-key'))?.isSecret).toBe(true);
    });
});
