/**
 * The sandbox's live state: its own copy of the world (mutated by ARM writes such as an agent pool PUT, so
 * `sandbox.world` always shows the current state), plus the node pool operations in flight. Time-driven
 * transitions (Updating → Succeeded) are applied lazily whenever state is read: no timers to leak.
 */
import { createHash } from 'node:crypto';
import type { World, WorldAgentPool, WorldCluster, WorldRegistry } from './world/schema.js';

export interface PoolOperation {
    id: string;
    cluster: string;
    pool: string;
    location: string;
    startedAt: number;
    /** Epoch ms when the operation completes. */
    doneAt: number;
}

/** A stable GUID-shaped id from any text (role assignment names, client ids, uids). */
export function stableGuid(...parts: string[]): string {
    const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Agent-pool ETags, kept beside the world objects (a world file has no ETag). AKS issues a new one on every
 * change of the pool (https://learn.microsoft.com/azure/aks/optimistic-concurrency); the sandbox does on every
 * accepted update and when an update finishes.
 */
const etags = new WeakMap<WorldAgentPool, string>();
let etagCounter = 0;

export function poolETag(pool: WorldAgentPool): string {
    let tag = etags.get(pool);
    if (!tag) {
        tag = stableGuid('etag', pool.name, String(++etagCounter), String(Math.random()));
        etags.set(pool, tag);
    }
    return tag;
}

export function renewPoolETag(pool: WorldAgentPool): string {
    etags.delete(pool);
    return poolETag(pool);
}

export class SandboxState {
    readonly operations = new Map<string, PoolOperation>();
    /** Pool key (`cluster/pool`) → id of the operation currently updating it. */
    private readonly poolOps = new Map<string, string>();

    constructor(
        readonly world: World,
        readonly now: () => number = Date.now,
        /** When the sandbox started: the reference for made-up timestamps (creation times, events). */
        readonly startedAt: number = Date.now()
    ) {}

    get subscriptionId(): string {
        return this.world.subscription.id;
    }

    registry(name: string, resourceGroup?: string): WorldRegistry | undefined {
        return this.world.registries.find(r => eq(r.name, name) && (resourceGroup === undefined || eq(r.resourceGroup, resourceGroup)));
    }

    registryByLoginServer(host: string): WorldRegistry | undefined {
        return this.world.registries.find(r => eq(`${r.name}.azurecr.io`, host));
    }

    cluster(name: string, resourceGroup?: string): WorldCluster | undefined {
        this.settle();
        return this.world.clusters.find(c => eq(c.name, name) && (resourceGroup === undefined || eq(c.resourceGroup, resourceGroup)));
    }

    clusters(): WorldCluster[] {
        this.settle();
        return this.world.clusters;
    }

    pool(cluster: WorldCluster, name: string): WorldAgentPool | undefined {
        this.settle();
        return cluster.agentPools.find(p => eq(p.name, name));
    }

    /** Resource groups that exist: every group a registry or cluster lives in. */
    hasResourceGroup(name: string): boolean {
        return this.world.registries.some(r => eq(r.resourceGroup, name)) || this.world.clusters.some(c => eq(c.resourceGroup, name));
    }

    /** Starts (or returns the running) update of a pool: provisioningState Updating until nodePoolUpdateSeconds pass. */
    beginPoolUpdate(cluster: WorldCluster, pool: WorldAgentPool, state: 'Updating' | 'Creating' = 'Updating'): PoolOperation {
        const key = `${cluster.name}/${pool.name}`.toLowerCase();
        const running = this.poolOps.get(key);
        if (running) return this.operations.get(running)!;
        const startedAt = this.now();
        const op: PoolOperation = {
            id: stableGuid('op', key, String(startedAt), String(this.operations.size)),
            cluster: cluster.name,
            pool: pool.name,
            location: cluster.location,
            startedAt,
            doneAt: startedAt + this.world.behaviour.nodePoolUpdateSeconds * 1000
        };
        this.operations.set(op.id, op);
        this.poolOps.set(key, op.id);
        pool.provisioningState = state;
        renewPoolETag(pool);
        return op;
    }

    runningOperation(cluster: WorldCluster, pool: WorldAgentPool): PoolOperation | undefined {
        this.settle();
        const id = this.poolOps.get(`${cluster.name}/${pool.name}`.toLowerCase());
        return id ? this.operations.get(id) : undefined;
    }

    operation(id: string): PoolOperation | undefined {
        this.settle();
        return this.operations.get(id.toLowerCase());
    }

    /** Applies every transition whose time has come. */
    settle(): void {
        const t = this.now();
        for (const [key, id] of this.poolOps) {
            const op = this.operations.get(id)!;
            if (t < op.doneAt) continue;
            this.poolOps.delete(key);
            const cluster = this.world.clusters.find(c => eq(c.name, op.cluster));
            const pool = cluster?.agentPools.find(p => eq(p.name, op.pool));
            if (pool) {
                pool.provisioningState = 'Succeeded';
                renewPoolETag(pool);
            }
        }
    }
}
