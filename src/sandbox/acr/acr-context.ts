/**
 * The state one registry handler shares between its route modules: the store, the token service,
 * the operation simulation and the clock. Also owns the two cross-cutting behaviours: settling due
 * conversions before each request, and refusing streaming calls on registries that cannot stream.
 */
import type { SandboxRequest, SandboxResponse } from '../http/types.js';
import type { EntraIdentity } from '../entra/entra-identity.js';
import type { World, WorldBehaviour, WorldRegistry } from '../world/schema.js';
import type { UpstreamClient } from '../upstream/upstream-client.js';
import { acrError } from './acr-errors.js';
import type { GuardContext } from './auth-guard.js';
import { buildStreamingArtifact } from './content-builder.js';
import { decideConversion } from './conversion-rules.js';
import { OperationStore, type Operation } from './operations.js';
import { RegistryState, type RepoState, type StoredManifest } from './registry-state.js';
import { TokenService } from './tokens.js';
import { callerRights } from './caller-roles.js';

export interface AcrContextOptions {
    world: World;
    registry: WorldRegistry;
    loginServer: string;
    origin: string;
    behaviour: WorldBehaviour;
    now: () => number;
    upstream?: UpstreamClient;
    /** Signed-in users of the emulated tenant (their own registry roles). */
    identity?: EntraIdentity;
}

export class AcrContext implements GuardContext {
    readonly origin: string;
    readonly loginServer: string;
    readonly registry: WorldRegistry;
    readonly tokens: TokenService;
    readonly state = new RegistryState();
    readonly ops: OperationStore;
    readonly now: () => number;
    readonly upstream?: UpstreamClient;
    private readonly identity?: EntraIdentity;

    constructor(opts: AcrContextOptions) {
        this.origin = opts.origin.replace(/\/+$/, '');
        this.loginServer = opts.loginServer;
        this.registry = opts.registry;
        this.now = opts.now;
        this.upstream = opts.upstream;
        this.ops = new OperationStore(() => opts.behaviour.conversionSeconds * 1000);
        this.tokens = new TokenService({
            loginServer: opts.loginServer,
            tenantId: opts.world.subscription.tenantId,
            anonymousPull: opts.registry.anonymousPullEnabled,
            now: opts.now,
            rightsFor: sub => this.rightsOf(sub),
            ...(opts.identity ? { identity: opts.identity } : {})
        });
        this.identity = opts.identity;
    }

    /** A signed-in world user holds their own roles here; any other caller the registry's `callerRoles`. */
    rightsOf(sub: string): ReadonlySet<string> {
        const user = this.identity?.userByOid(sub);
        return callerRights(user ? { ...this.registry, callerRoles: user.registryRoles } : this.registry);
    }

    nowIso(): string {
        return new Date(this.now()).toISOString();
    }

    /** Finishes every conversion whose time is up: success materialises the streaming referrer. */
    settle(): void {
        this.ops.settle(this.now(), op => this.finishConversion(op));
    }

    private finishConversion(op: Operation) {
        const repo = this.state.repo(op.repo);
        const decision = decideConversion(this.state, repo, op.digest ?? '');
        if (!decision.ok) return decision.failure;
        this.attachStreamingArtifact(repo as RepoState, decision.subject.digest, decision.amd64, new Date(op.endMs).toISOString());
        return undefined;
    }

    /** Stores the overlaybd referrer of `subjectDigest` (idempotent: same subject, same bytes). */
    attachStreamingArtifact(repo: RepoState, subjectDigest: string, amd64: StoredManifest, createdIso: string): StoredManifest | undefined {
        const subject = repo.manifests.get(subjectDigest);
        if (!subject) return undefined;
        const built = buildStreamingArtifact({ mediaType: subject.mediaType, digest: subject.digest, size: subject.bytes.length }, amd64.layers);
        for (const b of built.blobs) repo.blobs.set(b.digest, { size: b.size, bytes: b.bytes });
        return this.state.putManifest(repo, built.top.digest, built.top.bytes, built.top.mediaType, createdIso);
    }

    /**
     * Assumption: a non-Premium or CMK registry refuses every streaming endpoint with
     * 400 FEATURE_NOT_SUPPORTED (the real code is not public; the limits are documented in Learn).
     */
    /**
     * Managing a repository's auto-conversion policy needs more than push in legacy mode (AcrPush may not,
     * Learn role directory). Assumption: ACR answers that with 403 DENIED (its distribution-style code for a
     * denied operation); the exact answer is not documented.
     */
    policyRefusal(repo: string, req: SandboxRequest): SandboxResponse | undefined {
        const bearer = this.tokens.checkBearer(req);
        if (this.rightsOf(bearer.ok ? bearer.sub : '').has('streaming_policy')) return undefined;
        return acrError(403, 'DENIED', `requested access to the resource is denied: managing the artifact streaming policy of ${repo} needs Owner or Contributor (or Container Registry Repository Writer on ABAC-enabled registries)`);
    }

    streamingRefusal(): SandboxResponse | undefined {
        if (this.registry.sku !== 'Premium') {
            return acrError(400, 'FEATURE_NOT_SUPPORTED', `Artifact streaming requires a Premium registry; ${this.registry.name} is ${this.registry.sku}`, {
                sku: this.registry.sku
            });
        }
        if (this.registry.customerManagedKey) {
            return acrError(400, 'FEATURE_NOT_SUPPORTED', `Artifact streaming is not supported on registries encrypted with a customer-managed key`, {
                encryption: 'enabled'
            });
        }
        return undefined;
    }
}
