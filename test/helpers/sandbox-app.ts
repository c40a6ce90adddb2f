/** A sandbox + an AppContext wired to it + an MCP client, closed together. */
import { createAzureAccess, type AzureAccessOptions } from '../../src/azure/azure-access.js';
import { startSandbox, type Sandbox, type StartSandboxOptions } from '../../src/sandbox/index.js';
import { azureOptionsForSandbox } from '../../src/wiring/sandbox-azure.js';
import type { AppContext } from '../../src/app-context.js';
import type { Logger } from '../../src/log.js';
import type { Config } from '../../src/config.js';
import type { ChangeSettings } from '../../src/tools/change/change-runtime.js';
import { connect, testApp, type Era } from './mcp.js';

export { textOf } from './mcp.js';

/** Tiny retry delays so fault tests stay fast; a generous timeout so a loaded 2-core CI machine does not trip it. */
export const FAST_RETRY = { timeoutMs: 10_000, maxRetries: 2, retryDelayMs: 5, maxRetryDelayMs: 20, maxRetryAfterMs: 2_000 };

export interface SandboxAppOptions {
    sandbox?: StartSandboxOptions;
    azure?: Partial<AzureAccessOptions>;
    era?: Era;
    log?: Logger;
    config?: Partial<Config>;
    /** Change-tool settings (shared confirmation key, audit sink, clock). */
    changes?: Partial<ChangeSettings>;
    /** Options of the v2 client (e.g. capabilities: { elicitation: { form: {} } }). */
    client?: Parameters<typeof connect>[2];
}

export interface SandboxApp {
    sb: Sandbox;
    app: AppContext;
    client: Awaited<ReturnType<typeof connect>>['client'];
    /** Calls a tool and returns the raw result. */
    call(name: string, args: Record<string, unknown>): Promise<{ isError?: boolean; content: { type: string; text?: string }[]; structuredContent?: Record<string, unknown> }>;
    close(): Promise<void>;
}

export async function startSandboxApp(opts: SandboxAppOptions = {}): Promise<SandboxApp> {
    const sb = await startSandbox(opts.sandbox ?? {});
    try {
        const app = await testApp(opts.config ?? {}, {
            azure: () => createAzureAccess(azureOptionsForSandbox(sb, { retry: FAST_RETRY, poolPollMs: 50, ...opts.azure })),
            ...(opts.log ? { log: opts.log } : {}),
            changes: { audit: () => undefined, ...opts.changes }
        });
        const conn = await connect(app, opts.era ?? 'legacy', opts.client);
        return {
            sb,
            app,
            client: conn.client,
            call: async (name, args) => (await conn.client.callTool({ name, arguments: args })) as never,
            close: async () => {
                await conn.close().catch(() => undefined);
                await sb.close();
            }
        };
    } catch (e) {
        await sb.close();
        throw e;
    }
}

