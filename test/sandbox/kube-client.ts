/** A CoreV1Api from a kubeconfig (YAML), exactly as a user of listClusterUserCredential would build it. */
import * as k8s from '@kubernetes/client-node';

export function coreV1(kubeconfigYaml: string): k8s.CoreV1Api {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(kubeconfigYaml);
    return kc.makeApiClient(k8s.CoreV1Api);
}
