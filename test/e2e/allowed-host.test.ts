/**
 * --allowed-host through the built CLI over real HTTP: in-cluster clients call the Service by its DNS names
 * (deploy/config.env), which no bind address implies, so the DNS-rebinding Host check must accept exactly
 * the names given (any port) and still refuse every other.
 */
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { initializeBody, MCP_HEADERS, rawHttp } from '../helpers/http-raw.js';
import { waitFor } from '../helpers/wait-for.js';

const TOKEN = 'allowed-host-token-0123456789';
const SERVICE = 'acr-streaming-mcp.platform.svc.cluster.local';

async function serving(args: string[], env: Record<string, string> = {}) {
    const cli = startCli(['--transport', 'http', '--port', '0', '--http-token', TOKEN, ...args], { env });
    const url = await waitFor(() => /serving MCP on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(cli.stderr())?.[1], 15_000, 'the listening line').catch(e => {
        cli.kill();
        throw e;
    });
    return { cli, port: Number(new URL(url).port) };
}

const initialize = (port: number, host: string) => rawHttp(port, 'POST', '/mcp', { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}`, host }, initializeBody());

describe('--allowed-host (built CLI, real HTTP)', () => {
    it('accepts the names given, with or without a port and in any case, and still refuses every other', async () => {
        const { cli, port } = await serving(['--allowed-host', SERVICE, '--allowed-host', 'acr-streaming-mcp.platform.svc', '--allowed-host', 'acr-streaming-mcp']);
        try {
            for (const host of [SERVICE, `${SERVICE}:80`, 'acr-streaming-mcp.platform.svc:8765', 'ACR-Streaming-MCP', `127.0.0.1:${port}`]) {
                const res = await initialize(port, host);
                expect(res.status, host).toBe(200);
                expect(res.body, host).toContain('"serverInfo"');
            }
            for (const host of ['evil.example', `${SERVICE}.evil.example`, 'acr-streaming-mcp.platform', `evil-${SERVICE}:80`]) {
                const res = await initialize(port, host);
                expect(res.status, host).toBe(403);
                expect(res.body, host).toContain('Invalid Host');
            }
        } finally {
            cli.kill();
        }
    });

    it('reads a comma list from ACR_STREAMING_MCP_ALLOWED_HOST, and without it stays strict', async () => {
        const withEnv = await serving([], { ACR_STREAMING_MCP_ALLOWED_HOST: `acr-streaming-mcp, ${SERVICE}` });
        try {
            expect((await rawHttp(withEnv.port, 'GET', '/healthz', { host: `${SERVICE}:80` })).status).toBe(200);
            expect((await rawHttp(withEnv.port, 'GET', '/healthz', { host: 'acr-streaming-mcp' })).status).toBe(200);
            expect((await rawHttp(withEnv.port, 'GET', '/healthz', { host: 'acr-streaming-mcp.platform.svc' })).status).toBe(403);
        } finally {
            withEnv.cli.kill();
        }
        const strict = await serving([]);
        try {
            expect((await initialize(strict.port, SERVICE)).status).toBe(403);
            expect((await rawHttp(strict.port, 'GET', '/healthz', { host: 'acr-streaming-mcp' })).status).toBe(403);
        } finally {
            strict.cli.kill();
        }
    });

    it.each([['https://acr-streaming-mcp'], ['acr-streaming-mcp:8765'], ['*.svc.cluster.local'], ['acr-streaming-mcp/mcp']])('refuses --allowed-host %s with one clear line', async value => {
        const { code, stdout, stderr } = await runCli(['--transport', 'http', '--http-token', TOKEN, '--allowed-host', value]);
        expect(code).toBe(2);
        expect(stdout).toBe('');
        expect(stderr.trim().split('\n')).toHaveLength(1);
        expect(stderr).toMatch(/invalid --allowed-host \(or ACR_STREAMING_MCP_ALLOWED_HOST\): must be a host name/);
    });
});
