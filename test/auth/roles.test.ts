/**
 * App roles of the team server (--auth entra): readers see and run read tools only, a change call names the
 * missing role; operators plan, confirm and apply; a confirmation is bound to the user who planned it; the
 * audit line names who applied it. Both protocol eras.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTeamServer, type TeamServer } from '../helpers/team-server.js';
import { ERAS, textOf } from '../helpers/mcp.js';
import { teamWorld } from './team-world.js';

const TOOL = 'acr_set_repository_streaming';
const ARGS = { registry: 'changeacr', repository: 'ml/trainer', enabled: true };
const audit: string[] = [];

let ts: TeamServer;
beforeAll(async () => {
    ts = await startTeamServer({ sandbox: { world: teamWorld(), behaviour: { conversionSeconds: 0.3 } }, audit: line => audit.push(line), config: { confirm: 'token' } });
});
afterAll(() => ts.close());

const errorCode = (r: unknown) => ((r as { _meta?: Record<string, { code?: string }> })._meta?.['acr-streaming-mcp/error']?.code);

describe.each(ERAS)('app roles (%s era)', era => {
    it('a reader lists no change tool and a change call is refused naming Streaming.Operate', async () => {
        const reader = await ts.connectAs('reader', era);
        const names = (await reader.listTools()).tools.map(t => t.name);
        expect(names).toContain('acr_get_repository_streaming');
        expect(names).not.toContain(TOOL);
        const refused = await reader.callTool({ name: TOOL, arguments: ARGS });
        expect(refused.isError).toBe(true);
        expect(errorCode(refused)).toBe('ROLE_REQUIRED');
        expect(textOf(refused)).toMatch(/needs the Streaming\.Operate app role/);
        const read = await reader.callTool({ name: 'acr_get_repository_streaming', arguments: { registry: 'changeacr', repository: 'ml/trainer' } });
        expect(read.isError, textOf(read)).toBeFalsy();
    });

    it('a user without any app role may not even read', async () => {
        const nobody = await ts.connectAs('nobody', era);
        const r = await nobody.callTool({ name: 'acr_list_registries', arguments: {} });
        expect(errorCode(r)).toBe('ROLE_REQUIRED');
        expect(textOf(r)).toMatch(/Streaming\.Read/);
    });
});

describe('operators and confirmations', () => {
    it("refuses one operator's confirmation token to another operator, then applies it for its owner, with oid and upn in the audit line", async () => {
        const op = await ts.connectAs('operator');
        const op2 = await ts.connectAs('operator2');
        const plan = (await op.callTool({ name: TOOL, arguments: ARGS })).structuredContent as { status: string; confirmationToken?: string };
        expect(plan.status).toBe('plan');
        const stolen = await op2.callTool({ name: TOOL, arguments: { ...ARGS, confirmationToken: plan.confirmationToken } });
        expect(stolen.isError).toBe(true);
        expect(errorCode(stolen)).toBe('CONFIRMATION_MISMATCH');
        expect(textOf(stolen)).toMatch(/issued to another user/);
        const applied = await op.callTool({ name: TOOL, arguments: { ...ARGS, confirmationToken: plan.confirmationToken } });
        expect(applied.isError, textOf(applied)).toBeFalsy();
        expect(applied.structuredContent).toMatchObject({ status: 'applied' });
        const line = JSON.parse(audit.at(-1) ?? '{}') as Record<string, unknown>;
        expect(line).toMatchObject({ tool: TOOL, oid: '22222222-2222-4222-8222-222222222222', upn: 'operator@contoso.example', confirmedBy: 'token' });
    });

    it('an operator whose own Azure roles cannot write is refused by Azure, not by the server', async () => {
        const auditor = await ts.connectAs('auditor');
        const args = { registry: 'changeacr', repository: 'web/app', enabled: false };
        const plan = (await auditor.callTool({ name: TOOL, arguments: args })).structuredContent as { confirmationToken?: string };
        const r = await auditor.callTool({ name: TOOL, arguments: { ...args, confirmationToken: plan.confirmationToken } });
        expect(errorCode(r)).toBe('PERMISSION_DENIED');
        expect(textOf(r)).toMatch(/ask for Owner or Contributor on the registry/);
        // ACR grants the auditor's token no write scope and answers the write 401 insufficient_scope, as ACR does.
        const writes = ts.sb.requestLog.entries(e => e.method === 'POST' && e.path === '/acr/v1/web/app/_streaming');
        expect(writes.length).toBeGreaterThan(0);
        expect(writes.every(e => e.status === 401)).toBe(true);
        expect(writes.every(e => e.caller === 'auditor@contoso.example')).toBe(true);
    });
});
