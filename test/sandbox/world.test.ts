import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEMO_WORLD_PATH, loadWorld, WorldError } from '../../src/sandbox/world/load-world.js';
import { architectureOfVmSize } from '../../src/streaming/vm-size.js';
import { must } from '../helpers/must.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/worlds/${name}`, import.meta.url));

async function worldError(source: string | object): Promise<WorldError> {
    try {
        await loadWorld(source);
    } catch (e) {
        if (e instanceof WorldError) return e;
        throw e;
    }
    throw new Error('expected a WorldError');
}

/** The skeleton of a world written by hand: a test adds only the parts it is about. */
const world = (parts: { subscription?: object; registries?: object[]; clusters?: object[] }) => ({
    version: 1,
    subscription: { id: '00000000-0000-0000-0000-000000000001', tenantId: 't' },
    ...parts
});
const pool = (over: object = {}) => ({ name: 'np1', osType: 'Linux', osSKU: 'Ubuntu2204', vmSize: 'Standard_D4s_v5', ...over });
const cluster = (over: object = {}) => ({ name: 'c1', resourceGroup: 'rg', kubernetesVersion: '1.30', kubeletIdentityObjectId: 'x', agentPools: [pool()], ...over });

describe('sandbox world loading', () => {
    it('loads the built-in demo world, which has every case the diagnosis needs to show', async () => {
        const w = await loadWorld(DEMO_WORLD_PATH);
        expect(w.subscription.id).toBe('00000000-0000-0000-0000-000000000001');
        const reg = (n: string) => w.registries.find(r => r.name === n)!;
        expect(reg('contosoacr').sku).toBe('Premium');
        expect(reg('fabrikamstd').sku).toBe('Standard');
        expect(reg('woodgrovecmk').customerManagedKey).toBe(true);

        const images = w.registries.flatMap(r => r.repositories.flatMap(repo => repo.images));
        const size = (i: (typeof images)[number]) => must(i.platforms[0], 'a platform').layerSizes.reduce((a, b) => a + b, 0);
        expect(new Set(images.map(i => i.streaming))).toEqual(new Set(['none', 'converted', 'converting', 'failed']));
        expect(images.some(i => i.mediaType === 'other')).toBe(true);
        expect(images.some(i => i.tags.length === 0)).toBe(true);
        expect(images.some(i => i.platforms.length === 1 && i.platforms[0]?.architecture === 'arm64')).toBe(true);
        expect(images.some(i => i.platforms[0]?.os === 'windows')).toBe(true);
        expect(images.some(i => i.mediaType === 'oci-index' && i.platforms.some(p => p.architecture === 'amd64') && i.platforms.some(p => p.architecture === 'arm64'))).toBe(true);
        expect(images.some(i => i.mediaType.endsWith('list') && !i.platforms.some(p => p.architecture === 'amd64'))).toBe(true);
        expect(images.some(i => size(i) > 30 * 1024 ** 3)).toBe(true);
        expect(images.some(i => size(i) < 100 * 1024 ** 2)).toBe(true);

        const pools = w.clusters.flatMap(c => c.agentPools);
        expect(pools.some(p => p.artifactStreaming) && pools.some(p => !p.artifactStreaming)).toBe(true);
        expect(pools.some(p => p.osType === 'Windows')).toBe(true);
        expect(pools.some(p => architectureOfVmSize(p.vmSize) === 'arm64')).toBe(true);
        expect(pools.some(p => p.workloadRuntime === 'KataVmIsolation')).toBe(true);
        expect(pools.some(p => p.securityType === 'ConfidentialVM')).toBe(true);
        expect(pools.some(p => p.osGuard && p.osSKU === 'AzureLinux3')).toBe(true);
        expect(pools.some(p => p.osSKU === 'Flatcar')).toBe(true);

        const pods = w.clusters.flatMap(c => c.pods);
        expect(pods.some(p => p.image.includes('@sha256:'))).toBe(true);
        expect(pods.some(p => p.imagePullSecrets.length > 0)).toBe(true);
        expect(pods.some(p => p.events.some(e => /HEAD (request to )?http:\/\/localhost:8578\/v2\/.+\/manifests\/.+\?ns=.+\.azurecr\.io: 503 Service Unavailable/.test(e.message)))).toBe(true);
        expect(pods.some(p => p.conditions.some(c => c.type === 'UpgradeIfStreamableDisabled'))).toBe(true);
        expect(pods.some(p => (p.pullSeconds ?? 0) > 120)).toBe(true);
        // REGISTRY_NOT_FOUND, IMAGE_NOT_FOUND and NODEPOOL_UPDATING need a pod or pool of their own.
        const loginServers = new Set(w.registries.map(r => `${r.name.toLowerCase()}.azurecr.io`));
        expect(pods.some(p => !loginServers.has(p.image.split('/')[0] ?? ''))).toBe(true);
        const tagged = new Set(w.registries.flatMap(r => r.repositories.flatMap(repo => repo.images.flatMap(i => i.tags.map(t => `${r.name.toLowerCase()}.azurecr.io/${repo.name}:${t}`)))));
        expect(pods.some(p => loginServers.has(p.image.split('/')[0] ?? '') && !p.image.includes('@') && !tagged.has(p.image))).toBe(true);
        expect(pools.some(p => p.provisioningState === 'Updating')).toBe(true);

        expect(w.clusters.some(c => !c.acrPull.includes('contosoacr'))).toBe(true);
        expect(w.clusters.some(c => c.kubernetesVersion.startsWith('1.25.'))).toBe(true);
        expect(w.clusters.some(c => c.kubernetesVersion.startsWith('1.24.'))).toBe(true);
    });

    it('fills defaults and pushedAt when loading an object', async () => {
        const w = await loadWorld(fixture('minimal.json'));
        expect(w.registries[0]?.location).toBe('eastus');
        expect(w.registries[0]?.repositories[0]?.images[0]?.pushedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
        expect(w.clusters[0]?.agentPools[0]?.artifactStreaming).toBe(false);
        expect(w.behaviour.latencyMs).toBe(0);
        // The load time is the caller's clock (the sandbox passes its injected one), not the wall clock.
        const at = await loadWorld(fixture('minimal.json'), new Date('2030-01-02T03:04:05Z'));
        expect(at.registries[0]?.repositories[0]?.images[0]?.pushedAt).toBe('2030-01-02T03:04:05.000Z');
    });

    it('names the JSON path of a bad enum value', async () => {
        const e = await worldError(fixture('bad-enum.json'));
        expect(e.message).toContain('registries[1].repositories[0].images[2].platforms[0].architecture: expected one of ');
        expect(e.message).toMatch(/architecture: expected one of .*"amd64", "arm64"/);
    });

    it('rejects an unknown field (a typo) and names it', async () => {
        const e = await worldError(fixture('unknown-field.json'));
        expect(e.problems).toEqual(['clusters[0].agentPools[0].artifactStreamming: unknown field (not part of the world format)']);
    });

    it('reports one line per problem, including cross-references', async () => {
        const e = await worldError(
            world({
                subscription: { id: 'not-a-guid', tenantId: 't' },
                clusters: [cluster({ acrPull: ['nosuchacr'], pods: [{ name: 'p', nodePool: 'np2', image: 'x/y:z' }] })]
            })
        );
        expect(e.problems).toHaveLength(3);
        expect(e.problems.some(p => p.startsWith('subscription.id: '))).toBe(true);
        expect(e.problems).toContain('clusters[0].pods[0].nodePool: no agent pool named "np2" in this cluster');
        expect(e.problems).toContain('clusters[0].acrPull[0]: no registry named "nosuchacr" in this world');
    });

    it('rejects duplicates that would silently shadow each other, naming the second one', async () => {
        const image = (tags: string[]) => ({ tags, platforms: [{ os: 'linux', architecture: 'amd64', layerSizes: [1] }] });
        const pod = { name: 'p', nodePool: 'np1', image: 'x/y:z' };
        const e = await worldError(
            world({
                registries: [
                    {
                        name: 'contosoacr',
                        resourceGroup: 'rg',
                        sku: 'Premium',
                        repositories: [
                            { name: 'app', images: [image(['v1', 'latest']), image(['V1', 'latest'])] },
                            { name: 'app', images: [] }
                        ]
                    },
                    { name: 'ContosoACR', resourceGroup: 'rg2', sku: 'Basic' }
                ],
                clusters: [
                    cluster({ name: 'aks1', agentPools: [pool(), pool()], pods: [pod, pod] }),
                    cluster({ name: 'AKS1' }),
                    cluster({ name: 'aks1', resourceGroup: 'rg-other' }) // same name, another group: allowed
                ]
            })
        );
        expect(e.problems.sort()).toEqual(
            [
                'registries[0].repositories[0].images[1].tags[1]: duplicate tag "latest" (already at index 0)',
                'registries[0].repositories[1].name: duplicate repository "app" (already at index 0)',
                'registries[1].name: duplicate registry "contosoacr" (already at index 0)',
                'clusters[0].agentPools[1].name: duplicate agent pool "np1" (already at index 0)',
                'clusters[0].pods[1].name: duplicate pod "default/p" (already at index 0)',
                'clusters[1].name: duplicate cluster "rg/aks1" (already at index 0)'
            ].sort()
        );
    });

    it('refuses agent pools AKS could not create, since the sandbox derives what ARM and the nodes show from them', async () => {
        const e = await worldError(
            world({
                clusters: [
                    cluster({
                        agentPools: [
                            pool({ name: 'typo', vmSize: 'Standard D4s v5' }),
                            pool({ name: 'notcvm', securityType: 'ConfidentialVM' }),
                            pool({ name: 'cvmtl', osSKU: 'Ubuntu', vmSize: 'Standard_DC4as_v5', securityType: 'TrustedLaunch' }),
                            pool({ name: 'cvm2204', vmSize: 'Standard_DC4as_v5' }),
                            pool({ name: 'guardubuntu', osGuard: true }),
                            pool({ name: 'guardcvm', osSKU: 'AzureLinux3', vmSize: 'Standard_DC4as_v5', osGuard: true })
                        ]
                    })
                ]
            })
        );
        expect(e.problems).toEqual([
            'clusters[0].agentPools[0].vmSize: not an Azure VM size name such as Standard_D4s_v5',
            'clusters[0].agentPools[1].securityType: AKS makes a pool confidential by its VM size; Standard_D4s_v5 is not a confidential VM size (e.g. Standard_DC4as_v5)',
            'clusters[0].agentPools[2].securityType: Standard_DC4as_v5 is a confidential VM size, which AKS does not combine with Trusted Launch',
            'clusters[0].agentPools[3].vmSize: AKS does not offer confidential VM node pools on Ubuntu2204 (use Ubuntu, Ubuntu2404 or AzureLinux)',
            'clusters[0].agentPools[4].osGuard: OS Guard is an Azure Linux variant: use osSKU AzureLinux3 (or AzureLinux)',
            'clusters[0].agentPools[5].osGuard: Azure Linux with OS Guard does not run on confidential VM sizes'
        ]);
    });

    it('says when the file is missing or not JSON', async () => {
        expect((await worldError('/nonexistent/world.json')).message).toMatch(/cannot read .*ENOENT/);
        expect((await worldError(fixture('../../sandbox/world.test.ts'))).message).toMatch(/not valid JSON/);
    });
});
