/**
 * One team-server replica as its own process, for the scale-out test: `node --import tsx
 * test/helpers/team-replica.ts` with TEAM_SANDBOX (the endpoints of a sandbox the test runs, JSON) and
 * TEAM_CONFIRMATION_KEY in the environment. It wires --auth entra to that sandbox exactly as
 * `--sandbox --auth entra` does and prints `listening <port>` on stdout; SIGTERM ends it.
 */
import { createApp } from '../../src/app.js';
import { createAzureAccess } from '../../src/azure/azure-access.js';
import { configSchema } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { startHttpServer } from '../../src/transports/http.js';
import { azureOptionsForSandbox, entraOverridesForSandbox } from '../../src/wiring/sandbox-azure.js';

/** The serialisable part of a Sandbox the wiring reads. */
export type SandboxEndpoints = Pick<Sandbox, 'armEndpoint' | 'registryEndpoints' | 'caPem' | 'subscriptionId' | 'tenantId'> & {
    entra: Pick<Sandbox['entra'], 'authorityHost' | 'tenantId' | 'clientId' | 'scope'>;
};

export function sandboxEndpoints(sb: Sandbox): SandboxEndpoints {
    const { armEndpoint, registryEndpoints, caPem, subscriptionId, tenantId } = sb;
    const { authorityHost, tenantId: entraTenant, clientId, scope } = sb.entra;
    return { armEndpoint, registryEndpoints, caPem, subscriptionId, tenantId, entra: { authorityHost, tenantId: entraTenant, clientId, scope } };
}

async function main() {
    const sb = JSON.parse(process.env.TEAM_SANDBOX ?? '{}') as SandboxEndpoints as unknown as Sandbox;
    const retry = { timeoutMs: 20_000, maxRetries: 2, retryDelayMs: 5, maxRetryDelayMs: 20, maxRetryAfterMs: 2_000 };
    const config = configSchema.parse({ transport: 'http', auth: 'entra', confirm: 'token', confirmationKey: process.env.TEAM_CONFIRMATION_KEY, logLevel: 'warn' });
    const app = await createApp({
        config,
        log: createLogger('warn'),
        azure: () => createAzureAccess(azureOptionsForSandbox(sb, { retry })),
        changes: { audit: line => process.stderr.write(line + '\n') },
        entra: { ...entraOverridesForSandbox(sb), makeAccess: credential => createAzureAccess(azureOptionsForSandbox(sb, { credential, retry })) }
    });
    const srv = await startHttpServer(app, { host: '127.0.0.1', port: 0, entra: app.entra, maxBodyBytes: 1024 * 1024, maxSessions: 50, sessionIdleMs: 60_000 });
    process.stdout.write(`listening ${srv.port}\n`);
    process.once('SIGTERM', () => void srv.close().then(() => process.exit(0)));
}

if (process.env.TEAM_SANDBOX) void main();
