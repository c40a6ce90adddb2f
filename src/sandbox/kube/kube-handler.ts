/**
 * One cluster's Kubernetes API server (read-only): discovery (`/version`, `/api`, `/apis`, `/api/v1`, what
 * kubectl asks first), namespaces, pods, events and nodes, with the field and label selectors clients send.
 * Every call except `/version` and health checks needs the kubeconfig's bearer token (401 Status otherwise),
 * like an API server that only grants system:public-info-viewer to anonymous users.
 */
import { json, type SandboxHandler, type SandboxRequest, type SandboxResponse } from '../http/types.js';
import type { WorldCluster } from '../world/schema.js';
import { currentCluster, kubeList, matchesFieldSelector, matchesLabelSelector, notFound, status, type KubeContext } from './kube-common.js';
import { podEvents } from './events.js';
import { clusterNodes, nodeJson } from './nodes.js';
import { podJson } from './pods.js';
import { serviceAccountJson, serviceAccounts } from './service-accounts.js';

const PUBLIC = new Set(['/version', '/healthz', '/livez', '/readyz']);

const RESOURCES = [
    { name: 'events', singularName: 'event', namespaced: true, kind: 'Event', verbs: ['get', 'list'], shortNames: ['ev'] },
    { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list'], shortNames: ['ns'] },
    { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: ['get', 'list'], shortNames: ['no'] },
    { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'], categories: ['all'] },
    { name: 'serviceaccounts', singularName: 'serviceaccount', namespaced: true, kind: 'ServiceAccount', verbs: ['get', 'list'], shortNames: ['sa'] }
];

function versionJson(c: WorldCluster): object {
    const [major, minor] = c.kubernetesVersion.split('.');
    return {
        major,
        minor,
        gitVersion: `v${c.kubernetesVersion}`,
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: '2025-10-01T00:00:00Z',
        goVersion: 'go1.24.6',
        compiler: 'gc',
        platform: 'linux/amd64'
    };
}

function namespaces(c: WorldCluster): string[] {
    return [...new Set(['default', 'kube-system', ...c.pods.map(p => p.namespace)])].sort();
}

function namespaceJson(name: string): object {
    return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, resourceVersion: '1', labels: { 'kubernetes.io/metadata.name': name } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

function filtered<T extends { metadata?: { labels?: Record<string, string> } }>(req: SandboxRequest, items: T[]): T[] {
    const fs = req.url.searchParams.get('fieldSelector');
    const ls = req.url.searchParams.get('labelSelector');
    return items.filter(i => matchesFieldSelector(i, fs) && matchesLabelSelector(i.metadata?.labels, ls));
}

type Obj = { metadata?: { labels?: Record<string, string> } };

function route(ctx: KubeContext, req: SandboxRequest, path: string): SandboxResponse | undefined {
    const c = currentCluster(ctx);
    const { state } = ctx;
    if (path === '/version') return json(200, versionJson(c));
    if (path === '/healthz' || path === '/livez' || path === '/readyz') return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };
    if (path === '/api') {
        return json(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: ctx.hostPort }] });
    }
    if (path === '/apis') return json(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (path === '/api/v1') return json(200, { kind: 'APIResourceList', groupVersion: 'v1', resources: RESOURCES });

    const pods = (ns?: string) => c.pods.filter(p => ns === undefined || p.namespace === ns);
    if (path === '/api/v1/namespaces') return kubeList('NamespaceList', filtered(req, namespaces(c).map(namespaceJson) as Obj[]));
    if (path === '/api/v1/pods') return kubeList('PodList', filtered(req, pods().map(p => podJson(state, c, p)) as Obj[]));
    if (path === '/api/v1/events') return kubeList('EventList', filtered(req, pods().flatMap(p => podEvents(state, c, p)) as Obj[]));
    if (path === '/api/v1/nodes') return kubeList('NodeList', filtered(req, clusterNodes(c).map(n => nodeJson(state, c, n)) as Obj[]));

    const [, node] = /^\/api\/v1\/nodes\/([^/]+)$/.exec(path) ?? [];
    if (node !== undefined) {
        const n = clusterNodes(c).find(x => x.name === node);
        return n ? json(200, nodeJson(state, c, n)) : notFound('nodes', node);
    }
    const [, namespace] = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(path) ?? [];
    if (namespace !== undefined) return namespaces(c).includes(namespace) ? json(200, namespaceJson(namespace)) : notFound('namespaces', namespace);
    if (path === '/api/v1/serviceaccounts') return kubeList('ServiceAccountList', filtered(req, serviceAccounts(c).map(a => serviceAccountJson(c, a)) as Obj[]));
    const [, saNs, saName] = /^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts(?:\/([^/]+))?$/.exec(path) ?? [];
    if (saNs !== undefined) {
        const inNs = serviceAccounts(c).filter(a => a.namespace === saNs);
        if (saName === undefined) return kubeList('ServiceAccountList', filtered(req, inNs.map(a => serviceAccountJson(c, a)) as Obj[]));
        const sa = inNs.find(a => a.name === saName);
        return sa ? json(200, serviceAccountJson(c, sa)) : notFound('serviceaccounts', saName);
    }
    const [, listNs, kind] = /^\/api\/v1\/namespaces\/([^/]+)\/(pods|events)$/.exec(path) ?? [];
    if (listNs !== undefined) {
        if (kind === 'pods') return kubeList('PodList', filtered(req, pods(listNs).map(p => podJson(state, c, p)) as Obj[]));
        return kubeList('EventList', filtered(req, pods(listNs).flatMap(p => podEvents(state, c, p)) as Obj[]));
    }
    const [, podNs, podName] = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(path) ?? [];
    if (podNs !== undefined && podName !== undefined) {
        const pod = c.pods.find(p => p.namespace === podNs && p.name === podName);
        return pod ? json(200, podJson(state, c, pod)) : notFound('pods', podName);
    }
    return undefined;
}

export function createKubeHandler(ctx: KubeContext): SandboxHandler {
    return req => {
        const path = req.path.replace(/\/+$/, '') || '/';
        if (!PUBLIC.has(path)) {
            const auth = req.headers.authorization ?? '';
            if (auth !== `Bearer ${ctx.token}`) return status(401, 'Unauthorized', 'Unauthorized');
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') {
            return status(405, 'MethodNotAllowed', `the sandbox API server is read-only: ${req.method} is not supported`);
        }
        // `watch=true` would need a streaming answer; the sandbox's objects never change on their own.
        if (req.url.searchParams.get('watch') === 'true' || req.url.searchParams.get('watch') === '1') {
            return status(405, 'MethodNotAllowed', 'the sandbox API server does not support watch');
        }
        return route(ctx, req, path) ?? status(404, 'NotFound', `the server could not find the requested resource (${path})`);
    };
}
