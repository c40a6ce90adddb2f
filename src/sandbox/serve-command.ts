/**
 * `acr-streaming-mcp sandbox serve [world.json]`: runs the emulator alone and prints how to reach it with
 * ordinary tools. A kubeconfig per cluster is written next to the CA (both removed on close).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSandbox } from './index.js';

const API = { acr: '2025-11-01', aks: '2026-04-01' };

export async function runSandboxServe(worldPath: string | undefined, log: (line: string) => void): Promise<{ close(): Promise<void> }> {
    const sb = await startSandbox({ world: worldPath });
    try {
        const kubeconfigPaths: Record<string, string> = {};
        for (const [cluster, yaml] of Object.entries(sb.kubeconfigs)) {
            const p = join(sb.dir, `kubeconfig-${cluster}.yaml`);
            await writeFile(p, yaml, { mode: 0o600 });
            kubeconfigPaths[cluster] = p;
        }
        const sub = sb.subscriptionId;
        const arm = sb.armEndpoint;
        const firstRegistry = Object.entries(sb.registryEndpoints)[0];
        const firstCluster = Object.keys(kubeconfigPaths)[0];

        log(`acr-streaming-mcp sandbox: world ${worldPath ?? '(built-in demo)'}, subscription ${sub}, tenant ${sb.tenantId}`);
        log('');
        log(`ARM                 ${arm}`);
        for (const [host, origin] of Object.entries(sb.registryEndpoints)) log(`registry            ${host} -> ${origin}`);
        for (const [cluster, origin] of Object.entries(sb.kubeEndpoints)) log(`kubernetes API      ${cluster} -> ${origin}   (kubeconfig ${kubeconfigPaths[cluster]})`);
        log(`CA certificate      ${sb.caPath}`);
        log('');
        log('Try it (the CA is self-signed for this run; tools trust it explicitly, nothing disables TLS checks):');
        log(`  curl --cacert ${sb.caPath} -H 'Authorization: Bearer any' '${arm}/subscriptions/${sub}/providers/Microsoft.ContainerRegistry/registries?api-version=${API.acr}'`);
        log(`  curl --cacert ${sb.caPath} -H 'Authorization: Bearer any' '${arm}/subscriptions/${sub}/providers/Microsoft.ContainerService/managedClusters?api-version=${API.aks}'`);
        if (firstRegistry) {
            const [host, origin] = firstRegistry;
            const port = new URL(origin).port;
            log(`  curl --cacert ${sb.caPath} --resolve ${host}:${port}:127.0.0.1 -i https://${host}:${port}/v2/     # the registry's real name, via --resolve`);
            log(`  skopeo inspect --cert-dir ${join(sb.dir, 'cert-dir')} docker://127.0.0.1:${port}/<repository>:<tag>     # data-plane auth: see docs/sandbox-acr.md`);
        }
        if (firstCluster) log(`  kubectl --kubeconfig ${kubeconfigPaths[firstCluster]} get pods,events -A`);
        log('');
        log('The Azure CLI cannot be pointed at this ARM endpoint in a useful way: `az cloud register --endpoint-resource-manager` would');
        log('still need a real Entra sign-in. Use the MCP server with --sandbox, the Azure SDKs (endpoint + CA), curl, kubectl or skopeo.');
        return { close: () => sb.close() };
    } catch (e) {
        await sb.close();
        throw e;
    }
}
