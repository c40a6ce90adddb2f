/**
 * Which built-in role a change needs, per the registry's role-assignment mode (Learn, "Azure built-in roles
 * for Azure Container Registry", artifact streaming rows; AKS artifact streaming page for node pools):
 * - legacy (LegacyRegistryPermissions): AcrPush enables streaming for an image but cannot manage a
 *   repository's auto-conversion policy (Owner/Contributor can); AcrDelete disables it for an image.
 * - ABAC (AbacRepositoryPermissions): Container Registry Repository Writer enables for an image and manages the
 *   policy; Repository Contributor also disables (deletes the referrer). AcrPull/AcrPush/AcrDelete do not apply.
 */
export type RegistryChange = 'repository-policy' | 'convert' | 'cancel' | 'remove';

const LEGACY: Record<RegistryChange, string> = {
    'repository-policy': 'Owner or Contributor on the registry (AcrPush cannot manage repository auto-conversion)',
    convert: 'AcrPush (or Contributor/Owner) on the registry',
    cancel: 'AcrPush (or Contributor/Owner) on the registry',
    remove: 'AcrDelete (or Contributor/Owner) on the registry'
};

const ABAC: Record<RegistryChange, string> = {
    'repository-policy': 'Container Registry Repository Writer (or Repository Contributor) on the repository (ABAC-enabled registry)',
    convert: 'Container Registry Repository Writer (or Repository Contributor) on the repository (ABAC-enabled registry)',
    cancel: 'Container Registry Repository Writer (or Repository Contributor) on the repository (ABAC-enabled registry)',
    remove: 'Container Registry Repository Contributor on the repository (ABAC-enabled registry; Writer cannot remove)'
};

export function registryRole(change: RegistryChange, abac: boolean): string {
    return (abac ? ABAC : LEGACY)[change];
}

/** Learn (AKS artifact streaming): changing node pools needs Azure Kubernetes Service Contributor. */
export const NODEPOOL_ROLE = 'Azure Kubernetes Service Contributor Role (or Contributor/Owner) on the cluster';
