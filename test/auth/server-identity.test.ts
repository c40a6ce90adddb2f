/**
 * --downstream-identity server: the user signs in and their roles gate the tools, but Azure sees the server's
 * own identity (no on-behalf-of exchange); --public-url names the origin clients use in the OAuth metadata.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTeamServer, type TeamServer } from '../helpers/team-server.js';
import { textOf } from '../helpers/mcp.js';
import { teamWorld } from './team-world.js';

let ts: TeamServer;
beforeAll(async () => {
    ts = await startTeamServer({ sandbox: { world: teamWorld() }, config: { downstreamIdentity: 'server' } });
});
afterAll(() => ts.close());

describe('--downstream-identity server', () => {
    it("calls Azure as the server, never on the user's behalf, while roles still gate the tools", async () => {
        const reader = await ts.connectAs('reader');
        const r = await reader.callTool({ name: 'acr_list_registries', arguments: {} });
        expect(r.isError, textOf(r)).toBeFalsy();
        expect(ts.sb.entra.issued.filter(i => i.grant === 'on_behalf_of')).toEqual([]);
        const arm = ts.sb.requestLog.entries(e => e.listener === 'arm');
        expect(arm.length).toBeGreaterThan(0);
        expect(arm.every(e => e.caller === undefined)).toBe(true);
        expect((await reader.listTools()).tools.map(t => t.name)).not.toContain('acr_set_repository_streaming');
    });
});

describe('--public-url', () => {
    it('names the origin clients reach the server at in the metadata and the challenge', async () => {
        const behind = await startTeamServer({ config: { publicUrl: 'https://mcp.contoso.example' } });
        try {
            const meta = (await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', behind.url))).json()) as { resource: string };
            expect(meta.resource).toBe('https://mcp.contoso.example/mcp');
            const res = await fetch(behind.url, { method: 'POST' });
            expect(res.headers.get('www-authenticate')).toBe('Bearer resource_metadata="https://mcp.contoso.example/.well-known/oauth-protected-resource/mcp"');
        } finally {
            await behind.close();
        }
    });
});
