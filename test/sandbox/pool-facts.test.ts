/**
 * The emulator and the tools must not drift: for every pool, what the nodes say (Kubernetes labels) and what
 * the production code concludes from ARM (toAgentPoolInfo, then the node pool rules) agree on architecture,
 * OS Guard and confidential VM. Only fields Azure has are read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1Node } from '@kubernetes/client-node';
import { toAgentPoolInfo } from '../../src/azure/arm.js';
import type * as z from 'zod/v4';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import type { agentPoolSchema } from '../../src/sandbox/world/schema.js';
import { nodePoolSupport } from '../../src/streaming/nodepool-rules.js';
import { aksClient, collect } from './sandbox-clients.js';
import { coreV1 } from './kube-client.js';

type PoolInput = z.input<typeof agentPoolSchema>;
const pool = (name: string, vmSize: string, over: Partial<PoolInput> = {}): PoolInput => ({ name, osType: 'Linux', osSKU: 'Ubuntu2204', vmSize, ...over });

let sb: Sandbox;
beforeAll(async () => {
    sb = await startSandbox({
        world: {
            version: 1,
            subscription: { id: '00000000-0000-0000-0000-000000000001', tenantId: 't' },
            clusters: [
                {
                    name: 'facts',
                    resourceGroup: 'rg',
                    kubernetesVersion: '1.33.2',
                    kubeletIdentityObjectId: 'x',
                    agentPools: [
                        pool('plain', 'Standard_D4s_v5'),
                        pool('ampere', 'Standard_D4ps_v5'),
                        pool('grace', 'Standard_ND128isr_NDR_GB200_v6'),
                        pool('a100', 'Standard_NC24ads_A100_v4'),
                        pool('cvm', 'Standard_DC4as_v5', { osSKU: 'Ubuntu' }),
                        pool('cvmtagged', 'Standard_EC8ads_v5', { osSKU: 'Ubuntu2404', securityType: 'ConfidentialVM' }),
                        pool('trusted', 'Standard_D4s_v5', { securityType: 'TrustedLaunch' }),
                        pool('guard', 'Standard_D4s_v5', { osSKU: 'AzureLinux3', osGuard: true }),
                        pool('kata', 'Standard_D8s_v5', { osSKU: 'AzureLinux', workloadRuntime: 'KataVmIsolation' })
                    ]
                }
            ]
        },
        behaviour: { nodePoolUpdateSeconds: 0.1 }
    });
});
afterAll(async () => {
    await sb?.close();
});

describe('sandbox pools as ARM and the nodes show them', () => {
    it('agree with the production rules on architecture, OS Guard and confidential VM for every pool', async () => {
        const pools = await collect(aksClient(sb).agentPools.list('rg', 'facts'));
        const nodes = (await coreV1(sb.kubeconfigs.facts!).listNode()).items;
        const nodeOf = (name: string): V1Node => nodes.find(n => n.metadata?.labels?.['kubernetes.azure.com/agentpool'] === name)!;
        const seen = pools.map(p => {
            const support = nodePoolSupport(toAgentPoolInfo(p), '1.33.2');
            const labels = nodeOf(p.name!).metadata?.labels ?? {};
            const codes = support.reasons.map(r => r.code);
            const osGuard = support.reasons.some(r => /OS Guard/.test(r.message));
            return {
                name: p.name,
                architecture: support.architecture,
                nodeArchitecture: labels['kubernetes.io/arch'],
                nodeInfoArchitecture: nodeOf(p.name!).status?.nodeInfo?.architecture,
                confidential: codes.includes('NODEPOOL_CONFIDENTIAL_VM'),
                nodeConfidential: labels['kubernetes.azure.com/security-type'] === 'ConfidentialVM',
                osGuard,
                nodeOsGuard: labels['kubernetes.azure.com/os-sku'] === 'AzureLinuxOSGuard'
            };
        });
        for (const s of seen) {
            expect(s.nodeArchitecture, s.name).toBe(s.architecture);
            expect(s.nodeInfoArchitecture, s.name).toBe(s.architecture);
            expect(s.nodeConfidential, s.name).toBe(s.confidential);
            expect(s.nodeOsGuard, s.name).toBe(s.osGuard);
        }
        const by = Object.fromEntries(seen.map(s => [s.name, s]));
        expect(['ampere', 'grace'].map(n => by[n]?.architecture)).toEqual(['arm64', 'arm64']);
        expect(['plain', 'a100', 'cvm', 'trusted', 'guard', 'kata'].map(n => by[n]?.architecture)).toEqual(Array(6).fill('amd64'));
        expect(seen.filter(s => s.confidential).map(s => s.name)).toEqual(['cvm', 'cvmtagged']);
        expect(seen.filter(s => s.osGuard).map(s => s.name)).toEqual(['guard']);
    });

    it('labels Trusted Launch and pod sandboxing nodes as AKS does, with no label of its own', async () => {
        const nodes = (await coreV1(sb.kubeconfigs.facts!).listNode()).items;
        const labels = (pool: string) => nodes.find(n => n.metadata?.labels?.['kubernetes.azure.com/agentpool'] === pool)?.metadata?.labels ?? {};
        expect(labels('trusted')['kubernetes.azure.com/security-type']).toBe('TrustedLaunch');
        expect(labels('trusted')['kubernetes.azure.com/node-image-version']).toMatch(/^AKSUbuntu-2204gen2TLcontainerd-/);
        expect(labels('kata')['kubernetes.azure.com/kata-vm-isolation']).toBe('true');
        expect(labels('plain')['kubernetes.azure.com/security-type']).toBeUndefined();
        expect(nodes.flatMap(n => Object.keys(n.metadata?.labels ?? {})).filter(k => !/^(kubernetes\.azure\.com|kubernetes\.io|beta\.kubernetes\.io|node\.kubernetes\.io|topology\.kubernetes\.io)\/|^agentpool$/.test(k))).toEqual([]);
    });

    it('accepts an OS Guard pool created through ARM the way the CLI sends it', async () => {
        const client = aksClient(sb);
        const created = await client.agentPools.createOrUpdate(
            'rg',
            'facts',
            'newguard',
            { vmSize: 'Standard_D4s_v5', osType: 'Linux', osSKU: 'AzureLinuxOSGuard', enableFips: true, securityProfile: { enableSecureBoot: true, enableVtpm: true } },
            { updateIntervalInMs: 20 }
        );
        expect(created).toMatchObject({ osSKU: 'AzureLinuxOSGuard', enableFips: true });
        expect(nodePoolSupport(toAgentPoolInfo(created)).reasons.map(r => r.code)).toContain('NODEPOOL_OS_UNSUPPORTED');
        // A GET round-trip PUT changes nothing, although the world spells the pool as Azure Linux 3 + osGuard.
        const again = await client.agentPools.createOrUpdate('rg', 'facts', 'newguard', created, { updateIntervalInMs: 20 });
        expect(again.osSKU).toBe('AzureLinuxOSGuard');
    });
});
