/** Runs the built CLI (dist/cli.js, made by `npm test`'s pretest build) as a user would. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export function assertBuilt(): void {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it for you).');
}

/** Environment for child processes: never let a credential chain probe the network. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('ACR_STREAMING_MCP_')) env[k] = v;
    return { ...env, AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential', ...extra };
}

export function runCli(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number; input?: string } = {}) {
    assertBuilt();
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: childEnv(opts.env) });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', d => (stdout += d));
        child.stderr.on('data', d => (stderr += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 15_000);
        child.on('error', reject);
        child.on('close', code => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        });
        child.stdin.end(opts.input ?? '');
    });
}

/**
 * Starts the built CLI as a long-running process (a server) and collects its output (`child` for its stdin and
 * exit details). `stop()` sends SIGTERM
 * and resolves with the exit code; `kill()` is for finally blocks, so a failed expectation never leaves a
 * server running after the suite.
 */
export function startCli(args: string[], opts: { env?: Record<string, string> } = {}) {
    assertBuilt();
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: childEnv(opts.env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => (stdout += d));
    child.stderr.on('data', d => (stderr += d));
    // A failing run kills the child while a write to its stdin may be pending: that EPIPE is not the finding.
    child.stdin.on('error', () => undefined);
    const exited = new Promise<number | null>(resolve => child.on('close', resolve));
    return {
        child,
        stdout: () => stdout,
        stderr: () => stderr,
        stop: () => {
            child.kill('SIGTERM');
            return exited;
        },
        kill: () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        }
    };
}
