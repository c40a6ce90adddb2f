/** The world the ACR data-plane tests run against: one image per behaviour the emulator must show. */
import type { World } from '../../../src/sandbox/world/schema.js';
import { parseWorld } from './harness.js';

const amd64 = (layerSizes = [52428800, 8589934592]) => ({ os: 'linux', architecture: 'amd64', layerSizes });
const arm64 = { os: 'linux', architecture: 'arm64', variant: 'v8', layerSizes: [1000, 2000] };

export function testWorld(extra: { sku?: string; customerManagedKey?: boolean; conversionSeconds?: number; anonymousPullEnabled?: boolean } = {}): World {
    return parseWorld({
        version: 1,
        subscription: { id: '00000000-0000-0000-0000-000000000001', tenantId: 'tenant-1' },
        registries: [
            {
                name: 'contosoacr',
                resourceGroup: 'rg-registry',
                sku: extra.sku ?? 'Premium',
                customerManagedKey: extra.customerManagedKey ?? false,
                anonymousPullEnabled: extra.anonymousPullEnabled ?? false,
                repositories: [
                    {
                        name: 'ml/trainer',
                        convertPushedImages: true,
                        images: [
                            { tags: ['v1', 'latest'], platforms: [amd64()], pushedAt: '2026-10-01T12:00:00Z' },
                            { tags: ['v0'], platforms: [amd64([1000, 2000])], streaming: 'converted', pushedAt: '2026-09-01T12:00:00Z' }
                        ]
                    },
                    {
                        name: 'app',
                        images: [
                            { tags: ['amd64'], platforms: [amd64([4096])] },
                            { tags: ['arm64'], platforms: [arm64] },
                            { tags: ['multi'], mediaType: 'oci-index', platforms: [amd64([1111]), arm64] },
                            { tags: ['armonly'], mediaType: 'oci-index', platforms: [arm64, { os: 'linux', architecture: 'arm', variant: 'v7', layerSizes: [10] }] },
                            { tags: ['other'], mediaType: 'other', platforms: [amd64([10])] },
                            { tags: ['docker'], mediaType: 'docker-manifest', platforms: [amd64([20, 30])] },
                            { tags: ['list'], mediaType: 'docker-manifest-list', platforms: [amd64([40]), arm64] },
                            { tags: ['windows'], platforms: [{ os: 'windows', architecture: 'amd64', layerSizes: [50] }] },
                            { tags: ['converting'], platforms: [amd64([60])], streaming: 'converting' },
                            { tags: ['failed'], platforms: [amd64([70])], streaming: 'failed', failureCode: 'UNKNOWN_ERROR' },
                            { tags: [], platforms: [amd64([80])] }
                        ]
                    },
                    ...['cat/r1', 'cat/r2', 'cat/r3', 'cat/r4', 'cat/r5'].map(name => ({ name, images: [] }))
                ]
            }
        ],
        behaviour: { conversionSeconds: extra.conversionSeconds ?? 1 }
    });
}
