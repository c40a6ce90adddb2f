/** Preconditions every registry change shares, checked before any write: Premium SKU, no customer-managed key. */
import type { AzureAccess, RegistryInfo } from '../../azure/azure-access.js';
import { assertRegistryName } from '../../azure/names.js';
import { registrySupport } from '../../streaming/registry-rules.js';
import { ToolError } from '../../tool-error.js';

/** Looks the registry up in ARM and refuses (REGISTRY_NOT_PREMIUM / REGISTRY_CMK_ENABLED) when it cannot stream. */
export async function registryForChange(azure: AzureAccess, name: string, resourceGroup: string | undefined, signal: AbortSignal): Promise<RegistryInfo> {
    const reg = await azure.findRegistry(assertRegistryName(name), { resourceGroup, abortSignal: signal });
    const blocker = registrySupport(reg).reasons.find(r => r.severity === 'blocker');
    if (blocker) {
        const fix = blocker.code === 'REGISTRY_NOT_PREMIUM' ? `upgrade first: \`az acr update -n ${reg.name} --sku Premium\`` : 'artifact streaming cannot be used on a registry with customer-managed keys; use another registry';
        throw new ToolError(`Registry ${reg.name} cannot use artifact streaming`, blocker.message, `${fix}; nothing was changed`, blocker.code);
    }
    return reg;
}
