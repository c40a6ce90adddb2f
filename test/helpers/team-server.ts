/**
 * The team server in a test: the sandbox (with its Entra tenant), an AppContext with --auth entra wired to
 * it exactly as `--sandbox --auth entra` does (src/wiring/sandbox-azure.ts), and the HTTP listener on
 * 127.0.0.1. `connectAs(user)` signs a user in: the sandbox mints their access token, the client sends it.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createApp } from '../../src/app.js';
import type { AppContext } from '../../src/app-context.js';
import { createAzureAccess } from '../../src/azure/azure-access.js';
import type { Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startSandbox, type MintOptions, type Sandbox, type StartSandboxOptions } from '../../src/sandbox/index.js';
import { httpOptionsFrom, startHttpServer } from '../../src/transports/http.js';
import { azureOptionsForSandbox, entraOverridesForSandbox } from '../../src/wiring/sandbox-azure.js';
import { closeAfterTest } from './close-after-test.js';
import { testConfig, type Era } from './mcp.js';
import { FAST_RETRY } from './sandbox-app.js';

export interface TeamServerOptions {
    sandbox?: StartSandboxOptions;
    config?: Partial<Config>;
    /** Audit lines of applied changes land here. */
    audit?: (line: string) => void;
    /** Shared confirmation key (replicas). */
    confirmationKey?: string;
}

export interface TeamServer {
    sb: Sandbox;
    app: AppContext;
    url: URL;
    /** A signed-in client for a world user (or a raw token), closed when the test ends. */
    connectAs(user: string | { token: string }, era?: Era): Promise<Client>;
    close(): Promise<void>;
}

export async function startTeamServer(o: TeamServerOptions = {}): Promise<TeamServer> {
    const sb = await startSandbox(o.sandbox ?? {});
    try {
        const config = testConfig({ transport: 'http', auth: 'entra', ...(o.confirmationKey ? { confirmationKey: o.confirmationKey } : {}), ...o.config });
        const entra = entraOverridesForSandbox(sb);
        const app = await createApp({
            config,
            log: createLogger('silent'),
            azure: () => createAzureAccess(azureOptionsForSandbox(sb, { retry: FAST_RETRY, poolPollMs: 50 })),
            changes: { audit: o.audit ?? (() => undefined) },
            entra: {
                ...entra,
                makeAccess: credential => createAzureAccess(azureOptionsForSandbox(sb, { credential, retry: FAST_RETRY, poolPollMs: 50 })),
                // Tests rotate keys right after the first fetch; production keeps the 30 s cooldown.
                validator: { jwksCooldownMs: 0 }
            }
        });
        const srv = await startHttpServer(app, { ...httpOptionsFrom(app), port: 0 });
        return {
            sb,
            app,
            url: srv.url,
            async connectAs(user, era = 'modern') {
                const token = typeof user === 'string' ? await sb.entra.userToken(user) : user.token;
                const client = new Client({ name: 'team-test', version: '1' }, { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : 'auto' } });
                closeAfterTest(client);
                await client.connect(new StreamableHTTPClientTransport(srv.url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
                return client;
            },
            async close() {
                await srv.close();
                await sb.close();
            }
        };
    } catch (e) {
        await sb.close();
        throw e;
    }
}

export type { MintOptions };
