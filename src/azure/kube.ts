/**
 * Kubernetes reads for diagnosis: pods, one pod, a pod's events, nodes. The kubeconfig comes from ARM
 * (listClusterUserCredential). It is re-built from its cluster entry so nothing in it can run a program
 * (exec/auth-provider users) or turn TLS checks off; Entra-enabled clusters get a token for the AKS AAD
 * server application from our own credential, which is what kubelogin would fetch.
 */
import { noteAttempt, noteSending } from '../call-activity.js';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelineRequest } from '@azure/core-rest-pipeline';
import type { CoreV1Event, V1Node, V1Pod, V1ServiceAccount } from '@kubernetes/client-node';
import { setTimeout as delay } from 'node:timers/promises';
import { ToolError } from '../tool-error.js';
import { ATTEMPT_TIMEOUT, isAbortError } from './errors.js';
import { retryWait, type RetrySettings } from './http-policies.js';
import { isRestError, loadRest, type RestModule } from './rest.js';
import type { CallOptions } from './types.js';

/** The well-known AKS AAD server application (Azure Kubernetes Service AAD Server). */
export const AKS_AAD_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';

export interface KubeAccess {
    listPods(namespace: string, opts: CallOptions): Promise<V1Pod[]>;
    getPod(namespace: string, name: string, opts: CallOptions): Promise<V1Pod>;
    /** Events whose involvedObject is `name` (a pod), newest last as the API returns them. */
    listEvents(namespace: string, involvedName: string, opts: CallOptions): Promise<CoreV1Event[]>;
    listNodes(opts: CallOptions): Promise<V1Node[]>;
    /** Pods of every namespace (a cluster-wide scan). */
    listAllPods(opts: CallOptions): Promise<V1Pod[]>;
    /** Every event of a namespace, or of all namespaces: one call for a whole scan instead of one per pod. */
    listAllEvents(namespace: string | undefined, opts: CallOptions): Promise<CoreV1Event[]>;
    getNode(name: string, opts: CallOptions): Promise<V1Node>;
    /** The pod's service account: its imagePullSecrets say where a pod's pull secrets came from. */
    getServiceAccount(namespace: string, name: string, opts: CallOptions): Promise<V1ServiceAccount>;
}

export interface KubeSetup extends CallOptions {
    credential: TokenCredential;
    /**
     * Every read is a GET, retried as ARM and registry reads are (http-policies.ts). `timeoutMs` bounds each
     * attempt: client-node takes no AbortSignal, so each attempt is raced against it and the signal.
     */
    retry: RetrySettings;
}

function unusable(why: string): ToolError {
    return new ToolError('The kubeconfig from Resource Manager cannot be used', why, 'check the cluster with `az aks get-credentials` and `kubectl cluster-info`', 'KUBECONFIG_UNUSABLE');
}

let kubeClient: Promise<typeof import('@kubernetes/client-node')> | undefined;

/**
 * The Kubernetes client, imported once. It is a large module: a diagnosis starts importing it while its first
 * ARM calls are in flight (AzureAccess.preloadKubernetes) instead of after the kubeconfig arrived.
 */
export function loadKubeClient(): Promise<typeof import('@kubernetes/client-node')> {
    kubeClient ??= import('@kubernetes/client-node').catch(e => {
        kubeClient = undefined;
        throw e;
    });
    return kubeClient;
}

export async function kubeAccessFromKubeconfig(yaml: string, setup: KubeSetup): Promise<KubeAccess> {
    const [k8s, rest] = await Promise.all([loadKubeClient(), loadRest()]);
    const loaded = new k8s.KubeConfig();
    loaded.loadFromString(yaml);
    const cluster = loaded.getCurrentCluster();
    const user = loaded.getCurrentUser();
    if (!cluster || !user) throw unusable('it has no current cluster or user');
    // The user's token or key goes to this server: https only, so it is never sent in the clear.
    if (!/^https:\/\//i.test(cluster.server)) throw unusable('it names an API server that is not https, and credentials are never sent in the clear');
    let safeUser: { name: string; token?: string; certData?: string; keyData?: string };
    if (user.token || (user.certData && user.keyData)) {
        safeUser = { name: 'user', ...(user.token ? { token: user.token } : { certData: user.certData, keyData: user.keyData }) };
    } else {
        const token = await setup.credential.getToken(AKS_AAD_SCOPE, { abortSignal: setup.abortSignal });
        if (!token) throw unusable('no token for the AKS AAD server application');
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
    const server = cluster.server.replace(/\/+$/, '');
    const { timeoutMs } = setup.retry;
    // client-node 1.x takes no AbortSignal: race each attempt against the signal and a timeout instead.
    const attempt = async <T>(request: PipelineRequest, n: number, opts: CallOptions, call: () => Promise<T>): Promise<T> => {
        const guard = new AbortController();
        const onAbort = () => guard.abort();
        opts.abortSignal.addEventListener('abort', onAbort, { once: true });
        const started = Date.now();
        noteSending('GET', request.url, n);
        try {
            const answer = await Promise.race([
                call().catch(e => {
                    throw kubeError(rest, k8s.ApiException, e, request);
                }),
                delay(timeoutMs, undefined, { signal: guard.signal }).then(() => {
                    throw new rest.RestError(`no answer from ${new URL(server).host} within ${timeoutMs} ms (${n} attempt${n === 1 ? '' : 's'})`, { code: ATTEMPT_TIMEOUT, request });
                })
            ]);
            noteAttempt('GET', request.url, n, { status: 200 }, Date.now() - started);
            return answer;
        } catch (e) {
            const r = e as { statusCode?: number; code?: string; name?: string };
            noteAttempt('GET', request.url, n, typeof r.statusCode === 'number' ? { status: r.statusCode } : { error: r.code ?? r.name ?? 'error' }, Date.now() - started);
            throw e;
        } finally {
            opts.abortSignal.removeEventListener('abort', onAbort);
            guard.abort();
        }
    };
    const bounded = async <T>(path: string, opts: CallOptions, call: () => Promise<T>): Promise<T> => {
        const request = rest.createPipelineRequest({ url: `${server}${path}`, method: 'GET' });
        for (let retryCount = 0; ; retryCount++) {
            try {
                return await attempt(request, retryCount + 1, opts, call);
            } catch (e) {
                if (!isRestError(e) || opts.abortSignal.aborted) throw e;
                const wait = retryWait({ retryCount, ...(e.response ? { response: e.response } : { responseError: e }) }, setup.retry);
                if (wait === undefined) throw e;
                await delay(wait, undefined, { signal: opts.abortSignal });
            }
        }
    };
    return {
        listPods: (namespace, opts) => bounded(`/api/v1/namespaces/${namespace}/pods`, opts, async () => (await core.listNamespacedPod({ namespace })).items),
        getPod: (namespace, name, opts) => bounded(`/api/v1/namespaces/${namespace}/pods/${name}`, opts, () => core.readNamespacedPod({ namespace, name })),
        listEvents: (namespace, involvedName, opts) =>
            bounded(`/api/v1/namespaces/${namespace}/events`, opts, async () => (await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${involvedName}` })).items),
        listNodes: opts => bounded('/api/v1/nodes', opts, async () => (await core.listNode()).items),
        listAllPods: opts => bounded('/api/v1/pods', opts, async () => (await core.listPodForAllNamespaces()).items),
        listAllEvents: (namespace, opts) =>
            namespace
                ? bounded(`/api/v1/namespaces/${namespace}/events`, opts, async () => (await core.listNamespacedEvent({ namespace })).items)
                : bounded('/api/v1/events', opts, async () => (await core.listEventForAllNamespaces()).items),
        getNode: (name, opts) => bounded(`/api/v1/nodes/${name}`, opts, () => core.readNode({ name })),
        getServiceAccount: (namespace, name, opts) =>
            bounded(`/api/v1/namespaces/${namespace}/serviceaccounts/${name}`, opts, () => core.readNamespacedServiceAccount({ namespace, name }))
    };
}

/**
 * client-node's ApiException (an HTTP answer; its message quotes the whole body and headers) and its
 * connection errors become RestErrors naming the API server, for the one error boundary (errors.ts).
 */
function kubeError(rest: RestModule, ApiException: abstract new (...args: never[]) => Error, e: unknown, request: ReturnType<RestModule['createPipelineRequest']>): unknown {
    if (isAbortError(e) || e instanceof ToolError) return e;
    if (e instanceof ApiException) {
        const { code, body } = e as Error & { code: number; body: unknown };
        let status: { message?: string; reason?: string } = {};
        try {
            status = (typeof body === 'string' ? JSON.parse(body) : body) as typeof status;
        } catch {
            /* not a Status object */
        }
        const { headers } = e as Error & { headers?: Record<string, string> };
        // The answer as a PipelineResponse: the retry decision and the error wording read its Retry-After.
        const response = { request, status: code, headers: rest.createHttpHeaders(headers ?? {}), ...(typeof body === 'string' ? { bodyAsText: body } : {}) };
        return new rest.RestError(status?.message ?? `HTTP ${code}`, { statusCode: code, ...(status?.reason ? { code: status.reason } : {}), request, response });
    }
    const code = (e as { code?: unknown })?.code;
    return new rest.RestError(String((e as Error)?.message ?? e).split('\n')[0]!, { ...(typeof code === 'string' ? { code } : {}), request });
}
