/** Registry-level support: Premium SKU and no customer-managed key (ACR + AKS artifact streaming docs). */
import { hasBlocker, reason, type Reason } from './reasons.js';

export interface RegistryFacts {
    sku: string;
    customerManagedKey: boolean;
}

export interface Support {
    supported: boolean;
    reasons: Reason[];
}

export function registrySupport(reg: RegistryFacts): Support {
    const reasons: Reason[] = [];
    if (reg.sku.toLowerCase() !== 'premium') {
        reasons.push(reason('REGISTRY_NOT_PREMIUM', `SKU is ${reg.sku}; artifact streaming needs Premium (az acr update -n <registry> --sku Premium)`));
    }
    if (reg.customerManagedKey) {
        reasons.push(reason('REGISTRY_CMK_ENABLED', 'customer-managed key encryption is enabled; CMK registries do not support artifact streaming'));
    }
    return { supported: !hasBlocker(reasons), reasons };
}
