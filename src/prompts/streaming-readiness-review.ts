/** streaming_readiness_review: is this registry (and cluster) ready for artifact streaming, and where would it pay off? */
import { completable, type McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';
import { liveCompletions } from './live-completion.js';
import type { PromptDeps } from './prompt-deps.js';
import { loginServerFor } from '../azure/names.js';
import { argsSchemaFor, clusterArgs, embedPages, promptArg, promptResult, renderSteps, searchStep, userText, type Step } from './prompt-kit.js';

export const READINESS_PAGES = ['references/requirements.md', 'references/performance.md', 'references/pricing-and-storage.md'];

export function registerStreamingReadinessReview(server: McpServer, deps: PromptDeps, tools: ReadonlySet<string>): void {
    const { knowledge: kb, cloud } = deps;
    server.registerPrompt(
        'streaming_readiness_review',
        {
            title: 'Artifact streaming readiness review',
            description: 'Review whether a registry (and optionally an AKS cluster) meets the requirements for ACR artifact streaming, which images would gain most, and what it would cost. Read-only.',
            argsSchema: argsSchemaFor(deps, 'streaming_readiness_review', () => {
                const live = liveCompletions(deps);
                return z.object({
                    registry: completable(promptArg(`Registry name (without .${cloud.acrSuffix})`), live.registry),
                    cluster: completable(promptArg('AKS cluster that pulls from the registry'), live.cluster).optional()
                });
            })
        },
        ({ registry, cluster }) => {
            const steps: Step[] = [
                {
                    tool: 'acr_list_registries',
                    withTool: `Call \`acr_list_registries\` with registry "${registry}": tier, customer-managed key, replications and whether streaming is supported.`,
                    manual: `Check the registry: \`az acr show -n ${registry} --query "{sku:sku.name, cmk:encryption.status, location:location}"\` (needs Premium, CMK disabled).`
                },
                {
                    tool: 'streaming_scan_registry',
                    withTool: `Call \`streaming_scan_registry\` with registry "${registry}" to rank the images by expected gain (size, platforms, current streaming state).`,
                    manual: `List repositories and sizes: \`az acr repository list -n ${registry} -o tsv\`, then per candidate \`az acr manifest list-metadata -r ${registry} -n <repository>\`; large linux/amd64 images that start often gain most.`
                },
                {
                    tool: 'acr_get_repository_streaming',
                    withTool: `Call \`acr_get_repository_streaming\` with registry "${registry}" to see which repositories already auto-convert.`,
                    manual: `Per repository, see whether auto-conversion is on: \`az acr artifact-streaming show --name ${registry} --repository <repository>\`.`
                },
                cluster
                    ? {
                          tool: 'aks_get_streaming_status',
                          withTool: `Call \`aks_get_streaming_status\` with cluster "${cluster}" and registry "${registry}": Kubernetes version, node pool OS/architecture/streaming, and the kubelet's AcrPull.`,
                          manual: `Check the cluster: \`az aks show ${clusterArgs(cluster)} --query kubernetesVersion\`, \`az aks nodepool list -g <resource-group> --cluster-name ${cluster} -o table\` and \`az aks check-acr ${clusterArgs(cluster)} --acr ${loginServerFor(registry, cloud)}\`.`
                      }
                    : { manual: 'No cluster was given: list the cluster-side requirements (Kubernetes version, node OS, x86-64 pools, AcrPull, pull by tag, no pull secrets) as things to check.' },
                searchStep(kb, 'a requirement, a limit, a comparison')
            ];
            const text = [
                `Review whether registry ${registry}${cluster ? ` and AKS cluster ${cluster}` : ''} ${cluster ? 'are' : 'is'} ready for ACR artifact streaming. Do not change anything.`,
                '',
                'Steps:',
                renderSteps(steps, tools),
                '',
                'Answer with a checklist (met / not met / unknown, with the evidence), the images worth converting first and why, the expected storage cost, and the commands to fix each gap. Cite the pages below.'
            ].join('\n');
            return promptResult(`Readiness review of ${registry}`, [userText(text), ...embedPages(kb, READINESS_PAGES)]);
        }
    );
}
