/** Registry-level support: Premium SKU and no customer-managed key (ACR + AKS artifact streaming docs). */
import type { ImageTarget, RegistryFacts } from './facts.js';
import { finding, hasBlocker, toReason, type Finding, type Reason } from './findings.js';
import { fixes } from './fixes.js';

export interface Support {
    supported: boolean;
    findings: Finding[];
    /** The same findings in the read tools' short form. */
    reasons: Reason[];
}

export function support(findings: Finding[]): Support {
    return { supported: !hasBlocker(findings), findings, reasons: findings.map(toReason) };
}

export function registryFindings(reg: RegistryFacts, target?: ImageTarget): Finding[] {
    const out: Finding[] = [];
    if (reg.sku.toLowerCase() !== 'premium') {
        out.push(finding('REGISTRY_NOT_PREMIUM', `${reg.name}: sku.name is "${reg.sku}"`, fixes.premium(reg.name, reg.resourceGroup)));
    }
    if (reg.customerManagedKey) {
        const fix = target ? fixes.noCmk(reg.name, target) : fixes.info(`Customer-managed key encryption cannot be turned off on ${reg.name}; use a Premium registry without CMK.`);
        out.push(finding('REGISTRY_CMK_ENABLED', `${reg.name}: properties.encryption.status is "enabled"`, fix));
    }
    return out;
}

export function registrySupport(reg: RegistryFacts): Support {
    return support(registryFindings(reg));
}
