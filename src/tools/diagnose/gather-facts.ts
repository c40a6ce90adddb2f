/**
 * Gathers what streaming_diagnose judges, as plain facts for src/streaming/diagnosis.ts. The registry side
 * (registry → image and repository setting) and the cluster side (cluster → node pools, pull permission, the
 * pod → its events, node and service account) run concurrently; the only join is the pull-permission check,
 * which needs both the registry and the cluster. Every read that fails becomes an Unknown fact (or null for
 * "does not exist"), never an exception: the verdict is then "unknown", never a false "streams".
 */
import type { AzureAccess, ClusterInfo, ImageRef, KubeAccess, RegistryInfo } from '../../azure/azure-access.js';
import type { DiagnosisFacts } from '../../streaming/diagnosis.js';
import { isUnknown, unknownFact, type Fact, type PodFacts, type Unknown } from '../../streaming/facts.js';
import { parsePastedPod } from '../../streaming/pasted-pod.js';
import { podFromApi } from '../../streaming/pod-from-api.js';
import { registryFindings } from '../../streaming/registry-rules.js';
import { ToolError } from '../../tool-error.js';
import { asUnknown, known, pullGrant, readFact } from './read-fact.js';

export interface GatherRequest {
    ref: ImageRef;
    cluster?: string;
    resourceGroup?: string;
    nodePool?: string;
    namespace?: string;
    pod?: string;
    podDescription?: string;
}

export async function gatherFacts(azure: AzureAccess, req: GatherRequest, signal: AbortSignal): Promise<DiagnosisFacts> {
    const o = { abortSignal: signal };
    const { ref } = req;
    const pasted = req.podDescription ? parsePastedPod(req.podDescription) : undefined;
    if (req.podDescription && !pasted) {
        throw new ToolError(
            'podDescription holds no pod or events',
            'it should be the text `kubectl describe pod <name>` or `kubectl get events` prints (or `kubectl get pod <name> -o yaml`)',
            'paste that output unchanged, or leave podDescription out',
            'INVALID_INPUT'
        );
    }

    if (req.cluster && (req.pod || pasted?.name)) azure.preloadKubernetes();
    const registry = readFact(signal, () => azure.findRegistry(ref.registry, o));
    const registrySide = (async () => {
        const reg = await registry;
        const r = known(reg);
        if (!r) return { image: undefined, conversion: undefined, repository: undefined };
        if (r.loginServer !== ref.loginServer) {
            throw new ToolError(`Registry ${r.name} is served at ${r.loginServer}`, `Resource Manager reports a different login server than ${ref.loginServer}`, `use ${r.loginServer}/${ref.repository}…`, 'HOST_NOT_ALLOWED');
        }
        // Registries that cannot stream refuse the streaming endpoints: do not ask them.
        const canStream = registryFindings(r).length === 0;
        const [inspection, repository] = await Promise.all([
            // Only a failure's details matter here (its code); other statuses need no operation read.
            readFact(signal, () => azure.inspectImage(r, ref, { ...o, operations: canStream, operationDetailsFor: ['Failed'] })),
            canStream ? readFact(signal, () => azure.getRepositoryStreaming(r, ref.repository, o)) : Promise.resolve(undefined)
        ]);
        if (inspection === null || isUnknown(inspection)) return { image: inspection, conversion: isUnknown(inspection) ? inspection : undefined, repository: repository ?? undefined };
        const m = inspection.manifest;
        return {
            image: { mediaType: m.mediaType, platforms: m.platforms, isStreamingArtifact: m.isStreamingArtifact },
            conversion: { artifactPresent: inspection.streamingArtifact.present, lastOperation: inspection.lastOperation },
            repository: repository ?? undefined
        };
    })();

    const clusterSide = req.cluster ? gatherCluster(azure, req, registry, pasted, signal) : Promise.resolve(pastedOnly(pasted));
    const [reg, regSide, clu] = await Promise.all([registry, registrySide, clusterSide]);
    return {
        target: { text: ref.text, registry: ref.registry, loginServer: ref.loginServer, repository: ref.repository, ...(ref.tag ? { tag: ref.tag } : {}), ...(ref.digest ? { digest: ref.digest } : {}) },
        registry: reg,
        ...(regSide.repository !== undefined ? { repository: regSide.repository === null ? unknownFact('the repository has no streaming settings') : regSide.repository } : {}),
        ...(regSide.image !== undefined ? { image: regSide.image } : {}),
        ...(regSide.conversion !== undefined ? { conversion: regSide.conversion } : {}),
        ...clu,
        ...(req.nodePool ? { nodePool: req.nodePool } : {})
    };
}

type ClusterFactsPart = Pick<DiagnosisFacts, 'cluster' | 'acrPull' | 'nodePools' | 'pod' | 'podName'>;

function pastedOnly(pasted: PodFacts | undefined): ClusterFactsPart {
    return pasted ? { pod: pasted, podName: podLabel(pasted.namespace, pasted.name) } : {};
}

const podLabel = (ns: string | undefined, name: string | undefined) => (name ? `${ns ?? 'default'}/${name}` : '(pasted pod)');

async function gatherCluster(azure: AzureAccess, req: GatherRequest, registry: Promise<Fact<RegistryInfo | null>>, pasted: PodFacts | undefined, signal: AbortSignal): Promise<ClusterFactsPart> {
    const o = { abortSignal: signal };
    const cluster = await readFact(signal, () => azure.findCluster(req.cluster!, { ...o, resourceGroup: req.resourceGroup }));
    const c = known(cluster);
    const clusterFacts = c ? { name: c.name, resourceGroup: c.resourceGroup, kubernetesVersion: c.kubernetesVersion } : (cluster as null | Unknown);
    if (!c) return { cluster: clusterFacts, ...pastedOnly(pasted) };
    const podName = req.pod ?? pasted?.name;
    const namespace = req.namespace ?? pasted?.namespace ?? 'default';
    const [nodePools, acrPull, pod] = await Promise.all([
        readFact(signal, () => azure.listAgentPools(c, o)),
        pullGrantOf(azure, c, registry, signal),
        podName ? readPod(azure, c, namespace, podName, pasted, signal) : Promise.resolve(pasted)
    ]);
    return {
        cluster: clusterFacts,
        ...(acrPull !== undefined ? { acrPull } : {}),
        nodePools: nodePools === null ? [] : nodePools,
        ...(pod !== undefined ? { pod, podName: podLabel(namespace, podName) } : {})
    };
}

async function pullGrantOf(azure: AzureAccess, c: ClusterInfo, registry: Promise<Fact<RegistryInfo | null>>, signal: AbortSignal): Promise<DiagnosisFacts['acrPull']> {
    const reg = known(await registry);
    return reg ? pullGrant(azure, c, reg, signal) : undefined;
}

/**
 * The pod from the Kubernetes API: the pod first, then its events, node and service account together. A pod
 * the API cannot show (no permission, a private cluster) falls back to the pasted text when there is one.
 */
async function readPod(azure: AzureAccess, c: ClusterInfo, namespace: string, name: string, pasted: PodFacts | undefined, signal: AbortSignal): Promise<Fact<PodFacts | null>> {
    const o = { abortSignal: signal };
    let kube: KubeAccess;
    try {
        kube = await azure.kube(c, o);
    } catch (e) {
        if (signal.aborted) throw e;
        return pasted ?? asUnknown(e);
    }
    const pod = await readFact(signal, () => kube.getPod(namespace, name, o));
    if (pod === null) return pasted ?? null;
    if (isUnknown(pod)) return pasted ?? pod;
    const sa = pod.spec?.serviceAccountName;
    const [events, node, account] = await Promise.all([
        readFact(signal, () => kube.listEvents(namespace, name, o)),
        pod.spec?.nodeName ? readFact(signal, () => kube.getNode(pod.spec!.nodeName!, o)) : Promise.resolve(null),
        sa ? readFact(signal, () => kube.getServiceAccount(namespace, sa, o)) : Promise.resolve(null)
    ]);
    // Events expire (an hour by default): pasted ones still count when the API no longer has them.
    const apiEvents = known(events) ?? [];
    const facts = podFromApi(pod as never, apiEvents as never, known(node) as never, known(account) as never);
    if (pasted && facts.events.length === 0) return { ...facts, events: pasted.events, pulls: pasted.pulls };
    if (isUnknown(events) && !pasted) return { ...facts, gaps: [`events: ${events.why}`] };
    return facts;
}
