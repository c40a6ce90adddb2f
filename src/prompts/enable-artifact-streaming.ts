/** enable_artifact_streaming: the plan, then the changes, to get one repository (and a node pool) streaming. */
import { completable, type McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod/v4';
import { liveCompletions } from './live-completion.js';
import type { PromptDeps } from './prompt-deps.js';
import { argsSchemaFor, embedPages, promptArg, promptResult, renderSteps, searchStep, userText, type Step } from './prompt-kit.js';

export const ENABLE_PAGES = ['references/enable-on-acr.md', 'references/enable-on-aks.md', 'references/requirements.md'];

/** `az aks create` names the first pool nodepool1; no other pool name can be guessed without the cluster. */
const DEFAULT_POOL_NAMES = ['nodepool1'];

export function registerEnableArtifactStreaming(server: McpServer, deps: PromptDeps, tools: ReadonlySet<string>): void {
    const { knowledge: kb, cloud } = deps;
    server.registerPrompt(
        'enable_artifact_streaming',
        {
            title: 'Enable artifact streaming',
            description: 'Check prerequisites, then turn on ACR artifact streaming for a repository (auto-conversion plus backfill of existing tags) and, optionally, on an AKS node pool; every change is planned and confirmed first.',
            argsSchema: argsSchemaFor(deps, 'enable_artifact_streaming', () => {
                const live = liveCompletions(deps);
                return z.object({
                    registry: completable(promptArg(`Registry name (without .${cloud.acrSuffix})`), live.registry),
                    repository: completable(promptArg('Repository, e.g. ml/trainer'), live.repository),
                    cluster: completable(promptArg('AKS cluster whose node pool should stream'), live.cluster).optional(),
                    nodePool: completable(promptArg('Node pool to enable streaming on'), live.nodePool(DEFAULT_POOL_NAMES)).optional()
                });
            })
        },
        ({ registry, repository, cluster, nodePool }) => {
            const pool = nodePool ?? '<node-pool>';
            const aks = `--resource-group <resource-group> --cluster-name ${cluster ?? '<cluster>'}`;
            const steps: Step[] = [
                {
                    tool: 'acr_list_registries',
                    withTool: `Call \`acr_list_registries\` with registry "${registry}": it must be Premium with no customer-managed key (streamingSupported true). Stop and explain if not.`,
                    manual: `Check prerequisites: \`az acr show -n ${registry} --query "{sku:sku.name, cmk:encryption.status}"\` must show Premium and disabled. Stop and explain if not.`
                },
                {
                    tool: 'acr_get_repository_streaming',
                    withTool: `Call \`acr_get_repository_streaming\` with registry "${registry}" and repository "${repository}" to see whether auto-conversion is already on.`,
                    manual: `See whether auto-conversion is already on: \`az acr artifact-streaming show --name ${registry} --repository ${repository}\`.`
                },
                {
                    tool: 'acr_set_repository_streaming',
                    withTool: `Call \`acr_set_repository_streaming\` with registry "${registry}", repository "${repository}", enabled true and backfill true (it also converts the newest existing images; the plan lists them). Show the user the plan it returns and apply it only after they agree.`,
                    manual: `After the user agrees, turn on auto-conversion: \`az acr artifact-streaming update --name ${registry} --repository ${repository} --enable-streaming true\`.`
                },
                {
                    tool: 'acr_create_streaming_artifact',
                    withTool: `Auto-conversion only covers new pushes. For the tags already deployed, call \`acr_create_streaming_artifact\` per image (plan first, then confirm).`,
                    manual: `Auto-conversion only covers new pushes. Convert the tags already deployed: \`az acr artifact-streaming create --name ${registry} --image ${repository}:<tag> --no-wait\`, then follow with \`az acr artifact-streaming operation show --name ${registry} --image ${repository}:<tag>\`.`
                },
                {
                    tool: 'aks_set_nodepool_streaming',
                    withTool: `${cluster ? `On cluster "${cluster}"` : 'If the user names a cluster'}, call \`aks_set_nodepool_streaming\` with node pool "${pool}" and enabled true. Its plan says the nodes are reimaged: make sure the user accepts that before confirming.`,
                    manual: `${cluster ? `On cluster "${cluster}"` : 'If the user names a cluster'}, after they accept that the nodes get reimaged: \`az aks nodepool update ${aks} --name ${pool} --enable-artifact-streaming\`, and make sure the kubelet can pull: \`az aks update --resource-group <resource-group> --name ${cluster ?? '<cluster>'} --attach-acr ${registry}\`.`
                },
                {
                    tool: 'streaming_diagnose',
                    withTool: `When done, verify with \`streaming_diagnose\` on one image of the repository${cluster ? ` and cluster "${cluster}"` : ''}.`,
                    manual: `When done, verify: the image has a streaming referrer (\`az acr manifest list-referrers --registry ${registry} --name ${repository}:<tag>\`) and pods reference it by tag without imagePullSecrets.`
                },
                searchStep(kb, 'roles needed, costs, a failure code')
            ];
            const text = [
                `Enable ACR artifact streaming for ${registry}/${repository}${cluster ? ` and cluster ${cluster}${nodePool ? `, node pool ${nodePool}` : ''}` : ''}.`,
                '',
                'Steps:',
                renderSteps(steps, tools),
                '',
                'Every change needs the user\'s explicit agreement first. Mention the side effects from the pages below: extra storage for the streaming copies, node reimage for node pools, pods must pull by tag without pull secrets.'
            ].join('\n');
            return promptResult(`Enable artifact streaming for ${registry}/${repository}`, [userText(text), ...embedPages(kb, ENABLE_PAGES)]);
        }
    );
}
