/**
 * A confirmation token confirms one plan and nothing else (docs/security.md, "Confused deputy" and "Replayed
 * confirmations"): for every change tool in tools/list, a token is refused for other arguments of the same
 * tool, for another change tool, and once its change is applied; none of these writes anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../src/sandbox/index.js';
import { ERROR_META_KEY } from '../../src/tools/register-tools.js';
import { connect, testApp, textOf } from '../helpers/mcp.js';
import { startSandboxApp, type SandboxApp } from '../helpers/sandbox-app.js';
import { rowOf } from './tool-rows.js';

type Result = { isError?: boolean; structuredContent?: Record<string, unknown>; _meta?: Record<string, unknown>; content?: unknown };

const changeTools = await (async () => {
    const conn = await connect(await testApp());
    try {
        return (await conn.client.listTools()).tools.filter(t => t.annotations?.readOnlyHint === false).map(t => t.name);
    } finally {
        await conn.close();
    }
})();

let t: SandboxApp;
beforeAll(async () => {
    t = await startSandboxApp({ sandbox: { behaviour: { conversionSeconds: 0.2, nodePoolUpdateSeconds: 0.2 } } });
});
afterAll(() => t?.close());

const isWrite = (e: RequestLogEntry) => !['GET', 'HEAD'].includes(e.method) && !/\/oauth2\/|\/list\w*Credential$/i.test(e.path);
const call = async (tool: string, args: Record<string, unknown>) => (await t.call(tool, args)) as Result;
const codeOf = (r: Result) => (r._meta?.[ERROR_META_KEY] as { code?: string } | undefined)?.code;

async function planToken(tool: string, args: Record<string, unknown>): Promise<string> {
    const r = await call(tool, args);
    const token = r.structuredContent?.confirmationToken;
    if (r.isError || typeof token !== 'string') throw new Error(`${tool}: expected a plan with a token, got ${textOf(r)}`);
    return token;
}

/**
 * Calls and expects a refusal that wrote nothing: the token's own refusal (CONFIRMATION_…), or, where the
 * tool checks the target first (`domain`), any coded refusal such as OPERATION_FINISHED.
 */
async function expectRefusedWithoutWrite(tool: string, args: Record<string, unknown>, what: string, domain = false): Promise<string | undefined> {
    t.sb.requestLog.clear();
    const r = await call(tool, args);
    expect(r.isError, `${what}: ${textOf(r)}`).toBe(true);
    expect(codeOf(r), `${what}: ${textOf(r)}`).toMatch(domain ? /^(?!INTERNAL$)[A-Z][A-Z_]+$/ : /^CONFIRMATION_/);
    expect(t.sb.requestLog.entries(isWrite), what).toEqual([]);
    return codeOf(r);
}

describe('a confirmation token confirms its own plan only', () => {
    it('there are change tools, each with a second target in tool-rows.ts', () => {
        expect(changeTools.length).toBeGreaterThanOrEqual(1);
        for (const tool of changeTools) expect(rowOf(tool).other, `${tool}: add "other" arguments to its row`).toBeDefined();
    });

    it.each(changeTools)('%s: refused for other arguments, for another tool, and once applied', async tool => {
        const row = rowOf(tool);
        const token = await planToken(tool, row.args);
        await expectRefusedWithoutWrite(tool, { ...row.other, confirmationToken: token }, `${tool}: the token with other arguments`, true);
        const crossCodes: (string | undefined)[] = [];
        for (const otherTool of changeTools.filter(x => x !== tool)) {
            // The other tool's target may have changed in an earlier test (a cancelled conversion): a domain refusal then.
            crossCodes.push(await expectRefusedWithoutWrite(otherTool, { ...rowOf(otherTool).args, confirmationToken: token }, `${tool}'s token given to ${otherTool}`, true));
        }
        // Where the target still stands, it is the token that is refused.
        if (crossCodes.length > 0) expect(crossCodes.some(c => c?.startsWith('CONFIRMATION_')), String(crossCodes)).toBe(true);
        // Its own plan still applies, once.
        const applied = await call(tool, { ...row.args, confirmationToken: token });
        expect(applied.structuredContent?.status, textOf(applied)).toBe('applied');
        await expectRefusedWithoutWrite(tool, { ...row.args, confirmationToken: token }, `${tool}: the token replayed after the change`, true);
    });
});
