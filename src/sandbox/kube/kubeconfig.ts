/**
 * The kubeconfig that listClusterUserCredential returns (base64 in `kubeconfigs[0].value`), pointing at
 * the sandbox's API server for that cluster. Real AKS returns a kubelogin exec config on Entra-enabled
 * clusters; the sandbox models a local-account cluster, whose kubeconfig carries a static bearer token.
 * Trust comes from `certificate-authority-data`, exactly like a real AKS kubeconfig.
 */

export interface KubeconfigInput {
    cluster: string;
    resourceGroup: string;
    server: string;
    caPem: string;
    token: string;
    /** 'clusterUser' or 'clusterAdmin' (names AKS uses for the two credential kinds). */
    kind?: 'clusterUser' | 'clusterAdmin';
}

const q = (s: string) => JSON.stringify(s); // a JSON string is a valid YAML scalar

export function buildKubeconfig(i: KubeconfigInput): string {
    const user = `${i.kind ?? 'clusterUser'}_${i.resourceGroup}_${i.cluster}`;
    const ca = Buffer.from(i.caPem, 'utf8').toString('base64');
    return [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- cluster:',
        `    certificate-authority-data: ${ca}`,
        `    server: ${q(i.server)}`,
        `  name: ${q(i.cluster)}`,
        'contexts:',
        '- context:',
        `    cluster: ${q(i.cluster)}`,
        `    user: ${q(user)}`,
        `  name: ${q(i.cluster)}`,
        `current-context: ${q(i.cluster)}`,
        'preferences: {}',
        'users:',
        `- name: ${q(user)}`,
        '  user:',
        `    token: ${q(i.token)}`,
        ''
    ].join('\n');
}
