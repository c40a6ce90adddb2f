/**
 * The diagnosis as a pure function: gathered facts in, verdict + ordered findings + what was checked + an
 * ordered fix plan + the start-up estimate out. streaming_diagnose, the scans and the CLI all call this.
 */
import { estimateStartup, type Estimate, type EstimateAssumptions } from './estimate.js';
import {
    isUnknown,
    type ClusterFacts,
    type ConversionFacts,
    type Fact,
    type ImageFacts,
    type ImageTarget,
    type NodePoolFacts,
    type PodFacts,
    type PullGrantFacts,
    type RegistryFacts,
    type Unknown
} from './facts.js';
import { finding, hasBlocker, sortFindings, type Finding } from './findings.js';
import { fixes } from './fixes.js';
import { conversionFindings, imageEligibility, sizeFindings, streamedSizeBytes } from './image-rules.js';
import { acrPullFindings, clusterFindings, nodePoolFindings, type ClusterRef } from './nodepool-rules.js';
import { lastPull, podFindings } from './pod-rules.js';
import { registryFindings } from './registry-rules.js';
import { fixPlan, type FixStep } from './fix-plan.js';
import { verdictOf, type Checked, type CheckLayer, type Verdict } from './verdict.js';

export interface DiagnosisFacts {
    target: ImageTarget;
    /** null: not visible in the subscription. */
    registry: Fact<RegistryFacts | null>;
    repository?: Fact<{ convertPushedImages: boolean }>;
    /** null: no such tag/digest. Undefined: not looked at (the registry was not found). */
    image?: Fact<ImageFacts | null>;
    conversion?: Fact<ConversionFacts>;
    /** Undefined: no cluster named. null: not visible. */
    cluster?: Fact<ClusterFacts | null>;
    acrPull?: Fact<PullGrantFacts>;
    nodePools?: Fact<NodePoolFacts[]>;
    /** The node pool asked about (argument), when no pod says which one counts. */
    nodePool?: string;
    /** Undefined: no pod named or pasted. null: the named pod does not exist. */
    pod?: Fact<PodFacts | null>;
    /** The pod's name as asked for, for `checked` when it could not be read. */
    podName?: string;
}

export interface DiagnoseOptions {
    /** Change tools registered in this server: fixes naming any other tool keep only their command. */
    registeredTools?: ReadonlySet<string>;
    assumptions?: Partial<EstimateAssumptions>;
}

export interface Diagnosis {
    verdict: Verdict;
    findings: Finding[];
    checked: Checked[];
    fixPlan: FixStep[];
    estimate: Estimate | null;
}

export function diagnose(facts: DiagnosisFacts, opts: DiagnoseOptions = {}): Diagnosis {
    const t = facts.target;
    const found: Finding[] = [];
    const checked: Checked[] = [];
    const check = (layer: CheckLayer, subject: string, status: Checked['status'], note?: string) => checked.push({ layer, subject, status, ...(note ? { note } : {}) });
    const unavailable = (layer: CheckLayer, subject: string, u: Unknown) => {
        check(layer, subject, 'unavailable', u.why);
        found.push(finding('FACT_UNAVAILABLE', `${layer} (${subject}): ${u.why}`, fixes.info(u.fix ?? 'Retry; if it keeps failing, check your access to this resource.')));
    };

    // Registry, repository, image.
    const reg = facts.registry;
    let registry: RegistryFacts | undefined;
    if (isUnknown(reg)) unavailable('registry', t.registry, reg);
    else if (reg === null) {
        check('registry', t.registry, 'not_found');
        found.push(finding('REGISTRY_NOT_FOUND', `no registry named ${t.registry} is visible in the subscription`, fixes.info('Check the registry name and the subscription (az account show); you need at least Reader on the registry.')));
    } else {
        registry = reg;
        check('registry', reg.name, 'checked');
        found.push(...registryFindings(reg, t));
    }

    const repo = facts.repository;
    if (isUnknown(repo)) {
        // Auto-conversion only matters for future pushes: not knowing it does not stop a "streams" verdict.
        check('repository', t.repository, 'unavailable', repo.why);
        found.push(finding('FACT_UNAVAILABLE', `repository (${t.repository}): ${repo.why}`, fixes.info(repo.fix ?? 'Retry to learn whether new pushes are converted.'), 'info'));
    }
    else if (repo) {
        check('repository', t.repository, 'checked');
        if (!repo.convertPushedImages) found.push(finding('REPOSITORY_AUTO_CONVERSION_OFF', `${t.repository}: convertPushedImages is false`, fixes.autoConversion(t)));
    }

    const img = facts.image;
    let image: ImageFacts | undefined;
    let convertible = false;
    if (isUnknown(img)) unavailable('image', t.text, img);
    else if (img === null) {
        check('image', t.text, 'not_found');
        found.push(finding('IMAGE_NOT_FOUND', `${t.loginServer} has no manifest for ${t.digest ? `digest ${t.digest}` : `tag "${t.tag}"`} in ${t.repository}`, fixes.showTags(t)));
    } else if (img) {
        image = img;
        check('image', t.text, 'checked');
        const e = imageEligibility(img);
        convertible = e.convertible;
        found.push(...e.findings, ...sizeFindings(streamedSizeBytes(img)));
    } else check('image', t.text, 'skipped', registry ? undefined : 'the registry was not found');

    const conv = facts.conversion;
    if (isUnknown(conv)) unavailable('conversion', t.text, conv);
    else if (conv && image && !image.isStreamingArtifact) {
        check('conversion', t.text, 'checked');
        // A non-Premium registry can become Premium (an earlier step of the plan); a CMK registry cannot stream at all.
        found.push(...conversionFindings(conv, t, convertible && registry !== undefined && !registry.customerManagedKey));
    } else if (image?.isStreamingArtifact) check('conversion', t.text, 'checked', 'the reference is itself a streaming artifact');
    else check('conversion', t.text, 'skipped');

    // Cluster, pull permission, node pool, pod.
    const cl = facts.cluster;
    let cluster: ClusterFacts | undefined;
    if (cl === undefined) check('cluster', '(none named)', 'skipped', 'name a cluster to check the node side');
    else if (isUnknown(cl)) unavailable('cluster', '(cluster)', cl);
    else if (cl === null) {
        check('cluster', '(cluster)', 'not_found');
        found.push(finding('CLUSTER_NOT_FOUND', 'no managed cluster of that name is visible in the subscription', fixes.info('Check the cluster name, resource group and subscription (az aks list -o table).')));
    } else {
        cluster = cl;
        check('cluster', `${cl.resourceGroup}/${cl.name}`, 'checked');
        found.push(...clusterFindings(cl));
    }
    const ref: ClusterRef = cluster ? { cluster: cluster.name, resourceGroup: cluster.resourceGroup } : { cluster: '<cluster>', resourceGroup: '<resource group>' };

    const grant = facts.acrPull;
    if (isUnknown(grant)) unavailable('acrPull', t.registry, grant);
    else if (grant && cluster && registry) {
        check('acrPull', `${cluster.name} → ${registry.name}`, 'checked', grant.role ?? undefined);
        found.push(...acrPullFindings(grant, cluster, registry));
    } else check('acrPull', t.registry, 'skipped');

    const pod = facts.pod;
    let podFacts: PodFacts | undefined;
    const podSubject = facts.podName ?? '(pod)';
    if (isUnknown(pod)) unavailable('pod', podSubject, pod);
    else if (pod === null) {
        check('pod', podSubject, 'not_found');
        found.push(finding('POD_NOT_FOUND', `no pod ${podSubject} in the cluster`, fixes.info('Check the namespace and pod name (kubectl get pods -A).')));
    } else if (pod) {
        podFacts = pod;
        check('pod', pod.name ? `${pod.namespace ?? 'default'}/${pod.name}` : podSubject, 'checked', pod.source === 'pasted-text' ? 'from pasted kubectl output' : undefined);
        found.push(...podFindings(pod, t, { cluster: cluster?.name, resourceGroup: cluster?.resourceGroup }));
        for (const gap of pod.gaps ?? []) unavailable('pod', podSubject, { unknown: true, why: gap });
    }

    found.push(...poolFindings(facts, cluster, ref, podFacts?.nodePool, check, unavailable));

    const findings = sortFindings(dedupe(found));
    const podRequested = pod !== undefined;
    const size = image ? streamedSizeBytes(image) : undefined;
    const pull = podFacts ? lastPull(podFacts, t.text) : undefined;
    const estimate =
        size !== undefined && size > 0
            ? estimateStartup(size, { assumptions: opts.assumptions, measuredPullSeconds: pull?.seconds, measuredSizeBytes: pull?.sizeBytes })
            : null;
    return {
        verdict: verdictOf(findings, checked, podRequested),
        findings,
        checked,
        fixPlan: fixPlan(findings, opts.registeredTools, podFacts),
        estimate
    };
}

/**
 * The pool that counts: the pod's, else the one asked for, else the only one. With several pools and none
 * named, the image streams where a pool can stream it: the other pools' blockers become warnings.
 */
function poolFindings(
    facts: DiagnosisFacts,
    cluster: ClusterFacts | undefined,
    ref: ClusterRef,
    podPool: string | undefined,
    check: (layer: CheckLayer, subject: string, status: Checked['status'], note?: string) => void,
    unavailable: (layer: CheckLayer, subject: string, u: Unknown) => void
): Finding[] {
    const pools = facts.nodePools;
    if (!cluster) {
        check('nodePool', facts.nodePool ?? podPool ?? '(none)', 'skipped', 'no cluster');
        return [];
    }
    if (isUnknown(pools)) {
        unavailable('nodePool', `${cluster.name}`, pools);
        return [];
    }
    if (!pools) {
        check('nodePool', cluster.name, 'skipped');
        return [];
    }
    const wanted = podPool ?? facts.nodePool;
    if (wanted) {
        const pool = pools.find(p => p.name.toLowerCase() === wanted.toLowerCase());
        if (!pool) {
            check('nodePool', `${cluster.name}/${wanted}`, 'not_found');
            return [finding('NODEPOOL_NOT_FOUND', `${cluster.name} has node pools ${pools.map(p => p.name).join(', ') || 'none'}, not ${wanted}`, fixes.info('Check the node pool name (az aks nodepool list).'))];
        }
        check('nodePool', `${cluster.name}/${pool.name}`, 'checked', podPool ? "the pod's node pool" : undefined);
        return nodePoolFindings(pool, cluster.kubernetesVersion, ref);
    }
    if (pools.length === 0) {
        check('nodePool', cluster.name, 'not_found', 'the cluster has no node pools');
        return [finding('NODEPOOL_NOT_FOUND', `${cluster.name} has no node pools`, fixes.info('Add a Linux amd64 node pool with artifact streaming on.'))];
    }
    const per = pools.map(p => ({ pool: p, findings: nodePoolFindings(p, cluster.kubernetesVersion, ref) }));
    const streaming = per.filter(x => !hasBlocker(x.findings));
    if (per.length === 1 || streaming.length === 0) {
        check('nodePool', `${cluster.name}/${pools.map(p => p.name).join(',')}`, 'checked', per.length > 1 ? 'no pool can stream this image' : undefined);
        return per.flatMap(x => x.findings);
    }
    check('nodePool', `${cluster.name}/${streaming.map(x => x.pool.name).join(',')}`, 'checked', `streams on ${streaming.map(x => x.pool.name).join(', ')}; name a nodePool or pod to judge one`);
    return per.flatMap(x =>
        x.findings.map(f => (f.severity === 'blocker' ? { ...f, severity: 'warning' as const, evidence: `pods on ${x.pool.name} will not stream: ${f.evidence}` } : f))
    );
}

/** The same rule can fire twice (cluster and pool version); keep the first of each code + evidence. */
function dedupe(findings: Finding[]): Finding[] {
    const seen = new Set<string>();
    return findings.filter(f => {
        const key = `${f.code}\u0000${f.evidence}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}
