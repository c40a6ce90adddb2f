/**
 * Confirmation by the user through an elicitation form, for clients that declare the capability: a v2 client
 * in both protocol eras and a v1 (@modelcontextprotocol/sdk) client. accept → applied; decline/cancel → nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport as V1InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPClientTransport as V1HttpTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startHttpServer } from '../../../src/transports/http.js';
import { createServer } from '../../../src/server.js';
import { startSandboxApp, textOf, type SandboxApp } from '../../helpers/sandbox-app.js';
import { changeWorld } from './change-world.js';

const TOOL = 'acr_set_repository_streaming';
const ARGS = { registry: 'changeacr', repository: 'ml/trainer', enabled: true };
type Action = 'accept' | 'decline' | 'cancel';
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
    await Promise.all(open.splice(0).map(o => o.close()));
});

const flagWrites = (t: SandboxApp) => t.sb.requestLog.entries(e => e.method === 'POST' && e.path === '/acr/v1/ml/trainer/_streaming' && e.status === 202).length;

async function v2(era: 'legacy' | 'modern', action: Action, asked: string[], config = {}) {
    const audit: string[] = [];
    const t = await startSandboxApp({
        sandbox: { world: changeWorld() },
        era,
        config,
        changes: { audit: l => void audit.push(l) },
        client: { capabilities: { elicitation: { form: {} } } }
    });
    open.push(t);
    t.client.setRequestHandler('elicitation/create', async req => {
        asked.push(String((req.params as { message?: string }).message));
        return action === 'accept' ? { action, content: { confirm: true } } : { action };
    });
    return { t, audit };
}

describe.each(['legacy', 'modern'] as const)('v2 client, %s era, declaring elicitation', era => {
    it('accept: the form shows the plan, the change is applied and audited as confirmed by elicitation', async () => {
        const asked: string[] = [];
        const { t, audit } = await v2(era, 'accept', asked);
        const r = await t.call(TOOL, ARGS);
        expect(r.isError).toBeFalsy();
        expect(r.structuredContent).toMatchObject({ status: 'applied' });
        expect(asked).toHaveLength(1);
        expect(asked[0]).toContain('az acr artifact-streaming update --name changeacr --repository ml/trainer --enable-streaming true');
        expect(flagWrites(t)).toBe(1);
        expect(JSON.parse(audit[0]!)).toMatchObject({ tool: TOOL, confirmedBy: 'elicitation' });
    });

    it.each(['decline', 'cancel'] as const)('%s: nothing happens and the result says so', async action => {
        const { t } = await v2(era, action, []);
        const r = await t.call(TOOL, ARGS);
        expect(r.isError).toBeFalsy();
        expect(r.structuredContent).toMatchObject({ status: action === 'cancel' ? 'cancelled' : 'declined' });
        expect(textOf(r)).toMatch(/nothing was changed/);
        expect(flagWrites(t)).toBe(0);
    });

    it('--confirm token returns a plan with a token even though the client could show a form', async () => {
        const asked: string[] = [];
        const { t } = await v2(era, 'accept', asked, { confirm: 'token' });
        expect((await t.call(TOOL, ARGS)).structuredContent).toMatchObject({ status: 'plan', confirmationToken: expect.any(String) });
        expect(asked).toEqual([]);
        expect(flagWrites(t)).toBe(0);
    });
});

describe('--confirm elicit', () => {
    it('refuses a confirmation token: only the user confirms', async () => {
        const { t } = await v2('legacy', 'decline', [], { confirm: 'elicit' });
        const r = await t.call(TOOL, { ...ARGS, confirmationToken: 'x.y' });
        expect(textOf(r)).toMatch(/accepts confirmations only from the user/);
    });

    it('a client without elicitation gets a clear error instead of a token', async () => {
        const t = await startSandboxApp({ sandbox: { world: changeWorld() }, config: { confirm: 'elicit' } });
        open.push(t);
        const r = await t.call(TOOL, ARGS);
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/cannot ask the user to confirm/);
    });
});

describe('v1 client (@modelcontextprotocol/sdk) declaring elicitation', () => {
    it.each(['accept', 'decline', 'cancel'] as const)('%s', async action => {
        const t = await startSandboxApp({ sandbox: { world: changeWorld() } });
        open.push(t);
        const [clientSide, serverSide] = V1InMemoryTransport.createLinkedPair();
        const server = createServer(t.app);
        await server.connect(serverSide as never);
        const client = new V1Client({ name: 'v1', version: '1.0.0' }, { capabilities: { elicitation: {} } });
        const asked: string[] = [];
        client.setRequestHandler(ElicitRequestSchema, async req => {
            asked.push(String(req.params.message));
            return action === 'accept' ? { action, content: { confirm: true } } : { action };
        });
        await client.connect(clientSide);
        open.push({ close: async () => (await client.close(), await server.close()) });
        const r = (await client.callTool({ name: TOOL, arguments: ARGS })) as { structuredContent?: Record<string, unknown>; isError?: boolean };
        expect(r.isError).toBeFalsy();
        expect(asked).toHaveLength(1);
        expect(r.structuredContent?.status).toBe(action === 'accept' ? 'applied' : action === 'cancel' ? 'cancelled' : 'declined');
        expect(flagWrites(t)).toBe(action === 'accept' ? 1 : 0);
    });
});

describe('over Streamable HTTP (sessionful 2025 era, and 2026-07-28)', () => {
    it.each(['v1', 'v2-legacy', 'v2-modern'] as const)('%s client: accept applies, with the audit line naming the HTTP session', async kind => {
        const audit: string[] = [];
        const t = await startSandboxApp({ sandbox: { world: changeWorld() }, changes: { audit: l => void audit.push(l) } });
        open.push(t);
        const srv = await startHttpServer(t.app, { host: '127.0.0.1', port: 0, maxBodyBytes: 1 << 20, maxSessions: 5, sessionIdleMs: 60_000 });
        open.push(srv);
        const url = new URL(`http://127.0.0.1:${srv.port}/mcp`);
        const asked: string[] = [];
        let result: { structuredContent?: Record<string, unknown> };
        if (kind === 'v1') {
            const client = new V1Client({ name: 'v1', version: '1.0.0' }, { capabilities: { elicitation: {} } });
            client.setRequestHandler(ElicitRequestSchema, async req => (asked.push(String(req.params.message)), { action: 'accept', content: { confirm: true } }));
            await client.connect(new V1HttpTransport(url));
            open.push(client);
            result = (await client.callTool({ name: TOOL, arguments: ARGS })) as typeof result;
        } else {
            const client = new Client({ name: 'v2', version: '1.0.0' }, { versionNegotiation: { mode: kind === 'v2-legacy' ? 'legacy' : 'auto' }, capabilities: { elicitation: { form: {} } } });
            client.setRequestHandler('elicitation/create', async req => (asked.push(String((req.params as { message?: string }).message)), { action: 'accept', content: { confirm: true } }));
            await client.connect(new StreamableHTTPClientTransport(url));
            open.push(client);
            result = (await client.callTool({ name: TOOL, arguments: ARGS })) as typeof result;
        }
        expect(result.structuredContent?.status).toBe('applied');
        expect(asked).toHaveLength(1);
        expect(flagWrites(t)).toBe(1);
        const line = JSON.parse(audit[0]!) as { session: string | null };
        if (kind !== 'v2-modern') expect(line.session).toEqual(expect.any(String));
    });
});
