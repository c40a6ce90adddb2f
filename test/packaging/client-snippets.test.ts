/**
 * The client configuration snippets in README.md ("Use it from your MCP client") must stay copy-pasteable:
 * each parses, has the shape its client reads, and starts our CLI (the built dist/cli.js or the package's
 * bin through npx) with flags the CLI accepts. Shapes: Claude Desktop and Cursor read `mcpServers`
 * (https://modelcontextprotocol.io/quickstart/user, https://docs.cursor.com/context/model-context-protocol),
 * VS Code reads `servers` with a `type` (https://code.visualstudio.com/docs/copilot/chat/mcp-servers),
 * Claude Code takes `claude mcp add NAME -- COMMAND ARGS` (https://docs.anthropic.com/en/docs/claude-code/mcp).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/v4';
import { parseCommand } from '../../src/cli-command.js';
import { ROOT } from '../helpers/cli.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const BIN = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin)[0];

/** The fenced block that follows the first line starting with `label`. */
function snippet(label: string): { lang: string; body: string } {
    const at = README.split('\n').findIndex(l => l.startsWith(label));
    if (at < 0) throw new Error(`README.md has no line starting with "${label}"`);
    const m = /```(\w+)\n([\s\S]*?)```/.exec(README.split('\n').slice(at + 1).join('\n'));
    if (!m?.[1] || m[2] === undefined) throw new Error(`no code block after "${label}"`);
    return { lang: m[1], body: m[2] };
}

const stdioServer = z.strictObject({ command: z.string(), args: z.array(z.string()), env: z.record(z.string(), z.string()).optional() });
const desktopConfig = z.strictObject({ mcpServers: z.record(z.string(), stdioServer) });
const vscodeConfig = z.strictObject({ servers: z.record(z.string(), stdioServer.extend({ type: z.literal('stdio') })) });

/** Checks that command + args start our server and that the rest are flags it accepts. */
function expectStartsOurServer(command: string, args: string[]): void {
    let rest: string[];
    if (command === 'node') {
        expect(args[0]).toMatch(/(^|\/)dist\/cli\.js$/);
        rest = args.slice(1);
    } else {
        expect(command).toBe('npx');
        const at = args.indexOf(BIN ?? '');
        expect(at, `npx args name the ${BIN} bin`).toBeGreaterThanOrEqual(0);
        rest = args.slice(at + 1);
    }
    expect(parseCommand(rest, {}).kind).toBe('serve');
}

function expectServers(servers: Record<string, { command: string; args: string[] }>): void {
    expect(Object.keys(servers).length).toBeGreaterThan(0);
    for (const s of Object.values(servers)) expectStartsOurServer(s.command, s.args);
}

describe('README client snippets', () => {
    it.each(['Claude Desktop', 'Cursor'])('%s: mcpServers with a command that starts the CLI', label => {
        const { lang, body } = snippet(label);
        expect(lang).toBe('json');
        expectServers(desktopConfig.parse(JSON.parse(body)).mcpServers);
    });

    it('VS Code: servers with type stdio', () => {
        const { lang, body } = snippet('VS Code');
        expect(lang).toBe('json');
        expectServers(vscodeConfig.parse(JSON.parse(body)).servers);
    });

    it('Claude Code: claude mcp add NAME -- COMMAND ARGS', () => {
        const { lang, body } = snippet('Claude Code');
        expect(lang).toBe('bash');
        const lines = body.split('\n').filter(l => l.trim() !== '' && !l.startsWith('#'));
        expect(lines.length).toBeGreaterThan(0);
        for (const line of lines) {
            const m = /^claude mcp add (?:--scope \w+ )?([\w-]+) -- (\S+)((?: \S+)*)$/.exec(line.replace(/\s+#.*$/, '').trim());
            expect(m, line).not.toBeNull();
            expectStartsOurServer(m?.[2] ?? '', (m?.[3] ?? '').trim().split(' ').filter(Boolean));
        }
    });

    it('a malformed snippet would be caught (the checks are not vacuous)', () => {
        expect(() => desktopConfig.parse({ servers: {} })).toThrow();
        expect(() => vscodeConfig.parse({ servers: { a: { command: 'node', args: [] } } })).toThrow();
        expect(() => expectStartsOurServer('node', ['/x/dist/cli.js', '--no-such-flag'])).toThrow();
    });
});
