/**
 * Service accounts: the world's, plus the `default` account Kubernetes creates in every namespace (without
 * pull secrets). Pods copy their account's imagePullSecrets at admission (pods.ts), as the ServiceAccount
 * admission plugin does.
 */
import { stableGuid } from '../state.js';
import type { WorldCluster, WorldServiceAccount } from '../world/schema.js';

export function serviceAccounts(c: WorldCluster): WorldServiceAccount[] {
    const namespaces = [...new Set(['default', 'kube-system', ...c.pods.map(p => p.namespace), ...c.serviceAccounts.map(a => a.namespace)])].sort();
    const defaults = namespaces
        .filter(ns => !c.serviceAccounts.some(a => a.namespace === ns && a.name === 'default'))
        .map(ns => ({ namespace: ns, name: 'default', imagePullSecrets: [] }));
    return [...defaults, ...c.serviceAccounts];
}

export function serviceAccountJson(c: WorldCluster, a: WorldServiceAccount): object {
    return {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: a.name, namespace: a.namespace, uid: stableGuid('serviceaccount', c.name, a.namespace, a.name), resourceVersion: '1', creationTimestamp: '2025-10-01T00:00:00Z' },
        ...(a.imagePullSecrets.length > 0 ? { imagePullSecrets: a.imagePullSecrets.map(name => ({ name })) } : {})
    };
}
