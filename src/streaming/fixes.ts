/**
 * The fixes the rules propose: the change tool that applies one (its name and arguments, per docs/tools.md)
 * and the equivalent `az` / `kubectl` command. The rules always name the tool; the diagnosis drops the tool
 * when it is not registered in this server (--read-only, --toolsets) and keeps the command.
 */
import type { Fix, ToolCall } from './findings.js';
import type { ImageTarget } from './facts.js';

/** The change tools of the tool contract that fixes can name. */
export const CHANGE_TOOLS = {
    setRepositoryStreaming: 'acr_set_repository_streaming',
    createStreamingArtifact: 'acr_create_streaming_artifact',
    setNodePoolStreaming: 'aks_set_nodepool_streaming'
} as const;

/** Shell-quotes a value for a command line when it holds anything beyond a safe set of characters. */
export function sh(value: string): string {
    return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

const rgFlag = (rg: string | undefined) => (rg ? ` -g ${sh(rg)}` : '');

/** A tag reference for the image (conversion and streaming work by tag); the given text when it has no tag. */
export function tagRef(t: ImageTarget): string {
    return t.tag ? `${t.loginServer}/${t.repository}:${t.tag}` : t.text;
}

export const fixes = {
    premium: (registry: string, rg?: string): Fix => ({
        explanation: 'Move the registry to the Premium SKU (no data is lost; Premium costs more per day).',
        azCommand: `az acr update -n ${sh(registry)}${rgFlag(rg)} --sku Premium`
    }),
    noCmk: (registry: string, t: ImageTarget): Fix => ({
        explanation: `Encryption with a customer-managed key cannot be turned off on ${registry}; serve the image from a Premium registry without CMK, e.g. by importing it.`,
        azCommand: `az acr import -n <premium-registry-without-cmk> --source ${sh(tagRef(t))}`
    }),
    autoConversion: (t: ImageTarget): Fix => ({
        explanation: `Turn on auto-conversion so new pushes to ${t.repository} get a streaming artifact (existing images are not converted by this).`,
        azCommand: `az acr artifact-streaming update -n ${sh(t.registry)} --repository ${sh(t.repository)} --enable-streaming true`,
        tool: call(CHANGE_TOOLS.setRepositoryStreaming, { registry: t.registry, repository: t.repository, enabled: true })
    }),
    convert: (t: ImageTarget, why = 'Create the streaming artifact for this image; new pulls by tag stream once the conversion has succeeded.'): Fix => ({
        explanation: why,
        azCommand: `az acr artifact-streaming create -n ${sh(t.registry)} --image ${sh(`${t.repository}:${t.tag ?? '<tag>'}`)}`,
        tool: call(CHANGE_TOOLS.createStreamingArtifact, { image: tagRef(t) })
    }),
    waitForConversion: (t: ImageTarget): Fix => ({
        explanation:
            'Wait for the conversion to succeed before the pod pulls again: a node that pulled the plain image keeps it cached and will not stream it on that node.',
        azCommand: `az acr artifact-streaming operation show -n ${sh(t.registry)} --image ${sh(`${t.repository}:${t.tag ?? '<tag>'}`)}`
    }),
    showTags: (t: ImageTarget): Fix => ({
        explanation: 'Check the tag or digest; list what the repository holds.',
        azCommand: `az acr repository show-tags -n ${sh(t.registry)} --repository ${sh(t.repository)}`
    }),
    rebuildAmd64: (what: string): Fix => ({
        explanation: `${what} Build and push a linux/amd64 image (e.g. docker buildx build --platform linux/amd64,linux/arm64 --push), then convert it.`
    }),
    upgradeCluster: (cluster: string, rg: string): Fix => ({
        explanation: 'Upgrade the cluster to Kubernetes 1.26 or later (both the AKS and the ACR docs agree on 1.26+).',
        azCommand: `az aks upgrade -n ${sh(cluster)} -g ${sh(rg)} --kubernetes-version <1.26 or later>`
    }),
    attachAcr: (cluster: string, rg: string, registry: string): Fix => ({
        explanation: `Grant the cluster's kubelet identity AcrPull on ${registry}: acr-mirror on the node pulls with that identity.`,
        azCommand: `az aks update -n ${sh(cluster)} -g ${sh(rg)} --attach-acr ${sh(registry)}`
    }),
    repositoryReader: (registry: string, principalId: string | undefined, registryId: string | undefined): Fix => ({
        explanation: `${registry} uses ABAC repository permissions, where AcrPull is not honoured: assign "Container Registry Repository Reader" to the kubelet identity.`,
        azCommand: `az role assignment create --assignee-object-id ${sh(principalId ?? '<kubelet identity object id>')} --assignee-principal-type ServicePrincipal --role "Container Registry Repository Reader" --scope ${sh(registryId ?? `<resource id of ${registry}>`)}`
    }),
    enablePool: (cluster: string, rg: string, pool: string): Fix => ({
        explanation: `Turn on artifact streaming for node pool ${pool}. Its nodes are reimaged (workloads on them are drained and restarted).`,
        azCommand: `az aks nodepool update -g ${sh(rg)} --cluster-name ${sh(cluster)} -n ${sh(pool)} --enable-artifact-streaming`,
        tool: call(CHANGE_TOOLS.setNodePoolStreaming, { cluster, resourceGroup: rg, nodePool: pool, enabled: true })
    }),
    linuxAmd64Pool: (cluster: string, rg: string, why: string): Fix => ({
        explanation: `${why} Run the workload on a Linux amd64 node pool with artifact streaming on (add one, then select it with a nodeSelector on kubernetes.azure.com/agentpool).`,
        azCommand: `az aks nodepool add -g ${sh(rg)} --cluster-name ${sh(cluster)} -n <new pool> --os-type Linux --os-sku Ubuntu2204 --node-vm-size <an amd64 size, e.g. Standard_D8s_v5> --enable-artifact-streaming`
    }),
    waitForPool: (cluster: string, rg: string, pool: string): Fix => ({
        explanation: 'Wait until the node pool update has finished (provisioningState Succeeded) before judging pulls on it.',
        azCommand: `az aks nodepool show -g ${sh(rg)} --cluster-name ${sh(cluster)} -n ${sh(pool)} --query provisioningState`
    }),
    checkAcr: (cluster: string | undefined, rg: string | undefined, loginServer: string): Fix => ({
        explanation:
            "acr-mirror on the node could not reach or authenticate to the registry: check the kubelet identity's pull permission and the network path from the node to the registry.",
        azCommand: `az aks check-acr -n ${sh(cluster ?? '<cluster>')} -g ${sh(rg ?? '<resource group>')} --acr ${sh(loginServer)}`
    }),
    info: (explanation: string): Fix => ({ explanation })
};

function call(name: string, args: Record<string, unknown>): ToolCall {
    return { name, arguments: args };
}
