import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLAG_HELP } from '../../src/cli-help.js';
import { configSchema, envName, FLAG_NAMES } from '../../src/config.js';
import { ROOT, runCli } from '../helpers/cli.js';

describe('the built CLI', () => {
    it('prints --version from package.json', async () => {
        const { code, stdout } = await runCli(['--version']);
        expect(code).toBe(0);
        expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('documents every flag and its environment variable in --help', async () => {
        expect(FLAG_HELP.map(([flag]) => flag).sort()).toEqual([...FLAG_NAMES].sort());
        const { code, stdout } = await runCli(['--help']);
        expect(code).toBe(0);
        for (const flag of FLAG_NAMES) {
            expect(stdout).toContain(`--${flag}`);
            expect(stdout).toContain(envName(flag));
        }
    });

    it("lists every flag and its environment variable in the README's flag table", () => {
        const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
        const rows = [...readme.matchAll(/^\| `--([a-z-]+)[^`]*` \| `([A-Z_]+)` \|/gm)].map(m => [m[1], m[2]]);
        expect(rows.map(([flag]) => flag).sort()).toEqual([...FLAG_NAMES].sort());
        for (const [flag, env] of rows) expect(env, `--${flag}`).toBe(envName(flag!));
    });

    it('states the defaults the schema applies', () => {
        const defaults = configSchema.parse({}) as Record<string, unknown>;
        const key = (flag: string) => flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
        for (const [flag, , help] of FLAG_HELP) {
            const stated = /\(default ([^;)]+)/.exec(help)?.[1];
            if (stated === undefined || stated === 'all') continue;
            expect(String(defaults[key(flag)]), `--${flag}`).toBe(stated);
        }
    });

    it.each([
        [['--transport', 'smoke-signals'], /invalid --transport/],
        [['--bogus'], /Unknown option/],
        [['--transport', 'http', '--host', '0.0.0.0'], /non-loopback/],
        [['--toolsets', 'nonsense'], /invalid --toolsets/]
    ])('exits 2 with one clear stderr line for %j', async (args, message) => {
        const { code, stdout, stderr } = await runCli(args);
        expect(code).toBe(2);
        expect(stdout).toBe('');
        expect(stderr.trim().split('\n')).toHaveLength(1);
        expect(stderr).toMatch(message);
    });

    it('reads flags from the environment too', async () => {
        const { code, stderr } = await runCli([], { env: { ACR_STREAMING_MCP_LOG_LEVEL: 'chatty' } });
        expect(code).toBe(2);
        expect(stderr).toMatch(/invalid --log-level \(or ACR_STREAMING_MCP_LOG_LEVEL\)/);
    });
});
