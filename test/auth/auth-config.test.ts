/** The --auth entra flags: what they need, what they exclude, and what stays as it was without them. */
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/cli-command.js';

const TENANT = ['--entra-tenant', '0f0f0f0f-0000-4000-8000-00000000000e', '--entra-client-id', '33333333-3333-4333-8333-333333333333'];

describe('--auth entra on the command line', () => {
    it.each([
        [['--auth', 'entra'], /needs --transport http/],
        [['--auth', 'entra', '--transport', 'http'], /needs --entra-tenant and --entra-client-id/],
        [['--auth', 'entra', '--transport', 'http', '--http-token', 'a-static-token-of-16+', ...TENANT], /exclude each other/],
        [['--downstream-identity', 'obo'], /needs --auth entra/],
        [['--auth', 'entra', '--transport', 'http', '--entra-client-id', 'not-a-guid', '--entra-tenant', 'contoso.onmicrosoft.com'], /invalid --entra-client-id/],
        [['sandbox', 'token'], /usage: acr-streaming-mcp sandbox/],
        [['--user', 'reader'], /--user goes only with sandbox/]
    ])('refuses %j', (argv, message) => {
        const c = parseCommand(argv, {});
        expect(c.kind).toBe('error');
        expect(c.kind === 'error' ? c.message : '').toMatch(message);
    });

    it('serves with the app registration, and on a non-loopback host without --http-token', () => {
        const c = parseCommand(['--auth', 'entra', '--transport', 'http', '--host', '0.0.0.0', ...TENANT, '--entra-audience', 'api://acr-streaming, 33333333-3333-4333-8333-333333333333'], {});
        expect(c).toMatchObject({ kind: 'serve', config: { auth: 'entra', entraScope: 'Streaming.Access', entraAudience: ['api://acr-streaming', '33333333-3333-4333-8333-333333333333'] } });
    });

    it('needs no tenant or client id with --sandbox (the sandbox has its own), and parses `sandbox token --user`', () => {
        expect(parseCommand(['--sandbox', '--auth', 'entra', '--transport', 'http'], {})).toMatchObject({ kind: 'serve' });
        expect(parseCommand(['sandbox', 'token', '--user', 'reader'], {})).toMatchObject({ kind: 'sandbox-token', user: 'reader' });
    });

    it('leaves the other modes as they were: no sign-in, and non-loopback still needs --http-token', () => {
        expect(parseCommand([], {})).toMatchObject({ kind: 'serve', config: { auth: 'none' } });
        expect(parseCommand(['--transport', 'http', '--host', '0.0.0.0'], {})).toMatchObject({ kind: 'error' });
    });
});
