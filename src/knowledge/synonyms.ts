/**
 * Domain synonyms, applied at query time: a user asks about "regcred" or "Graviton", the pages say
 * "imagePullSecrets" or "arm64". Each group lists phrases that mean the same thing (or name the same
 * concern) for this domain; when a query contains one phrase of a group, the other phrases' words join the
 * query with a lower weight. Expansion only at query time keeps the index honest (it holds what the pages
 * say) and lets this table change without touching content.
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
    ['arm64', 'arm', 'aarch64', 'ampere', 'graviton', 'cobalt', 'arm-based'],
    ['amd64', 'x86-64', 'x86_64', 'x64', 'intel', 'linux/amd64'],
    ['cmk', 'customer-managed key', 'customer managed key', 'key vault encryption', 'byok', 'bring your own key'],
    ['regcred', 'imagepullsecrets', 'pull secret', 'image pull secret', 'docker login secret', 'docker-registry secret', 'admin user'],
    ['aks', 'kubernetes', 'k8s', 'node pool', 'nodepool', 'cluster'],
    ['overlaybd', 'streaming artifact format', 'image format', 'dadi', 'block device', 'tcmu'],
    // Artifact streaming *is* lazy loading: "lazy loading" must not drag in the competing formats, so the
    // other snapshotters are a group of their own.
    ['lazy loading', 'lazy pull', 'lazy pulling', 'on-demand loading', 'load on demand'],
    ['soci', 'estargz', 'stargz', 'nydus', 'alternatives'],
    ['overview', 'nutshell', 'introduction', 'tl;dr'],
    ['windows', 'windows server'],
    ['kata', 'pod sandboxing', 'sandboxing', 'katavmisolation'],
    ['cvm', 'confidential vm', 'confidential computing'],
    ['price', 'pricing', 'cost', 'storage charges', 'billing', 'bill', 'charged'],
    ['slow', 'startup', 'start-up', 'cold start', 'time-to-pod-readiness', 'latency', 'pod start', 'takes minutes'],
    ['convert', 'conversion', 'create streaming artifact', 'converted', 'converting'],
    ['enable', 'turn on', 'activate', 'switch on', 'opt in'],
    ['disable', 'turn off', 'remove', 'switch off', 'deactivate', 'opt out'],
    ['acr-mirror', 'localhost:8578', '503', 'mirror'],
    ['digest', 'sha256'],
    ['premium', 'sku', 'tier', 'service tier'],
    ['multi-arch', 'multi-architecture', 'multiplatform', 'multi-platform', 'manifest list', 'image index'],
    ['rbac', 'role', 'permission', 'permissions', 'access denied', 'unauthorized', 'forbidden'],
    ['acrpull', 'attach-acr', 'kubelet identity'],
    ['terraform', 'bicep', 'arm template', 'infrastructure as code', 'iac'],
    ['ci/cd', 'pipeline', 'github actions', 'azure devops'],
    ['verify', 'check', 'confirm', 'prove', 'is it working'],
    ['cancel', 'stop', 'abort'],
    ['reimage', 'node restart', 'reboot', 'recreate nodes'],
    ['geo-replication', 'replication', 'replica', 'region'],
    ['private endpoint', 'private link', 'vnet'],
    ['backfill', 'existing images', 'already pushed'],
    ['fallback', 'falls back', 'normal pull', 'full pull', 'regular pull'],
    ['error', 'failure', 'failed', 'fails'],
    ['karpenter', 'nap', 'node auto-provisioning', 'node autoprovisioning', 'aksnodeclass'],
    ['sovereign cloud', 'azure china', '21vianet', 'mooncake', 'azure government', 'gov cloud'],
    ['node disruption policy', 'change freeze', 'maintenance window', 'nodedisruptionprofile'],
    ['purge', 'acr purge', 'clean up', 'cleanup', 'retention policy', 'untagged manifests']
];
