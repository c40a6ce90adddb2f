/** A world for the per-image change tools: every image state they act on, and callers with too few rights in both role modes. */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { WorldInput } from '../../../src/sandbox/world/schema.js';
import { startSandboxApp, type SandboxApp } from '../../helpers/sandbox-app.js';

const amd64 = { os: 'linux' as const, architecture: 'amd64' as const, layerSizes: [50_000_000, 900_000_000] };
const arm64 = { os: 'linux' as const, architecture: 'arm64' as const, layerSizes: [40_000_000] };

const images = () => [
    { tags: ['v3'], platforms: [amd64], pushedAt: '2026-11-03T00:00:00Z' },
    { tags: ['v2', 'stable'], platforms: [amd64], streaming: 'converted' as const, pushedAt: '2026-11-02T00:00:00Z' },
    { tags: ['v1-arm'], platforms: [arm64], pushedAt: '2026-11-01T00:00:00Z' },
    { tags: ['multi'], mediaType: 'oci-index' as const, platforms: [amd64, arm64], pushedAt: '2026-10-20T00:00:00Z' },
    // Conversions of these never end while a test runs: they stay Running until cancelled.
    { tags: ['slow'], platforms: [amd64], conversionSeconds: 3600, pushedAt: '2026-10-10T00:00:00Z' },
    { tags: ['busy'], platforms: [amd64], streaming: 'converting' as const, conversionSeconds: 3600, pushedAt: '2026-10-05T00:00:00Z' },
    { tags: ['busy2'], platforms: [amd64], streaming: 'converting' as const, conversionSeconds: 3600, pushedAt: '2026-10-04T00:00:00Z' },
    { tags: ['broken'], platforms: [amd64], streaming: 'failed' as const, failureCode: 'UNKNOWN_ERROR' as const, pushedAt: '2026-10-03T00:00:00Z' },
    { tags: ['v0'], platforms: [amd64], pushedAt: '2026-10-01T00:00:00Z' }
];

type Role = string;

export function streamingChangeWorld(): WorldInput {
    const reg = (name: string, callerRoles: Role[], extra: Record<string, unknown> = {}) => ({
        name,
        resourceGroup: 'rg-stream',
        sku: 'Premium' as const,
        callerRoles: callerRoles as never,
        ...extra,
        repositories: [{ name: 'ml/trainer', images: images() }, { name: 'web/app', convertPushedImages: true, images: images() }]
    });
    return {
        version: 1,
        subscription: { id: '00000000-0000-0000-0000-0000000000b8', tenantId: 'tenant-stream' },
        registries: [
            reg('streamacr', ['Owner']),
            reg('pullacr', ['AcrPull']),
            reg('pushacr', ['AcrPush']),
            reg('abacwriter', ['Container Registry Repository Writer'], { roleAssignmentMode: 'AbacRepositoryPermissions' }),
            reg('abacowner', ['Container Registry Repository Contributor'], { roleAssignmentMode: 'AbacRepositoryPermissions' })
        ],
        behaviour: { conversionSeconds: 0.4 }
    };
}

/**
 * One sandbox app on this world for a test file (fast conversion polls, audit lines collected, faults cleared
 * after each test). `t` stands for the app once beforeAll has started it.
 */
export function streamingChangeApp(): { t: SandboxApp; audit: string[] } {
    const audit: string[] = [];
    let app: SandboxApp | undefined;
    beforeAll(async () => {
        app = await startSandboxApp({ sandbox: { world: streamingChangeWorld() }, azure: { conversionPollMs: 20 }, changes: { audit: line => void audit.push(line) } });
    });
    afterAll(async () => app?.close());
    afterEach(() => app?.sb.faults.clear());
    const t = new Proxy({} as SandboxApp, {
        get: (_, key) => {
            if (!app) throw new Error('the sandbox app is not started yet (use it inside a test)');
            return app[key as keyof SandboxApp];
        }
    });
    return { t, audit };
}
