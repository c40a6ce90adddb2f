/** aks_get_streaming_status through an MCP client against the sandbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../../../src/sandbox/world/schema.js';
import { getStreamingStatusTool } from '../../../src/tools/aks/get-streaming-status.js';
import { startSandboxApp, textOf, type SandboxApp } from '../../helpers/sandbox-app.js';
import { structuredOf } from '../../helpers/structured.js';

let t: SandboxApp;
beforeAll(async () => {
    t = await startSandboxApp();
});
afterAll(async () => t?.close());

const status = async (args: Record<string, unknown>) => {
    const r = await t.call('aks_get_streaming_status', args);
    expect(r.isError, textOf(r)).toBeFalsy();
    return structuredOf(getStreamingStatusTool, r);
};

describe('aks_get_streaming_status', () => {
    it('reports every node pool of aks-prod with architecture, support and reasons', async () => {
        const out = await status({ cluster: 'aks-prod' });
        expect(out).toMatchObject({ cluster: 'aks-prod', resourceGroup: 'rg-aks-prod', kubernetesVersion: '1.30.5', acrPull: null, reasons: [] });
        const byName = Object.fromEntries(out.nodePools.map((p: any) => [p.name, p]));
        expect(byName.gpupool).toEqual({
            name: 'gpupool',
            osType: 'Linux',
            osSKU: 'Ubuntu2204',
            architecture: 'amd64',
            vmSize: 'Standard_NC24ads_A100_v4',
            artifactStreaming: true,
            supported: true,
            reasons: [],
            provisioningState: 'Succeeded'
        });
        const codes = (name: string) => byName[name].reasons.map((r: any) => r.code);
        expect(byName.system).toMatchObject({ artifactStreaming: false, supported: true });
        expect(byName.npwin).toMatchObject({ osType: 'Windows', supported: false });
        expect(codes('npwin')).toEqual(['NODEPOOL_WINDOWS']);
        expect(byName.armpool).toMatchObject({ architecture: 'arm64', supported: false });
        expect(codes('armpool')).toEqual(['NODEPOOL_ARM64']);
        expect(byName.katapool.supported).toBe(true);
        expect(codes('katapool')).toEqual(['NODEPOOL_KATA_RUNTIME']);
        expect(byName.cvmpool.supported).toBe(true);
        expect(codes('cvmpool')).toEqual(['NODEPOOL_CONFIDENTIAL_VM']);
        expect(codes('guardpool')).toEqual(['NODEPOOL_OS_UNSUPPORTED']);
        expect(codes('flatcar')).toEqual(['NODEPOOL_OS_UNSUPPORTED']);
        expect(out.nodePools).toHaveLength(9);
    });

    it('checks the kubelet identity\'s AcrPull on a registry', async () => {
        expect((await status({ cluster: 'aks-prod', registry: 'contosoacr' })).acrPull).toEqual({ registry: 'contosoacr', granted: true, role: 'AcrPull' });
        expect((await status({ cluster: 'aks-edge', registry: 'contosoacr' })).acrPull).toEqual({ registry: 'contosoacr', granted: false, role: null });
    });

    it('knows AcrPull is not honoured on an ABAC-enabled registry, and says which role to assign', async () => {
        // The demo's aks-prod holds AcrPull on woodgrovecmk, whose roleAssignmentMode is AbacRepositoryPermissions.
        const r = await t.call('aks_get_streaming_status', { cluster: 'aks-prod', registry: 'woodgrovecmk' });
        expect(structuredOf(getStreamingStatusTool, r).acrPull).toEqual({ registry: 'woodgrovecmk', granted: false, role: null });
        expect(textOf(r)).toMatch(/ABAC-enabled registry: AcrPull is not honoured there; assign "Container Registry Repository Reader"/);
        const legacy = await t.call('aks_get_streaming_status', { cluster: 'aks-edge', registry: 'contosoacr' });
        expect(textOf(legacy)).toMatch(/has NO AcrPull \(fix: az aks update -n aks-edge -g rg-aks-edge --attach-acr contosoacr\)/);
    });

    it('flags Kubernetes versions: 1.25 borderline, 1.24 unsupported', async () => {
        const edge = await status({ cluster: 'aks-edge', resourceGroup: 'rg-aks-edge' });
        expect(edge.reasons.map((r: any) => r.code)).toEqual(['CLUSTER_VERSION_BORDERLINE']);
        const legacy = await status({ cluster: 'aks-legacy' });
        expect(legacy.reasons.map((r: any) => r.code)).toEqual(['CLUSTER_VERSION_UNSUPPORTED']);
        expect(legacy.nodePools[0]?.supported).toBe(false);
    });

    it('an unknown cluster names what is visible', async () => {
        const r = await t.call('aks_get_streaming_status', { cluster: 'nope' });
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/visible: .*aks-prod \(rg-aks-prod\)/);
        const bad = await t.call('aks_get_streaming_status', { cluster: '../aks-prod' });
        expect(textOf(bad)).toMatch(/Cluster name is not valid/);
    });
});

describe('ambiguous cluster names', () => {
    it('asks for the resource group when the name exists twice', async () => {
        const pool = { name: 'np1', osType: 'Linux', osSKU: 'Ubuntu2204', vmSize: 'Standard_D4s_v5' };
        const cluster = (rg: string) => ({ name: 'twin', resourceGroup: rg, kubernetesVersion: '1.31.2', kubeletIdentityObjectId: `kubelet-${rg}`, agentPools: [pool] });
        const world = { version: 1, subscription: { id: '00000000-0000-0000-0000-0000000000bb', tenantId: 'tx' }, clusters: [cluster('rg-a'), cluster('rg-b')] } as unknown as World;
        const twin = await startSandboxApp({ sandbox: { world } });
        try {
            const r = await twin.call('aks_get_streaming_status', { cluster: 'twin' });
            expect(r.isError).toBe(true);
            expect(textOf(r)).toMatch(/ambiguous[\s\S]*rg-a, rg-b[\s\S]*pass resourceGroup/);
            const ok = await twin.call('aks_get_streaming_status', { cluster: 'twin', resourceGroup: 'rg-b' });
            expect(ok.structuredContent).toMatchObject({ cluster: 'twin', resourceGroup: 'rg-b' });
        } finally {
            await twin.close();
        }
    });
});
