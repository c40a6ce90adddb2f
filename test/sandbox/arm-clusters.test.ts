import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { aksClient, collect } from './sandbox-clients.js';
import { coreV1 } from './kube-client.js';
import { must } from '../helpers/must.js';

let sb: Sandbox;
beforeAll(async () => {
    sb = await startSandbox({ behaviour: { nodePoolUpdateSeconds: 0.3 } });
});
afterAll(async () => {
    await sb?.close();
});

describe('ARM: managed clusters through @azure/arm-containerservice', () => {
    it('gets a cluster with its version, kubelet identity and pool profiles', async () => {
        const mc = await aksClient(sb).managedClusters.get('rg-aks-prod', 'aks-prod');
        expect(mc.kubernetesVersion).toBe('1.30.5');
        expect(mc.identityProfile?.kubeletidentity?.objectId).toBe('11111111-1111-1111-1111-111111111111');
        const gpu = mc.agentPoolProfiles?.find(p => p.name === 'gpupool');
        expect(gpu?.artifactStreamingProfile?.enabled).toBe(true);
        expect(gpu?.vmSize).toBe('Standard_NC24ads_A100_v4');
    });

    it('lists clusters by subscription and resource group', async () => {
        const client = aksClient(sb);
        expect((await collect(client.managedClusters.list())).map(c => c.name).sort()).toEqual(['aks-edge', 'aks-legacy', 'aks-prod']);
        expect((await collect(client.managedClusters.listByResourceGroup('rg-aks-legacy'))).map(c => c.kubernetesVersion)).toEqual(['1.24.17']);
    });

    it('gets and lists agent pools with the fields diagnosis reads', async () => {
        const client = aksClient(sb);
        const pools = await collect(client.agentPools.list('rg-aks-prod', 'aks-prod'));
        const by = Object.fromEntries(pools.map(p => [p.name!, p]));
        expect(by.npwin?.osType).toBe('Windows');
        expect(by.armpool?.vmSize).toBe('Standard_D4ps_v5');
        expect(by.katapool?.workloadRuntime).toBe('KataVmIsolation');
        // A confidential pool shows as AKS shows it: its VM size and a cvm node image, no invented field.
        expect(by.cvmpool?.vmSize).toBe('Standard_DC4as_v5');
        expect(by.cvmpool?.nodeImageVersion).toMatch(/^AKSUbuntu-2004cvmcontainerd-/);
        expect(by.cvmpool?.securityProfile?.enableVtpm).toBe(true);
        expect(by.cvmpool?.tags).toEqual({});
        // OS Guard is its own OS SKU, with FIPS, secure boot and vTPM, which AKS requires for it.
        expect(by.guardpool).toMatchObject({ osSKU: 'AzureLinuxOSGuard', enableFips: true, securityProfile: { enableSecureBoot: true, enableVtpm: true } });
        expect(by.guardpool?.nodeImageVersion).toMatch(/OSGuard/);
        expect(by.guardpool?.tags).toEqual({});
        expect(by.flatcar?.osSKU).toBe('Flatcar');
        const cpu = await client.agentPools.get('rg-aks-prod', 'aks-prod', 'cpupool');
        expect(cpu).toMatchObject({ count: 3, mode: 'User', provisioningState: 'Succeeded', orchestratorVersion: '1.30.5', currentOrchestratorVersion: '1.30.5' });
        expect(cpu.powerState?.code).toBe('Running');
        expect(cpu.artifactStreamingProfile?.enabled).toBe(false);
        await expect(client.agentPools.get('rg-aks-prod', 'aks-prod', 'nopool')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
    });

    it('enables streaming on a pool as a long-running operation: Updating, then Succeeded', async () => {
        const client = aksClient(sb);
        const current = await client.agentPools.get('rg-aks-prod', 'aks-prod', 'cpupool');
        sb.requestLog.clear();
        const poller = client.agentPools.createOrUpdate('rg-aks-prod', 'aks-prod', 'cpupool', { ...current, artifactStreamingProfile: { enabled: true } }, { updateIntervalInMs: 50 });
        await poller.submitted();
        const during = await client.agentPools.get('rg-aks-prod', 'aks-prod', 'cpupool');
        expect(during.provisioningState).toBe('Updating');
        expect(during.artifactStreamingProfile?.enabled).toBe(true);
        const done = await poller;
        expect(done.provisioningState).toBe('Succeeded');
        expect(done.artifactStreamingProfile?.enabled).toBe(true);
        const log = sb.requestLog.entries();
        expect(log[0]).toMatchObject({ listener: 'arm', method: 'PUT', status: 200 });
        expect(log.some(e => /\/locations\/eastus\/operations\//.test(e.path))).toBe(true);
        expect(sb.world.clusters[0]?.agentPools.find(p => p.name === 'cpupool')?.artifactStreaming).toBe(true);
    });

    it('accepts a PUT that changes nothing and finishes at once', async () => {
        const client = aksClient(sb);
        const current = await client.agentPools.get('rg-aks-prod', 'aks-prod', 'gpupool');
        const done = await client.agentPools.createOrUpdate('rg-aks-prod', 'aks-prod', 'gpupool', current, { updateIntervalInMs: 50 });
        expect(done.provisioningState).toBe('Succeeded');
    });

    it('refuses streaming on a Windows pool with a 400 ARM error', async () => {
        const client = aksClient(sb);
        const win = await client.agentPools.get('rg-aks-prod', 'aks-prod', 'npwin');
        await expect(
            client.agentPools.createOrUpdate('rg-aks-prod', 'aks-prod', 'npwin', { ...win, artifactStreamingProfile: { enabled: true } }, { updateIntervalInMs: 50 })
        ).rejects.toMatchObject({ statusCode: 400, code: 'InvalidParameter' });
        expect((await client.agentPools.get('rg-aks-prod', 'aks-prod', 'npwin')).artifactStreamingProfile?.enabled).toBe(false);
    });

    it('refuses changing an immutable property such as vmSize', async () => {
        const client = aksClient(sb);
        const p = await client.agentPools.get('rg-aks-prod', 'aks-prod', 'system');
        await expect(client.agentPools.createOrUpdate('rg-aks-prod', 'aks-prod', 'system', { ...p, vmSize: 'Standard_D8s_v5' })).rejects.toMatchObject({
            statusCode: 400,
            code: 'PropertyChangeNotAllowed'
        });
    });

    it("returns a kubeconfig that reaches the cluster's API server with client-node", async () => {
        const creds = await aksClient(sb).managedClusters.listClusterUserCredentials('rg-aks-edge', 'aks-edge');
        expect(creds.kubeconfigs?.[0]?.name).toBe('clusterUser');
        const yaml = Buffer.from(must(creds.kubeconfigs?.[0]?.value, 'a kubeconfig')).toString('utf8');
        expect(yaml).toContain(`server: "${sb.kubeEndpoints['aks-edge']}"`);
        expect(yaml).toContain('certificate-authority-data: ');
        const core = coreV1(yaml);
        const pods = await core.listNamespacedPod({ namespace: 'default' });
        expect(pods.items.map(p => p.metadata?.name)).toEqual(['edge-trainer-0']);
    });
});
