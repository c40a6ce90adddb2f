/**
 * Name → resource lookups over ARM with the messages users need: "not found" names what is visible,
 * "ambiguous" lists the candidates. The subscription-wide registry list is cached briefly because every
 * data-plane call first checks that ARM reported the registry's login server.
 */
import { ToolError } from '../tool-error.js';
import type { ArmAccess } from './arm.js';
import { SharedPromises } from './shared-promise.js';
import type { CallOptions, ClusterInfo, RegistryInfo } from './types.js';

const list = (names: string[], max = 10) => (names.length === 0 ? 'none' : names.slice(0, max).join(', ') + (names.length > max ? ` and ${names.length - max} more` : ''));
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export class RegistryLookup {
    /** The subscription-wide list, shared while in flight and reused for ttlMs. */
    private readonly cached: SharedPromises<'all', RegistryInfo[]>;
    /** Login servers ARM has reported in this subscription: the only registry hosts a token may go to. */
    readonly reported = new Set<string>();

    constructor(
        private readonly arm: ArmAccess,
        private readonly ttlMs: number,
        private readonly now: () => number,
        private readonly subscriptionId: string
    ) {
        this.cached = new SharedPromises({ ttlMs, now });
    }

    private remember(regs: RegistryInfo[]): RegistryInfo[] {
        for (const r of regs) if (r.loginServer) this.reported.add(r.loginServer);
        return regs;
    }

    async all(opts: CallOptions): Promise<RegistryInfo[]> {
        return this.cached.get('all', () => this.arm.listRegistries(opts).then(r => this.remember(r)));
    }

    async inResourceGroup(resourceGroup: string, opts: CallOptions): Promise<RegistryInfo[]> {
        return this.remember(await this.arm.listRegistries({ ...opts, resourceGroup }));
    }

    async find(name: string, opts: CallOptions & { resourceGroup?: string }): Promise<RegistryInfo> {
        const { resourceGroup } = opts;
        const regs = await this.all(opts);
        const found = regs.filter(r => same(r.name, name) && (!resourceGroup || same(r.resourceGroup, resourceGroup)));
        if (found.length === 1) return found[0]!;
        const where = resourceGroup ? `resource group ${resourceGroup} of subscription ${this.subscriptionId}` : `subscription ${this.subscriptionId}`;
        throw new ToolError(
            `Registry "${name}" was not found`,
            `no registry of that name is visible in ${where}; visible: ${list(regs.map(r => r.name))}`,
            'check the name and the subscription (--subscription or AZURE_SUBSCRIPTION_ID); you need at least Reader on the registry',
            'REGISTRY_NOT_FOUND'
        );
    }
}

export async function findCluster(arm: ArmAccess, subscriptionId: string, name: string, opts: CallOptions & { resourceGroup?: string }): Promise<ClusterInfo> {
    const { resourceGroup } = opts;
    const clusters = await arm.listClusters(opts);
    const found = clusters.filter(c => same(c.name, name));
    if (found.length === 1) return found[0]!;
    if (found.length > 1) {
        throw new ToolError(
            `Cluster name "${name}" is ambiguous`,
            `clusters of that name exist in several resource groups: ${found.map(c => c.resourceGroup).join(', ')}`,
            'pass resourceGroup to pick one',
            'CLUSTER_AMBIGUOUS'
        );
    }
    const where = resourceGroup ? `resource group ${resourceGroup}` : `subscription ${subscriptionId}`;
    throw new ToolError(
        `AKS cluster "${name}" was not found`,
        `no managed cluster of that name is visible in ${where}; visible: ${list(clusters.map(c => `${c.name} (${c.resourceGroup})`))}`,
        'check the name, the resource group and the subscription (--subscription or AZURE_SUBSCRIPTION_ID)',
        'CLUSTER_NOT_FOUND'
    );
}
