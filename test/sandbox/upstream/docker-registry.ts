/**
 * Starts Debian's `docker-registry` (distribution 2.8) as a plain process on a free loopback port with
 * real TLS, for tests that need an OCI registry we did not write. Callers skip visibly when the
 * binary is absent (`hasDockerRegistry`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { httpsRequest } from '../../helpers/https.js';
import { createCertificate } from '../../../src/sandbox/tls.js';

export const DOCKER_REGISTRY_BIN = '/usr/bin/docker-registry';
export const hasDockerRegistry = existsSync(DOCKER_REGISTRY_BIN);

export interface RunningRegistry {
    url: string;
    caPem: string;
    certDir: string;
    stop(): Promise<void>;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = createServer();
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address() as { port: number };
            s.close(() => resolve(port));
        });
    });
}

export async function startDockerRegistry(): Promise<RunningRegistry> {
    const cert = await createCertificate();
    const port = await freePort();
    const data = join(cert.dir, 'data');
    mkdirSync(data);
    const config = join(cert.dir, 'config.yml');
    writeFileSync(
        config,
        ['version: 0.1', 'log: { level: error, accesslog: { disabled: true } }', `storage: { filesystem: { rootdirectory: ${data} }, delete: { enabled: true } }`, 'http: { addr: 127.0.0.1:5000 }', ''].join('\n')
    );
    const child: ChildProcess = spawn(DOCKER_REGISTRY_BIN, ['serve', config], {
        env: {
            ...process.env,
            REGISTRY_HTTP_ADDR: `127.0.0.1:${port}`,
            REGISTRY_HTTP_TLS_CERTIFICATE: cert.caPath,
            REGISTRY_HTTP_TLS_KEY: join(cert.dir, 'key.pem'),
            REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY: data,
            REGISTRY_HTTP_SECRET: 'sandbox-test-secret'
        },
        stdio: ['ignore', 'ignore', 'pipe']
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = `https://127.0.0.1:${port}`;
    const stop = async () => {
        if (child.exitCode === null) {
            const exited = new Promise(resolve => child.once('exit', resolve));
            child.kill('SIGTERM');
            await exited;
        }
        rmSync(cert.dir, { recursive: true, force: true });
    };
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
        if (child.exitCode !== null) break;
        const ok = await httpsRequest(`${url}/v2/`, 'GET', { ca: cert.caPem }).then(r => r.status === 200, () => false);
        if (ok) return { url, caPem: cert.caPem, certDir: cert.certDir, stop };
        await new Promise(r => setTimeout(r, 50));
    }
    await stop();
    throw new Error(`docker-registry did not become ready on ${url}: ${stderr.slice(-500)}`);
}
