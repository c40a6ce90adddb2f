/** troubleshoot_slow_pod_start: why a pod starts slowly, and whether artifact streaming is (or could be) in effect. */
import { completable, type McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';
import { liveCompletions } from './live-completion.js';
import type { PromptDeps } from './prompt-deps.js';
import { argsSchemaFor, clusterArgs, embedPages, promptArg, promptResult, renderSteps, searchStep, splitImage, userText, type Step } from './prompt-kit.js';

export const TROUBLESHOOT_PAGES = ['references/troubleshooting.md', 'references/requirements.md'];

/** Offline completion only: the namespaces every cluster has. Real names would need the cluster (network). */
const COMMON_NAMESPACES = ['default', 'kube-system'];

export function registerTroubleshootSlowPodStart(server: McpServer, deps: PromptDeps, tools: ReadonlySet<string>): void {
    const { knowledge: kb, cloud } = deps;
    server.registerPrompt(
        'troubleshoot_slow_pod_start',
        {
            title: 'Troubleshoot a slow pod start',
            description: 'Find out why pods of an image start slowly on AKS and whether ACR artifact streaming is working for them, with fixes.',
            argsSchema: argsSchemaFor(deps, 'troubleshoot_slow_pod_start', () => {
                const live = liveCompletions(deps);
                return z.object({
                    image: completable(promptArg(`Full image reference, e.g. myreg.${cloud.acrSuffix}/ml/trainer:v3`), live.image),
                    cluster: completable(promptArg('AKS cluster name, if known'), live.cluster).optional(),
                    namespace: completable(promptArg('Kubernetes namespace of the pod'), v => COMMON_NAMESPACES.filter(n => n.startsWith(v))).optional(),
                    pod: promptArg('Name of one slow pod, if known').optional()
                });
            })
        },
        ({ image, cluster, namespace, pod }) => {
            const img = splitImage(image, cloud);
            const ns = namespace ?? '<namespace>';
            const podName = pod ?? '<pod>';
            const where = [cluster && `cluster ${cluster}`, namespace && `namespace ${namespace}`, pod && `pod ${pod}`].filter(Boolean).join(', ');
            const steps: Step[] = [
                {
                    tool: 'streaming_diagnose',
                    withTool: `Call \`streaming_diagnose\` with image "${image}"${cluster ? `, cluster "${cluster}"` : ''}${namespace ? `, namespace "${namespace}"` : ''}${pod ? `, pod "${pod}"` : ''}. If the user pasted \`kubectl describe pod\` output, pass it as podDescription. It checks registry, image, cluster, node pool and pod in one go; use the remaining steps only for what it reports as not checked.`,
                    manual: `Read the pod's events: \`kubectl describe pod ${podName} -n ${ns}\` and \`kubectl get events -n ${ns} --field-selector involvedObject.name=${podName}\`. Note the pull duration ("Successfully pulled image … in …"), any 503 from localhost:8578, and whether the image is referenced by digest or uses imagePullSecrets.`
                },
                {
                    tool: 'acr_inspect_image',
                    withTool: `Call \`acr_inspect_image\` with image "${image}": platforms, size, whether a streaming artifact exists and the last conversion's status or failure code.`,
                    manual: `Check the image has a streaming artifact: \`az acr manifest list-referrers --registry ${img.registry} --name ${img.reference}\` (look for artifactType application/vnd.azure.artifact.streaming.v1) and the last conversion: \`az acr artifact-streaming operation show --name ${img.registry} --image ${img.reference}\`.`
                },
                {
                    tool: 'acr_create_streaming_artifact',
                    withTool: `If the image is eligible but has no streaming artifact, offer to convert it: \`acr_create_streaming_artifact\` with image "${image}" and wait true returns a plan; apply it only after the user agrees (it reports progress until the conversion ends).`,
                    manual: `If the image is eligible but has no streaming artifact, offer to convert it and, after the user agrees, run \`az acr artifact-streaming create --name ${img.registry} --image ${img.reference}\`.`
                },
                {
                    tool: 'acr_list_registries',
                    withTool: `Call \`acr_list_registries\` with registry "${img.registry}" to confirm the Premium tier and that no customer-managed key is configured.`,
                    manual: `Check the registry tier and encryption: \`az acr show -n ${img.registry} --query "{sku:sku.name, cmk:encryption.status}"\` (needs Premium and CMK disabled).`
                },
                {
                    tool: 'aks_get_streaming_status',
                    withTool: `Call \`aks_get_streaming_status\` with cluster "${cluster ?? '<cluster>'}" and registry "${img.registry}": which node pools have streaming on and are supported, and whether the kubelet identity can pull.`,
                    manual: `Check the node pools and the pull permission: \`az aks nodepool list -g <resource-group> --cluster-name ${cluster ?? '<cluster>'} --query "[].{name:name, os:osSku, vm:vmSize, streaming:artifactStreamingProfile.enabled}" -o table\` and \`az aks check-acr ${clusterArgs(cluster)} --acr ${img.loginServer}\`.`
                },
                searchStep(kb, 'an error code, a fallback reason, expected gains')
            ];
            const text = [
                `Pods using ${image}${where ? ` (${where})` : ''} start slowly. Find out whether ACR artifact streaming applies to this image and node pool, why not if it does not, and what would make the start faster.`,
                '',
                'Steps:',
                renderSteps(steps, tools),
                '',
                'Then answer with: the verdict (streams / will not stream / unknown), each problem found with its evidence and the exact fix (command), and what is still unknown. Streaming shortens time to pod readiness, not the download of the full image: if everything checks out and it is still slow, say so and point to the performance guidance. Cite the pages below; do not change anything without the user\'s go-ahead.'
            ].join('\n');
            return promptResult(`Troubleshoot slow start of ${image}`, [userText(text), ...embedPages(kb, TROUBLESHOOT_PAGES)]);
        }
    );
}
