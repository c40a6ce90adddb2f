/**
 * Everything streaming_scan_cluster judges, read once per cluster (and namespace): the cluster and its node
 * pools from ARM; pods, events and nodes from the Kubernetes API in three list calls (not one per pod); then
 * each distinct image once, whatever the number of pods that run it, with its registry, the kubelet's pull
 * permission on that registry and the repository's setting read once each. Every pod is then diagnosed by
 * the same pure rules as streaming_diagnose. A read that fails becomes an unknown fact (the image's verdict
 * is then "unknown"), never a false "streams"; only the cluster itself and its pod list are required.
 *
 * Kept for a minute per cluster and namespace, so the pages after the first cost nothing.
 */
import type { AzureAccess, ClusterInfo, ImageRef, RegistryInfo } from '../../azure/azure-access.js';
import { mapLimit } from '../../azure/concurrency.js';
import { judgeImage, type ClusterImage, type ImageRun } from '../../streaming/cluster-ranking.js';
import { diagnose, type DiagnosisFacts } from '../../streaming/diagnosis.js';
import { isUnknown, unknownFact, type Fact } from '../../streaming/facts.js';
import { pullRecord, splitFieldPath } from '../../streaming/kubelet-events.js';
import { podFromApi, type ApiEvent, type ApiNode, type ApiPod } from '../../streaming/pod-from-api.js';
import { sameRepository } from '../../streaming/pod-rules.js';
import { registryFindings } from '../../streaming/registry-rules.js';
import { known, pullGrant, readFact } from './read-fact.js';
import { SnapshotCache } from './snapshot-cache.js';

/** Images inspected at once; each is a few registry calls, and the registry gate bounds them per registry. */
export const IMAGE_CONCURRENCY = 8;
export const CLUSTER_SNAPSHOT_TTL_MS = 60_000;

export interface ClusterSnapshot {
    cluster: ClusterInfo;
    images: ClusterImage[];
    pods: number;
    /** Distinct images not served by an Azure container registry of this cloud (they cannot stream). */
    otherImages: number;
}

export interface ClusterScanRequest {
    cluster: string;
    resourceGroup?: string;
    namespace?: string;
}


const snapshots = new SnapshotCache<ClusterSnapshot>(CLUSTER_SNAPSHOT_TTL_MS);

export function clusterSnapshot(azure: AzureAccess, req: ClusterScanRequest, signal: AbortSignal, registeredTools: ReadonlySet<string>): Promise<ClusterSnapshot> {
    const key = [req.resourceGroup ?? '', req.cluster, req.namespace ?? ''].join('\u0000').toLowerCase();
    return snapshots.get(azure, key, signal, () => readCluster(azure, req, signal, registeredTools));
}

interface PodEntry {
    pod: ApiPod;
    label: string;
}

async function readCluster(azure: AzureAccess, req: ClusterScanRequest, signal: AbortSignal, registeredTools: ReadonlySet<string>): Promise<ClusterSnapshot> {
    const o = { abortSignal: signal };
    const cluster = await azure.findCluster(req.cluster, { ...o, ...(req.resourceGroup ? { resourceGroup: req.resourceGroup } : {}) });
    const [pools, kube] = await Promise.all([readFact(signal, () => azure.listAgentPools(cluster, o)), azure.kube(cluster, o)]);
    const [pods, events, nodes] = await Promise.all([
        req.namespace ? kube.listPods(req.namespace, o) : kube.listAllPods(o),
        readFact(signal, () => kube.listAllEvents(req.namespace, o)),
        readFact(signal, () => kube.listNodes(o))
    ]);
    const eventsOf = groupEvents((known(events) ?? []) as ApiEvent[] as (ApiEvent & { involvedObject?: { kind?: string; namespace?: string; name?: string } })[]);
    const nodeByName = new Map(((known(nodes) ?? []) as ApiNode[]).map(n => [n.metadata?.name ?? '', n]));

    // Distinct images by reference; an image that is not on an ACR login server of this cloud cannot stream.
    const byImage = new Map<string, { ref: ImageRef; pods: PodEntry[] }>();
    const others = new Set<string>();
    for (const pod of pods as ApiPod[]) {
        const label = `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? '?'}`;
        for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
            if (!c.image) continue;
            let ref: ImageRef;
            try {
                ref = azure.parseImage(c.image);
            } catch {
                others.add(c.image);
                continue;
            }
            const entry = byImage.get(ref.text) ?? { ref, pods: [] };
            if (!entry.pods.some(p => p.label === label)) entry.pods.push({ pod, label });
            byImage.set(ref.text, entry);
        }
    }

    // Per registry: its facts and the kubelet's pull grant, once; then its repositories' pull tokens together.
    const registries = new Map<string, Promise<{ reg: Fact<RegistryInfo | null>; grant: DiagnosisFacts['acrPull'] }>>();
    const registryOf = (ref: ImageRef) => {
        let p = registries.get(ref.registry.toLowerCase());
        if (!p) {
            p = (async () => {
                const reg = await readFact(signal, () => azure.findRegistry(ref.registry, o));
                const r = known(reg);
                if (!r) return { reg, grant: undefined };
                const repos = [...new Set([...byImage.values()].filter(i => i.ref.registry.toLowerCase() === ref.registry.toLowerCase()).map(i => i.ref.repository))];
                const [grant] = await Promise.all([pullGrant(azure, cluster, r, signal), azure.authorizeRepositories(r, repos, o).catch(() => undefined)]);
                return { reg, grant };
            })();
            registries.set(ref.registry.toLowerCase(), p);
        }
        return p;
    };
    const settings = new Map<string, Promise<Fact<{ convertPushedImages: boolean } | null>>>();
    const settingOf = (r: RegistryInfo, repo: string) => {
        const k = `${r.loginServer}/${repo}`;
        let p = settings.get(k);
        if (!p) settings.set(k, (p = readFact(signal, () => azure.getRepositoryStreaming(r, repo, o))));
        return p;
    };

    const clusterFacts = { name: cluster.name, resourceGroup: cluster.resourceGroup, kubernetesVersion: cluster.kubernetesVersion };
    const nodePools = pools === null ? [] : pools;
    const images = await mapLimit([...byImage.values()], IMAGE_CONCURRENCY, async ({ ref, pods: running }) => {
        const { reg, grant } = await registryOf(ref);
        const r = known(reg);
        if (r && r.loginServer !== ref.loginServer) return undefined;
        const canStream = r ? registryFindings(r).length === 0 : false;
        const [inspection, repository] = r
            ? await Promise.all([readFact(signal, () => azure.inspectImage(r, ref, { ...o, operations: canStream })), canStream ? settingOf(r, ref.repository) : Promise.resolve(undefined)])
            : [undefined, undefined];
        const base: DiagnosisFacts = {
            target: { text: ref.text, registry: ref.registry, loginServer: ref.loginServer, repository: ref.repository, ...(ref.tag ? { tag: ref.tag } : {}), ...(ref.digest ? { digest: ref.digest } : {}) },
            registry: reg,
            cluster: clusterFacts,
            nodePools,
            ...(grant !== undefined ? { acrPull: grant } : {}),
            ...(repository !== undefined ? { repository: repository === null ? unknownFact('the repository has no streaming settings') : repository } : {}),
            ...imageFacts(inspection)
        };
        const runs: ImageRun[] = running.map(({ pod, label }) => {
            const podEvents = eventsOf.get(label) ?? [];
            const node = pod.spec?.nodeName ? nodeByName.get(pod.spec.nodeName) : undefined;
            const facts = podFromApi(pod, podEvents, node ?? null);
            const last = newestPull(podEvents, ref.text);
            return {
                pod: label,
                ...(facts.nodePool ? { nodePool: facts.nodePool } : {}),
                diagnosis: diagnose({ ...base, pod: facts, podName: label }, { registeredTools }),
                ...(last ? { lastPull: last } : {})
            };
        });
        return judgeImage(ref.text, runs);
    });
    return { cluster, images: images.filter((i): i is ClusterImage => i !== undefined), pods: pods.length, otherImages: others.size };
}

function imageFacts(inspection: Fact<Awaited<ReturnType<AzureAccess['inspectImage']>> | null> | undefined): Pick<DiagnosisFacts, 'image' | 'conversion'> {
    if (inspection === undefined) return {};
    if (inspection === null) return { image: null };
    if (isUnknown(inspection)) return { image: inspection, conversion: inspection };
    const m = inspection.manifest;
    return {
        image: { mediaType: m.mediaType, platforms: m.platforms, isStreamingArtifact: m.isStreamingArtifact },
        conversion: { artifactPresent: inspection.streamingArtifact.present, lastOperation: inspection.lastOperation }
    };
}


/** Events by the pod they are about (`namespace/name`). */
function groupEvents(events: readonly (ApiEvent & { involvedObject?: { kind?: string; namespace?: string; name?: string } })[]): Map<string, ApiEvent[]> {
    const out = new Map<string, ApiEvent[]>();
    for (const e of events) {
        const io = e.involvedObject;
        if (!io?.name || (io.kind && io.kind !== 'Pod')) continue;
        const k = `${io.namespace ?? 'default'}/${io.name}`;
        const list = out.get(k) ?? [];
        list.push(e);
        out.set(k, list);
    }
    return out;
}

const eventTime = (e: ApiEvent) => new Date((e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? 0) as string).getTime() || 0;

/** The newest kubelet Pulled event of this image's repository among a pod's events. */
function newestPull(events: readonly ApiEvent[], image: string): { seconds: number; at: number } | undefined {
    let best: { seconds: number; at: number } | undefined;
    for (const e of events) {
        const rec = pullRecord(e.reason ?? '', splitFieldPath((e.message ?? '').trim()).message);
        if (!rec || !sameRepository(rec.image, image)) continue;
        const at = eventTime(e);
        if (!best || at >= best.at) best = { seconds: rec.seconds, at };
    }
    return best;
}
