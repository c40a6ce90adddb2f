import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSandboxServe } from '../../src/sandbox/serve-command.js';
import { coreV1 } from './kube-client.js';
import { must } from '../helpers/must.js';

describe('acr-streaming-mcp sandbox serve', () => {
    it('prints every endpoint, the CA and ready-to-paste commands, and writes a usable kubeconfig per cluster', async () => {
        const lines: string[] = [];
        const running = await runSandboxServe(fileURLToPath(new URL('../fixtures/worlds/minimal.json', import.meta.url)), l => lines.push(l));
        const text = lines.join('\n');
        try {
            expect(text).toMatch(/^ARM\s+https:\/\/127\.0\.0\.1:\d+$/m);
            expect(text).toMatch(/^registry\s+minimalacr\.azurecr\.io -> https:\/\/127\.0\.0\.1:\d+$/m);
            const kube = /^kubernetes API\s+aks-min -> (\S+)\s+\(kubeconfig (\S+)\)$/m.exec(text);
            expect(kube).not.toBeNull();
            const ca = must(/^CA certificate\s+(\S+)$/m.exec(text)?.[1], 'the CA certificate line');
            expect(readFileSync(ca, 'utf8')).toMatch(/BEGIN CERTIFICATE/);
            expect(text).toContain(`curl --cacert ${ca}`);
            expect(text).toContain('kubectl --kubeconfig ');
            expect(text).toContain('skopeo inspect --cert-dir ');

            const pods = await coreV1(readFileSync(must(kube?.[2], 'the kubeconfig path'), 'utf8')).listNamespacedPod({ namespace: 'default' });
            expect(pods.items.map(p => p.metadata?.name)).toEqual(['app-0', 'app-1']);
            await running.close();
            expect(existsSync(ca)).toBe(false);
        } finally {
            await running.close();
        }
    });
});
