// streaming_diagnose's critical path against the sandbox with a realistic latency profile (ARM 80 ms, ACR data
// plane 30 ms, Kubernetes API 20 ms per round trip; docs/sandbox-world.md, behaviour.latencyProfile): wall
// time, requests and critical-path depth (sequential round trips, from the sandbox's request log) of one
// diagnosis, cold (a new server: no token, no cached lookup) and warm (the same server asked again), next to
// the az/kubectl commands a person runs by hand to check the same things.
import { connectApp, hasTool, modules } from './lib/in-process.mjs';
import { table } from './lib/report.mjs';
import { median } from './lib/stats.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 9) >= 9 ? 5 : 3;
const PROFILE = { armMs: 80, acrMs: 30, kubeMs: 20 };
const IMAGE = 'contosoacr.azurecr.io/ml/trainer:v1';

const SCENARIOS = {
    'image only': { image: IMAGE },
    'image + cluster': { image: IMAGE, cluster: 'aks-prod' },
    'image + cluster + pod': { image: IMAGE, cluster: 'aks-prod', namespace: 'ml', pod: 'trainer-0' }
};

/** What a person types to check the same facts (knowledge base: commands page), for the pod scenario. */
const BY_HAND = [
    ['az acr show -n contosoacr --query "{sku:sku.name, encryption:encryption.status}"', 'registry tier, customer-managed key'],
    ['az acr artifact-streaming show -n contosoacr --repository ml/trainer', 'auto-conversion of the repository'],
    ['az acr manifest show -r contosoacr -n ml/trainer:v1', 'media type, platforms, layer sizes'],
    ['az acr manifest list-referrers -r contosoacr -n ml/trainer:v1', 'is there a streaming artifact'],
    ['az acr artifact-streaming operation show -n contosoacr --image ml/trainer:v1', 'a conversion running or failed'],
    ['az aks show -g rg-aks-prod -n aks-prod --query "{k8s:kubernetesVersion, kubelet:identityProfile.kubeletidentity.objectId}"', 'Kubernetes version, kubelet identity'],
    ['az role assignment list --assignee <kubelet objectId> --scope <registry id> --query "[].roleDefinitionName"', 'AcrPull on the registry'],
    ['az aks get-credentials -g rg-aks-prod -n aks-prod', 'a kubeconfig for kubectl'],
    ['kubectl get pod trainer-0 -n ml -o yaml', 'image reference, pull secrets, node, conditions'],
    ['kubectl get node <node> -o jsonpath="{.metadata.labels.agentpool}"', "the pod's node pool"],
    ['az aks nodepool show -g rg-aks-prod --cluster-name aks-prod -n gpupool --query "{os:osType, sku:osSku, vm:vmSize, streaming:artifactStreamingProfile}"', 'node pool OS, VM size, streaming flag'],
    ['kubectl get serviceaccount default -n ml -o yaml', "the service account's pull secrets"],
    ['kubectl get events -n ml --field-selector involvedObject.name=trainer-0', 'pull duration, acr-mirror errors']
];

async function diagnoseOnce(client, sb, args) {
    sb.requestLog.clear();
    const t0 = performance.now();
    const r = await client.callTool({ name: 'streaming_diagnose', arguments: args });
    const wallMs = performance.now() - t0;
    if (r.isError) throw new Error(r.content.map(c => c.text).join('\n'));
    const log = sb.requestLog.entries();
    const by = prefix => log.filter(e => e.listener.startsWith(prefix)).length;
    return { wallMs, requests: log.length, arm: by('arm'), registry: by('registry:'), kube: by('kube:'), depth: sb.requestLog.depth(), verdict: r.structuredContent?.verdict };
}

export default {
    title: 'Diagnose critical path: streaming_diagnose on the sandbox with ARM 80 ms, ACR 30 ms, kube 20 ms',
    order: 3,
    async run() {
        if (!(await hasTool('streaming_diagnose'))) {
            return { data: { skipped: 'streaming_diagnose is not in this build' }, summary: [{ measure: 'diagnose critical path', ours: 'skipped: streaming_diagnose is not in this build yet', peer: null, ratio: null, target: 'warm depth ≤ 4, cold ≤ 6', met: null }], markdown: ['Skipped: `streaming_diagnose` is not in this build yet.'] };
        }
        const { startSandbox } = await modules();
        const sb = await startSandbox({ behaviour: { latencyProfile: PROFILE } });
        const results = {};
        try {
            for (const [name, args] of Object.entries(SCENARIOS)) {
                const cold = [];
                const warm = [];
                for (let i = 0; i < RUNS; i++) {
                    const { client, close } = await connectApp(sb);
                    try {
                        cold.push(await diagnoseOnce(client, sb, args));
                        warm.push(await diagnoseOnce(client, sb, args));
                    } finally {
                        await close();
                    }
                }
                const stat = xs => ({ wallMs: Math.round(median(xs.map(x => x.wallMs))), requests: median(xs.map(x => x.requests)), arm: median(xs.map(x => x.arm)), registry: median(xs.map(x => x.registry)), kube: median(xs.map(x => x.kube)), depth: median(xs.map(x => x.depth)), verdict: xs[0].verdict });
                results[name] = { cold: stat(cold), warm: stat(warm) };
            }
        } finally {
            await sb.close();
        }
        const pod = results['image + cluster + pod'];
        // A person's commands run one after another; each is at least one ARM, ACR or kube round trip.
        const summary = [
            { measure: `diagnose (image + cluster + pod) critical-path depth, cold (${pod.cold.requests} requests, ${pod.cold.wallMs} ms)`, ours: pod.cold.depth, peer: `${BY_HAND.length} commands by hand`, ratio: +(pod.cold.depth / BY_HAND.length).toFixed(2), target: '≤ 6', met: pod.cold.depth <= 6 },
            { measure: `diagnose (image + cluster + pod) critical-path depth, warm (${pod.warm.requests} requests, ${pod.warm.wallMs} ms)`, ours: pod.warm.depth, peer: `${BY_HAND.length} commands by hand`, ratio: +(pod.warm.depth / BY_HAND.length).toFixed(2), target: '≤ 4', met: pod.warm.depth <= 4 }
        ];
        const markdown = [
            table(
                ['arguments', 'cache', 'wall ms', 'requests', 'ARM', 'ACR', 'kube', 'critical-path depth', 'verdict'],
                Object.entries(results).flatMap(([name, r]) => ['cold', 'warm'].map(k => [name, k, r[k].wallMs, r[k].requests, r[k].arm, r[k].registry, r[k].kube, r[k].depth, r[k].verdict]))
            ),
            `Medians of ${RUNS} runs; cold = a new server (no Entra or ACR token, nothing cached), warm = the same server asked again. Depth = the longest chain of requests each starting after the previous one ended (the sandbox's request log). Image ${IMAGE}, cluster aks-prod, pod ml/trainer-0 of the demo world.`,
            `By hand, the same checks are ${BY_HAND.length} commands, run one after another (each at least one round trip, plus the CLI's own start-up):\n\n` + table(['#', 'command', 'what it tells'], BY_HAND.map(([c, w], i) => [i + 1, `\`${c}\``, w]))
        ];
        return { data: { profile: PROFILE, runs: RUNS, results, byHand: BY_HAND.map(([command, tells]) => ({ command, tells })) }, summary, markdown };
    }
};
