/**
 * A throwaway self-signed certificate for the sandbox listeners, made by the system `openssl` at start
 * (an EC P-256 key is generated in a few milliseconds, unlike RSA). The certificate is its own CA: clients
 * trust it by passing it as `ca` (Node agent) or `certificate-authority-data` (kubeconfig), never by
 * turning TLS verification off. Files live in a temp dir that dispose() removes.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SandboxCertificate {
    /** PEM of the self-signed certificate; it is also the CA clients must trust. */
    caPem: string;
    certPem: string;
    keyPem: string;
    /** Temp dir holding ca.pem, key.pem, and cert-dir/ca.crt (the layout `skopeo --cert-dir` reads). */
    dir: string;
    caPath: string;
    certDir: string;
    dispose(): Promise<void>;
}

/** `dnsNames` are added to the SAN next to IP:127.0.0.1, DNS:localhost and DNS:*.azurecr.io. */
export async function createCertificate(dnsNames: string[] = []): Promise<SandboxCertificate> {
    const dir = await mkdtemp(join(tmpdir(), 'acr-streaming-sandbox-'));
    try {
        const names = [...new Set(['localhost', '*.azurecr.io', ...dnsNames.map(n => n.toLowerCase())])];
        const san = ['IP:127.0.0.1', ...names.map(n => `DNS:${n}`)].join(',');
        const keyPath = join(dir, 'key.pem');
        const caPath = join(dir, 'ca.pem');
        await run(
            'openssl',
            [
                'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
                '-keyout', keyPath, '-out', caPath, '-days', '2',
                '-subj', '/CN=acr-streaming-mcp sandbox',
                '-addext', `subjectAltName=${san}`,
                // Explicit so the same file works as a trust anchor for Go (kubectl) and OpenSSL clients.
                '-addext', 'basicConstraints=critical,CA:TRUE',
                '-addext', 'keyUsage=critical,digitalSignature,keyCertSign',
                '-addext', 'extendedKeyUsage=serverAuth'
            ],
            { timeout: 10_000 }
        );
        const [caPem, keyPem] = await Promise.all([readFile(caPath, 'utf8'), readFile(keyPath, 'utf8')]);
        const certDir = join(dir, 'cert-dir');
        await mkdir(certDir);
        await writeFile(join(certDir, 'ca.crt'), caPem);
        return {
            caPem,
            certPem: caPem,
            keyPem,
            dir,
            caPath,
            certDir,
            dispose: () => rm(dir, { recursive: true, force: true })
        };
    } catch (e) {
        await rm(dir, { recursive: true, force: true });
        const err = e as NodeJS.ErrnoException & { stderr?: string };
        if (err.code === 'ENOENT') throw new Error('the sandbox needs the `openssl` command to make its TLS certificate; install OpenSSL');
        throw new Error(`openssl failed to make the sandbox certificate: ${err.stderr?.trim() || err.message}`);
    }
}
