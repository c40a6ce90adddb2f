import { describe, expect, it } from 'vitest';
import { parseCommand } from '../src/cli-command.js';
import { emptyToolsetsError } from '../src/config.js';
import type { ToolDefinition } from '../src/tools/define-tool.js';
import { toolsetsWithTools } from '../src/tools/index.js';

describe('configuration from flags and environment', () => {
    it('defaults to stdio with every toolset, loopback and a writable server', () => {
        const c = parseCommand([], {});
        expect(c).toMatchObject({ kind: 'serve', config: { transport: 'stdio', host: '127.0.0.1', readOnly: false, toolsets: ['knowledge', 'acr', 'aks', 'diagnose'] } });
    });

    it('reads every flag from ACR_STREAMING_MCP_* and lets the flag win', () => {
        const env = { ACR_STREAMING_MCP_TRANSPORT: 'http', ACR_STREAMING_MCP_PORT: '9000', ACR_STREAMING_MCP_READ_ONLY: 'true', ACR_STREAMING_MCP_TOOLSETS: 'knowledge' };
        expect(parseCommand([], env)).toMatchObject({ config: { transport: 'http', port: 9000, readOnly: true, toolsets: ['knowledge'] } });
        expect(parseCommand(['--port', '9001', '--toolsets', 'acr,aks'], env)).toMatchObject({ config: { port: 9001, toolsets: ['acr', 'aks'] } });
    });

    it.each([
        [['--transport', 'carrier-pigeon'], /invalid --transport .*ACR_STREAMING_MCP_TRANSPORT/],
        [['--port', '70000'], /invalid --port/],
        [['--toolsets', 'acr,nope'], /invalid --toolsets/],
        [['--log-level', 'loud'], /invalid --log-level/],
        [['--http-token', 'short'], /invalid --http-token .*16 characters/],
        [['--subscription', 'not-a-guid'], /invalid --subscription/],
        [['--cloud', 'Mars'], /invalid --cloud/],
        [['--frobnicate'], /Unknown option '--frobnicate'/],
        [['serve-it'], /unexpected argument "serve-it"/],
        [['sandbox', 'start'], /usage: acr-streaming-mcp sandbox serve/]
    ])('rejects %j with one clear line', (argv, message) => {
        const c = parseCommand(argv, {});
        expect(c.kind).toBe('error');
        if (c.kind === 'error') {
            expect(c.message).toMatch(message);
            expect(c.message).not.toContain('\n');
        }
    });

    it('refuses a non-loopback HTTP listener without a token, accepts it with one', () => {
        const bare = parseCommand(['--transport', 'http', '--host', '0.0.0.0'], {});
        expect(bare).toMatchObject({ kind: 'error', message: expect.stringMatching(/non-loopback host 0.0.0.0 without --http-token/) });
        const withToken = parseCommand(['--transport', 'http', '--host', '0.0.0.0', '--http-token', 'a-long-enough-secret'], {});
        expect(withToken.kind).toBe('serve');
    });

    it('takes an IPv6 host bracketed or bare, and knows ::1 is loopback', () => {
        expect(parseCommand(['--transport', 'http', '--host', '[::1]'], {})).toMatchObject({ kind: 'serve', config: { host: '::1' } });
        expect(parseCommand(['--transport', 'http', '--host', '::1'], {})).toMatchObject({ kind: 'serve', config: { host: '::1' } });
        expect(parseCommand(['--transport', 'http', '--host', '[fd00::5]'], {})).toMatchObject({ kind: 'error' });
    });

    it('takes --sandbox with or without a world path', () => {
        expect(parseCommand(['--sandbox'], {})).toMatchObject({ config: { sandbox: true } });
        expect(parseCommand(['--sandbox', '--read-only'], {})).toMatchObject({ config: { sandbox: true, readOnly: true } });
        expect(parseCommand(['--sandbox', 'w.json'], {})).toMatchObject({ config: { sandbox: 'w.json' } });
        expect(parseCommand(['sandbox', 'serve', 'w.json'], {})).toMatchObject({ kind: 'sandbox-serve', world: 'w.json' });
    });

    it('takes a bare --sandbox before -- and reads the environment switch', () => {
        expect(parseCommand(['--sandbox', '--'], {})).toMatchObject({ kind: 'serve', config: { sandbox: true } });
        expect(parseCommand([], { ACR_STREAMING_MCP_SANDBOX: '1' })).toMatchObject({ config: { sandbox: true } });
        expect(parseCommand([], { ACR_STREAMING_MCP_SANDBOX: 'false' })).toMatchObject({ config: { sandbox: undefined } });
    });

    it('refuses a toolset selection that would register no tool, from the real tool list', () => {
        const config = (argv: string[]) => {
            const c = parseCommand(argv, {});
            if (c.kind !== 'serve') throw new Error(`expected serve, got ${c.kind}`);
            return c.config;
        };
        // Every toolset has a read tool now, so the real list accepts any selection.
        for (const toolsets of ['diagnose', 'diagnose,aks', 'knowledge']) {
            const c = config(['--toolsets', toolsets, '--read-only']);
            expect(emptyToolsetsError(c, toolsetsWithTools(c))).toBeUndefined();
        }
        const tool = (toolset: ToolDefinition['toolset']) => ({ toolset, kind: 'read' }) as ToolDefinition;
        const diagnose = config(['--toolsets', 'diagnose']);
        expect(emptyToolsetsError(diagnose, toolsetsWithTools(diagnose, [tool('knowledge'), tool('acr'), tool('aks')]))).toMatch(
            /^invalid --toolsets .*diagnose registers no tool; toolsets with tools: knowledge,acr,aks$/
        );
    });

    it('counts --read-only when it decides a toolset has no tool', () => {
        const tool = (toolset: ToolDefinition['toolset'], kind: ToolDefinition['kind']) => ({ toolset, kind }) as ToolDefinition;
        const tools = [tool('knowledge', 'read'), tool('acr', 'change')];
        expect(toolsetsWithTools({ readOnly: false }, tools)).toEqual(['knowledge', 'acr']);
        expect(toolsetsWithTools({ readOnly: true }, tools)).toEqual(['knowledge']);
        expect(emptyToolsetsError({ toolsets: ['acr'], readOnly: true }, ['knowledge'])).toMatch(/acr registers no tool with --read-only/);
        expect(emptyToolsetsError({ toolsets: ['acr'], readOnly: false }, ['knowledge', 'acr'])).toBeUndefined();
    });
});
