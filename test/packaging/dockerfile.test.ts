/**
 * The Dockerfile, built here without a container engine: its stages are replayed step by step in temporary
 * folders (test/helpers/dockerfile.ts; npm served offline from the cache), then the runtime stage's
 * ENTRYPOINT is started and answers /healthz and an MCP client over HTTP. What a container engine adds
 * (the base image's file system, user switching, a read-only root) is checked statically instead.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { FLAGS } from '../../src/config.js';
import { childEnv, ROOT } from '../helpers/cli.js';
import { closeAfterTest } from '../helpers/close-after-test.js';
import { dockerignore, isIgnored, parseDockerfile, replay, stagesOf, type ReplayedStage } from '../helpers/dockerfile.js';
import { waitFor } from '../helpers/wait-for.js';

const DOCKERFILE = join(ROOT, 'Dockerfile');
let work = '';
let stages: Record<string, ReplayedStage> = {};

beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'acrsm-docker-'));
    stages = await replay(DOCKERFILE, { context: ROOT, into: work, runEnv: { npm_config_offline: 'true', npm_config_update_notifier: 'false' } });
}, 300_000);

afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
});

function runtime(): ReplayedStage {
    const s = stages['runtime'];
    if (!s) throw new Error('the Dockerfile has no stage named runtime');
    return s;
}

describe('Dockerfile', () => {
    it('is multi-stage on the Node major that engines and CI use, and runs as a numeric non-root user', () => {
        const { args, stages: parsed } = stagesOf(parseDockerfile(readFileSync(DOCKERFILE, 'utf8')));
        expect(parsed.map(s => s.name)).toEqual(['build', 'runtime']);
        expect(new Set(parsed.map(s => s.from))).toEqual(new Set([args['NODE_IMAGE']]));
        expect(args['NODE_IMAGE']).toMatch(/^node:20-/);
        // Numeric, so Kubernetes' runAsNonRoot can check it without reading the image's /etc/passwd.
        expect(runtime().user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    });

    it('runs the HTTP mode on all interfaces, on the port it exposes', () => {
        expect(runtime().entrypoint).toEqual(['node', 'dist/cli.js', '--transport', 'http', '--host', '0.0.0.0']);
        expect(runtime().exposed).toEqual([String(FLAGS.port.schema.parse(undefined))]);
    });

    it('leaves build tools, sources and tests out of the runtime stage', () => {
        const app = join(runtime().root, runtime().workdir);
        expect(existsSync(join(app, 'dist', 'cli.js'))).toBe(true);
        for (const absent of ['src', 'test', 'node_modules/vitest', 'node_modules/esbuild', 'node_modules/typescript']) expect(existsSync(join(app, absent)), absent).toBe(false);
        expect(existsSync(join(app, 'node_modules', '@modelcontextprotocol', 'server'))).toBe(true);
    });

    it('keeps local installs, builds, history and secrets out of the build context', () => {
        const patterns = dockerignore(ROOT);
        for (const p of ['node_modules', 'dist', '.git', '.env', 'test', 'node_modules/x/y.js']) expect(isIgnored(patterns, p), p).toBe(true);
        for (const p of ['src/cli.ts', 'package.json', 'knowledge/acr-artifact-streaming/SKILL.md']) expect(isIgnored(patterns, p), p).toBe(false);
    });

    it('serves /healthz and MCP over HTTP from the replayed runtime stage', async () => {
        const s = runtime();
        const [command, ...args] = s.entrypoint ?? [];
        expect(command).toBe('node');
        const token = 'docker-replay-token-0123456789';
        // Appended flags win (node:util parseArgs keeps the last value): loopback only, as every test here.
        const child = spawn(process.execPath, [...args, '--port', '0', '--host', '127.0.0.1', '--http-token', token, '--sandbox'], {
            cwd: join(s.root, s.workdir),
            env: { ...childEnv(), ...s.env },
            stdio: ['ignore', 'ignore', 'pipe']
        });
        let stderr = '';
        child.stderr.on('data', d => (stderr += d));
        try {
            const url = await waitFor(() => /serving MCP on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(stderr)?.[1], 30_000, 'the listening line');
            expect((await fetch(new URL('/healthz', url))).status).toBe(200);
            const client = new Client({ name: 'docker-replay', version: '1' });
            const close = closeAfterTest(client);
            await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
            const r = await client.callTool({ name: 'acr_list_registries', arguments: {} });
            expect(r.isError).toBeFalsy();
            expect(JSON.stringify(r.structuredContent)).toContain('contosoacr');
            await close();
        } finally {
            child.kill('SIGKILL');
        }
    });
});
