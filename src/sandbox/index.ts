/**
 * The sandbox: a local HTTPS emulator of ARM, each registry's ACR data plane, and each cluster's
 * Kubernetes API, driven by a world file. The official Azure SDKs and @kubernetes/client-node work
 * against it unchanged; they only need the endpoint(s) and the CA it returns.
 *
 * One listener per endpoint, all on 127.0.0.1 with random ports:
 *   ARM            → armEndpoint
 *   each registry  → registryEndpoints[<name>.azurecr.io] (clients map the real login server to this origin)
 *   each cluster   → kubeEndpoints[<cluster>] (also reachable through listClusterUserCredential's kubeconfig)
 */
import { randomBytes } from 'node:crypto';
import { createRegistryHandler } from './acr/registry-handler.js';
import { createArmHandler } from './arm/arm-handler.js';
import { kubeAccessKey, type KubeAccess } from './arm/arm-common.js';
import { Faults, type FaultControl, type FaultInput } from './http/faults.js';
import { RequestLog } from './http/request-log.js';
import { buildKubeconfig } from './kube/kubeconfig.js';
import { createKubeHandler } from './kube/kube-handler.js';
import { startListener, type Listener } from './server.js';
import { SandboxState } from './state.js';
import { createCertificate } from './tls.js';
import { DEMO_WORLD_PATH, loadWorld } from './world/load-world.js';
import { registryRateLimiter } from './http/rate-limit.js';
import { behaviourSchema, type World, type WorldBehaviour, type WorldInput, type WorldRegistry } from './world/schema.js';
import type { SandboxHandler } from './http/types.js';
import type { EndpointKind } from './http/errors.js';
import { EntraKeys } from './entra/entra-keys.js';
import { entraIdentity } from './entra/entra-identity.js';
import { createEntraHandler, type IssuedToken } from './entra/entra-handler.js';
import { findUser, mintUserToken, type MintOptions } from './entra/entra-tokens.js';

export { DEMO_WORLD_PATH, WorldError, loadWorld } from './world/load-world.js';
export type { RequestLog, RequestLogEntry } from './http/request-log.js';
export type { FaultControl, FaultInput } from './http/faults.js';
export type { IssuedToken } from './entra/entra-handler.js';
export type { MintOptions } from './entra/entra-tokens.js';

/** The emulated Entra tenant (docs/team-server.md): sign-in, JWKS rotation and the on-behalf-of grant. */
export interface SandboxEntra {
    /** `https://127.0.0.1:<port>` : the authority host to give clients and the server. */
    authorityHost: string;
    tenantId: string;
    /** The team server's app registration. */
    clientId: string;
    /** The delegated scope users' tokens carry (`scp`). */
    scope: string;
    /** A signed-in user's access token for the team server (what VS Code or Claude Code would send). */
    userToken(name: string, opts?: MintOptions): Promise<string>;
    /** Signs with a new key from now on (the old ones stay published); returns its kid. */
    rotateKeys(): string;
    /** Unpublishes every key but the current one. */
    retireOldKeys(): void;
    /** Every token the token endpoint issued, in order. */
    issued: IssuedToken[];
}

export interface StartSandboxOptions {
    /** A world object (as written: defaults may be omitted) or a path to a world JSON file. Default: the demo world. */
    world?: WorldInput | string;
    /** Per registry name: proxy /v2 manifests and blobs to a real OCI registry. */
    upstream?: Record<string, { url: string; caPem?: string }>;
    /** Overrides of the world's behaviour (tests: short conversion/update times, faults). Faults are appended. */
    behaviour?: Partial<Omit<WorldBehaviour, 'faults'>> & { faults?: FaultInput[] };
    /** Clock for time-driven transitions (tests). Default Date.now. */
    now?: () => number;
    /** How many of the latest requests `requestLog` keeps (default DEFAULT_REQUEST_LOG_CAPACITY, 10,000; docs/sandbox.md). */
    requestLogCapacity?: number;
}

export interface Sandbox {
    /** The live world: ARM writes (agent pool updates) show here. */
    world: World;
    subscriptionId: string;
    tenantId: string;
    /** https origin of the ARM listener: the `endpoint` option of the ARM SDK clients. */
    armEndpoint: string;
    /** Login server (`contosoacr.azurecr.io`) → https origin of that registry's listener. */
    registryEndpoints: Record<string, string>;
    /** Cluster name → https origin of its Kubernetes API server. */
    kubeEndpoints: Record<string, string>;
    /** Cluster name → a ready kubeconfig (YAML) for it (the same one listClusterUserCredential returns). */
    kubeconfigs: Record<string, string>;
    /** PEM of the CA every listener's certificate chains to; trust it explicitly (https.Agent({ ca })). */
    caPem: string;
    /** The same CA as a file (removed on close). */
    caPath: string;
    /** Directory holding ca.pem (and cert-dir/ca.crt for `skopeo --cert-dir`); removed on close. */
    dir: string;
    requestLog: RequestLog;
    faults: FaultControl;
    entra: SandboxEntra;
    close(): Promise<void>;
}

/** The delay of one endpoint kind: its entry in behaviour.latencyProfile, else behaviour.latencyMs. */
export function latencyFor(b: WorldBehaviour, kind: EndpointKind): number {
    const own = kind === 'arm' || kind === 'entra' ? b.latencyProfile.armMs : kind === 'registry' ? b.latencyProfile.acrMs : b.latencyProfile.kubeMs;
    return own ?? b.latencyMs;
}

export async function startSandbox(opts: StartSandboxOptions = {}): Promise<Sandbox> {
    const now = opts.now ?? Date.now;
    const world = await loadWorld(opts.world ?? DEMO_WORLD_PATH, new Date(now()));
    const { faults: extraFaults = [], ...overrides } = opts.behaviour ?? {};
    world.behaviour = behaviourSchema.parse({ ...world.behaviour, ...overrides, faults: [...world.behaviour.faults, ...extraFaults] });

    const loginServers = world.registries.map(r => `${r.name.toLowerCase()}.azurecr.io`);
    const cert = await createCertificate(loginServers);
    const state = new SandboxState(world, now, now());
    const log = new RequestLog(opts.requestLogCapacity);
    const faults = new Faults(world.behaviour.faults);
    const listeners: Listener[] = [];
    const keys = new EntraKeys();
    const identity = entraIdentity(world, keys, now);
    const closers: Array<() => Promise<void>> = [];

    const listen = async (id: string, kind: EndpointKind, handlers: () => SandboxHandler[], registry?: WorldRegistry) => {
        const l = await startListener({
            id,
            kind,
            registry: registry?.name,
            keyPem: cert.keyPem,
            certPem: cert.certPem,
            log,
            faults,
            latencyMs: () => latencyFor(world.behaviour, kind),
            // Real time, not the injected clock: clients wait out Retry-After in real time.
            ...(registry ? { rateLimit: registryRateLimiter(() => registry.sku, () => world.behaviour) } : {}),
            handlers
        });
        listeners.push(l);
        return l;
    };

    try {
        // Kube listeners first: ARM's kubeconfigs must know their origins.
        const kube: Record<string, KubeAccess> = {};
        const kubeEndpoints: Record<string, string> = {};
        const kubeconfigs: Record<string, string> = {};
        await Promise.all(
            world.clusters.map(async c => {
                const token = `sandbox-kube-${c.name.toLowerCase()}-${randomBytes(12).toString('hex')}`;
                let handler: SandboxHandler | undefined;
                const l = await listen(`kube:${c.name}`, 'kube', () => (handler ? [handler] : []));
                handler = createKubeHandler({ state, clusterName: c.name, resourceGroup: c.resourceGroup, token, hostPort: `127.0.0.1:${l.port}` });
                kube[kubeAccessKey(c)] = { server: l.origin, token };
                kubeEndpoints[c.name] = l.origin;
                kubeconfigs[c.name] = buildKubeconfig({ cluster: c.name, resourceGroup: c.resourceGroup, server: l.origin, caPem: cert.caPem, token });
            })
        );

        const registryEndpoints: Record<string, string> = {};
        await Promise.all(
            world.registries.map(async r => {
                const loginServer = `${r.name.toLowerCase()}.azurecr.io`;
                let handler: SandboxHandler | undefined;
                const l = await listen(`registry:${r.name}`, 'registry', () => (handler ? [handler] : []), r);
                // The registry handler needs the listener's origin (token realm, Location headers), so it comes second.
                const h = createRegistryHandler({ world, registry: r, loginServer, origin: l.origin, behaviour: world.behaviour, upstream: opts.upstream?.[r.name], now, identity });
                handler = h.handle;
                closers.push(() => h.close());
                registryEndpoints[loginServer] = l.origin;
            })
        );

        let armHandler: SandboxHandler | undefined;
        const arm = await listen('arm', 'arm', () => (armHandler ? [armHandler] : []));
        armHandler = createArmHandler({ state, origin: arm.origin, kube, caPem: cert.caPem, identity });

        const issued: IssuedToken[] = [];
        let entraHandler: SandboxHandler | undefined;
        const entraListener = await listen('entra', 'entra', () => (entraHandler ? [entraHandler] : []));
        entraHandler = createEntraHandler({ world, keys, origin: entraListener.origin, now, issued });
        const entra: SandboxEntra = {
            authorityHost: entraListener.origin,
            tenantId: world.subscription.tenantId,
            clientId: world.entra.app.clientId,
            scope: world.entra.app.scope,
            userToken: (name, o) => {
                const user = findUser(world, name);
                if (!user) throw new Error(`no user "${name}" in the sandbox world (users: ${world.entra.users.map(u => u.name).join(', ')})`);
                return mintUserToken(world, keys, user, now(), o);
            },
            rotateKeys: () => keys.rotate(),
            retireOldKeys: () => keys.retire(),
            issued
        };

        let closed = false;
        return {
            entra,
            world,
            subscriptionId: world.subscription.id,
            tenantId: world.subscription.tenantId,
            armEndpoint: arm.origin,
            registryEndpoints,
            kubeEndpoints,
            kubeconfigs,
            caPem: cert.caPem,
            caPath: cert.caPath,
            dir: cert.dir,
            requestLog: log,
            faults,
            async close() {
                if (closed) return;
                closed = true;
                await Promise.all(listeners.map(l => l.close()));
                await Promise.all(closers.map(c => c()));
                await cert.dispose();
            }
        };
    } catch (e) {
        await Promise.allSettled(listeners.map(l => l.close()));
        await Promise.allSettled(closers.map(c => c()));
        await cert.dispose();
        throw e;
    }
}
