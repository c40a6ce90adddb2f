/**
 * Shared pieces of the Kubernetes API emulation: the per-cluster context, Status error objects, list
 * envelopes, and field/label selectors (the equality subset kubectl and client-node send).
 */
import { json, type SandboxResponse } from '../http/types.js';
import type { SandboxState } from '../state.js';
import type { WorldCluster } from '../world/schema.js';

export interface KubeContext {
    state: SandboxState;
    clusterName: string;
    /** Cluster names are unique per resource group only. */
    resourceGroup: string;
    /** The bearer token this API server accepts (the one in the kubeconfig from listClusterUserCredential). */
    token: string;
    /** host:port of this listener (discovery reports it). */
    hostPort: string;
}

export function currentCluster(ctx: KubeContext): WorldCluster {
    return ctx.state.cluster(ctx.clusterName, ctx.resourceGroup)!;
}

export function status(code: number, reason: string, message: string, details?: object): SandboxResponse {
    return json(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
}

export function notFound(kind: string, name: string): SandboxResponse {
    return status(404, 'NotFound', `${kind} "${name}" not found`, { name, kind });
}

export function kubeList(kind: 'PodList' | 'EventList' | 'NodeList' | 'NamespaceList' | 'ServiceAccountList', items: object[]): SandboxResponse {
    return json(200, { kind, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
}

function get(obj: unknown, dotted: string): unknown {
    let cur: unknown = obj;
    for (const key of dotted.split('.')) {
        if (cur === null || typeof cur !== 'object') return undefined;
        cur = (cur as Record<string, unknown>)[key];
    }
    return cur;
}

/** `a=b,c!=d` against dotted field paths (`involvedObject.name=trainer-0`, `spec.nodeName=…`). */
export function matchesFieldSelector(obj: object, selector: string | null): boolean {
    if (!selector) return true;
    return selector.split(',').every(term => {
        const [, key, op, want] = /^([^!=]+)(==|=|!=)(.*)$/.exec(term.trim()) ?? [];
        if (key === undefined || want === undefined) return true;
        const eq = String(get(obj, key.trim()) ?? '') === want.trim();
        return op === '!=' ? !eq : eq;
    });
}

/** Equality-based label selectors: `k=v`, `k==v`, `k!=v`, `k`, `!k`. */
export function matchesLabelSelector(labels: Record<string, string> | undefined, selector: string | null): boolean {
    if (!selector) return true;
    const l = labels ?? {};
    return selector.split(',').every(term => {
        const t = term.trim();
        if (!t) return true;
        if (t.startsWith('!')) return !(t.slice(1) in l);
        const [, key, op, want] = /^([^!=]+)(==|=|!=)(.*)$/.exec(t) ?? [];
        if (key === undefined || want === undefined) return t in l;
        const eq = l[key.trim()] === want.trim();
        return op === '!=' ? !eq : eq;
    });
}
