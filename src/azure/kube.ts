/**
 * Kubernetes reads for diagnosis: pods, one pod, a pod's events, nodes. The kubeconfig comes from ARM
 * (listClusterUserCredential). It is re-built from its cluster entry so nothing in it can run a program
 * (exec/auth-provider users) or turn TLS checks off; Entra-enabled clusters get a token for the AKS AAD
 * server application from our own credential, which is what kubelogin would fetch.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { CoreV1Event, V1Node, V1Pod } from '@kubernetes/client-node';
import { sleep } from './http-policies.js';
import { AzureTimeoutError } from './errors.js';

/** The well-known AKS AAD server application (Azure Kubernetes Service AAD Server). */
export const AKS_AAD_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';

export interface KubeAccess {
    listPods(namespace: string, signal: AbortSignal): Promise<V1Pod[]>;
    getPod(namespace: string, name: string, signal: AbortSignal): Promise<V1Pod>;
    /** Events whose involvedObject is `name` (a pod), newest last as the API returns them. */
    listEvents(namespace: string, involvedName: string, signal: AbortSignal): Promise<CoreV1Event[]>;
    listNodes(signal: AbortSignal): Promise<V1Node[]>;
}

export async function kubeAccessFromKubeconfig(yaml: string, credential: TokenCredential, timeoutMs: number, signal?: AbortSignal): Promise<KubeAccess> {
    const k8s = await import('@kubernetes/client-node');
    const loaded = new k8s.KubeConfig();
    loaded.loadFromString(yaml);
    const cluster = loaded.getCurrentCluster();
    const user = loaded.getCurrentUser();
    if (!cluster || !user) throw new Error('the kubeconfig from ARM has no current cluster or user');
    // The user's token or key goes to this server: https only, so it is never sent in the clear.
    if (!/^https:\/\//i.test(cluster.server)) throw new Error('the kubeconfig from ARM names an API server that is not https');
    let safeUser: { name: string; token?: string; certData?: string; keyData?: string };
    if (user.token || (user.certData && user.keyData)) {
        safeUser = { name: 'user', ...(user.token ? { token: user.token } : { certData: user.certData, keyData: user.keyData }) };
    } else {
        const token = await credential.getToken(AKS_AAD_SCOPE, signal ? { abortSignal: signal } : undefined);
        if (!token) throw new Error('no token for the AKS AAD server application');
        safeUser = { name: 'user', token: token.token };
    }
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
        clusters: [{ name: 'cluster', server: cluster.server, ...(cluster.caData ? { caData: cluster.caData } : {}), skipTLSVerify: false }],
        users: [safeUser],
        contexts: [{ name: 'ctx', cluster: 'cluster', user: 'user' }],
        currentContext: 'ctx'
    });
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const host = new URL(cluster.server).host;
    // client-node 1.x takes no AbortSignal: race the call against the signal and a timeout instead.
    const bounded = async <T>(signal: AbortSignal, call: () => Promise<T>): Promise<T> => {
        const guard = new AbortController();
        const onAbort = () => guard.abort();
        signal.addEventListener('abort', onAbort, { once: true });
        try {
            return await Promise.race([
                call(),
                sleep(timeoutMs, guard.signal).then(() => {
                    throw new AzureTimeoutError(host, timeoutMs, 1);
                })
            ]);
        } finally {
            signal.removeEventListener('abort', onAbort);
            guard.abort();
        }
    };
    return {
        listPods: (namespace, signal) => bounded(signal, async () => (await core.listNamespacedPod({ namespace })).items),
        getPod: (namespace, name, signal) => bounded(signal, () => core.readNamespacedPod({ namespace, name })),
        listEvents: (namespace, involvedName, signal) =>
            bounded(signal, async () => (await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${involvedName}` })).items),
        listNodes: signal => bounded(signal, async () => (await core.listNode()).items)
    };
}
