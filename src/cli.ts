#!/usr/bin/env node
/**
 * Entry point: argv + env → Config → (optional sandbox) → AppContext → transport.
 * Only this file may import the sandbox, and only when --sandbox or `sandbox serve` asks for it.
 */
import { basename } from 'node:path';
import type { AppContext, SandboxInfo } from './app-context.js';
import type { AzureAccess } from './azure/azure-access.js';
import { parseCommand, type ReportCommand } from './cli-command.js';
import type { EntraOverrides } from './app.js';
import { helpText } from './cli-help.js';
import { emptyToolsetsError, type Config } from './config.js';
import { createLogger, type Logger } from './log.js';
import { PACKAGE_VERSION } from './version.js';

interface Closable {
    close(): Promise<void>;
}

async function main(): Promise<number | undefined> {
    const command = parseCommand(process.argv.slice(2), process.env);
    switch (command.kind) {
        case 'help':
            process.stdout.write(helpText(PACKAGE_VERSION));
            return 0;
        case 'version':
            process.stdout.write(PACKAGE_VERSION + '\n');
            return 0;
        case 'error':
            process.stderr.write(`acr-streaming-mcp: ${command.message}\n`);
            return 2;
        case 'sandbox-serve': {
            const { runSandboxServe } = await import('./sandbox/serve-command.js');
            // Not an MCP process: stdout is free for the endpoints the user came for.
            const running = await runSandboxServe(command.world, line => process.stdout.write(line + '\n'));
            closeOnSignal([running]);
            // Printed only once the signal handlers are in place: a script (or test) that stops the emulator as
            // soon as it reads this line must get the clean exit, not Node's default SIGTERM death.
            process.stdout.write('Press Ctrl+C to stop.\n');
            return undefined;
        }
        case 'report':
            return report(command);
        case 'sandbox-token': {
            const { sandboxUserToken } = await import('./sandbox/token-command.js');
            process.stdout.write((await sandboxUserToken(command.user, command.world)) + '\n');
            return 0;
        }
        case 'serve': {
            // The real tool list decides: a toolset with no tool yet (or only change tools under --read-only) serves nothing.
            const { toolsetsWithTools } = await import('./tools/index.js');
            const refused = emptyToolsetsError(command.config, toolsetsWithTools(command.config));
            if (refused) {
                process.stderr.write(`acr-streaming-mcp: ${refused}\n`);
                return 2;
            }
            await serve(command.config);
            return undefined;
        }
    }
}

/** scan-registry / scan-cluster: one tool run, a report on stdout, the verdict as the exit status. */
async function report(command: ReportCommand): Promise<number> {
    const log = createLogger(command.config.logLevel === 'info' ? 'warn' : command.config.logLevel);
    const closables: Closable[] = [];
    try {
        let azure: (() => Promise<AzureAccess>) | undefined;
        if (command.config.sandbox !== undefined) {
            const started = await startSandboxMode(command.config.sandbox, log);
            closables.push(started.sandbox);
            azure = started.azure;
        }
        const [{ createApp }, { runReport }] = await Promise.all([import('./app.js'), import('./cli-report.js')]);
        const app = await createApp({ config: command.config, log, ...(azure ? { azure } : {}) });
        const code = await runReport(command, app, text => process.stdout.write(text + '\n'), text => process.stderr.write(text + '\n'));
        // Pooled keep-alive sockets to Azure must not hold the process open once the report is out.
        setTimeout(() => process.exit(code), 200).unref();
        return code;
    } finally {
        await closeAll(closables);
    }
}

async function serve(config: Config): Promise<void> {
    const log = createLogger(config.logLevel);
    const closables: Closable[] = [];
    try {
        await startServing(config, log, closables);
    } catch (e) {
        // A failure after the sandbox (or a listener) started must not leave it running and the process hanging.
        await closeAll(closables);
        throw e;
    }
    closeOnSignal(closables);
}

async function startServing(config: Config, log: Logger, closables: Closable[]): Promise<void> {
    let azure: (() => Promise<AzureAccess>) | undefined;
    let sandbox: SandboxInfo | undefined;
    let entra: EntraOverrides | undefined;
    if (config.sandbox !== undefined) {
        const started = await startSandboxMode(config.sandbox, log);
        closables.push(started.sandbox);
        azure = started.azure;
        sandbox = started.info;
        if (config.auth === 'entra') {
            entra = started.entra;
            log.info(`sandbox Entra tenant ${started.sandbox.entra.tenantId} at ${started.sandbox.entra.authorityHost}; a user's token: acr-streaming-mcp sandbox token --user reader|operator`);
        }
    }
    // Imported here, not at the top: --help, --version and a bad flag answer without loading the SDK,
    // and each transport loads only its own stack (the HTTP one costs ~100 ms more).
    const { createApp } = await import('./app.js');
    const app: AppContext = await createApp({ config, log, azure, sandbox, entra });
    log.debug(`ready to serve ${Math.round(performance.now())} ms after process start`);
    if (config.transport === 'stdio') {
        const { startStdio } = await import('./transports/stdio.js');
        closables.unshift(startStdio(app));
        // When the client goes away, stdin ends: leave rather than linger as an orphan.
        process.stdin.on('end', () => void closeAll(closables).then(() => process.exit(0)));
        log.info(`serving MCP on stdio${sandbox ? ` (${sandbox.label})` : ''}`);
    } else {
        const { httpOptionsFrom, startHttpServer } = await import('./transports/http.js');
        const http = await startHttpServer(app, { ...httpOptionsFrom(app), port: config.port });
        closables.unshift(http);
        log.info(`serving MCP on ${http.url.href}${config.httpToken ? ' (bearer token required)' : config.auth === 'entra' ? ' (Microsoft Entra sign-in required)' : ''}${sandbox ? ` (${sandbox.label})` : ''}`);
    }
}

async function startSandboxMode(world: true | string, log: Logger) {
    const [{ startSandbox }, { azureOptionsForSandbox, entraOverridesForSandbox }, { createAzureAccess }] = await Promise.all([
        import('./sandbox/index.js'),
        import('./wiring/sandbox-azure.js'),
        import('./azure/azure-access.js')
    ]);
    const sandbox = await startSandbox({ world: world === true ? undefined : world });
    const name = world === true ? 'demo world' : world;
    log.info(`sandbox started (${name}); ARM at ${sandbox.armEndpoint}`);
    return {
        sandbox,
        info: { label: `SANDBOX: local emulator, ${world === true ? name : basename(world)}` },
        azure: () => createAzureAccess(azureOptionsForSandbox(sandbox)),
        entra: entraOverridesForSandbox(sandbox)
    };
}

function closeOnSignal(closables: Closable[]): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => void closeAll(closables).then(() => process.exit(0)));
    }
}

async function closeAll(closables: Closable[]): Promise<void> {
    for (const c of closables) await c.close().catch(() => undefined);
}

main().then(
    code => {
        if (code !== undefined) process.exitCode = code;
    },
    (e: unknown) => {
        // One clear line, no stack: e.g. a broken world file names the bad field's path here.
        process.stderr.write(`acr-streaming-mcp: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
    }
);
