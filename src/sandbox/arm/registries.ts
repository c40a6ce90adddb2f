/**
 * Microsoft.ContainerRegistry/registries and their replications, shaped like api-version 2025-11-01
 * (what @azure/arm-containerregistry 12.0.0 sends). ARM has no artifact-streaming property (ACR registry
 * API, docs/sources.md):
 * what matters for streaming here is `sku` and `encryption.status`.
 */
import type { WorldRegistry } from '../world/schema.js';
import {
    list,
    ok,
    pastIso,
    RG,
    resourceGroupNotFound,
    resourceNotFound,
    route,
    SUB,
    type ArmContext,
    type ArmRoute
} from './arm-common.js';
import { stableGuid } from '../state.js';

const TYPE = 'Microsoft.ContainerRegistry/registries';

export function registryId(ctx: ArmContext, r: WorldRegistry): string {
    return `/subscriptions/${ctx.state.subscriptionId}/resourceGroups/${r.resourceGroup}/providers/${TYPE}/${r.name}`;
}

function cmkIdentityId(ctx: ArmContext, r: WorldRegistry): string {
    return `/subscriptions/${ctx.state.subscriptionId}/resourceGroups/${r.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${r.name.toLowerCase()}-cmk`;
}

export function registryJson(ctx: ArmContext, r: WorldRegistry): object {
    const cmk = r.customerManagedKey;
    const identityClientId = stableGuid('cmk-client', r.name);
    return {
        id: registryId(ctx, r),
        name: r.name,
        type: TYPE,
        location: r.location,
        tags: {},
        sku: { name: r.sku, tier: r.sku },
        // CMK needs a user-assigned identity that can read the key (Learn: "Encrypt registry using a customer-managed key").
        ...(cmk
            ? {
                  identity: {
                      type: 'UserAssigned',
                      userAssignedIdentities: {
                          [cmkIdentityId(ctx, r)]: { principalId: stableGuid('cmk-principal', r.name), clientId: identityClientId }
                      }
                  }
              }
            : {}),
        systemData: { createdAt: pastIso(ctx, 120), createdByType: 'User', lastModifiedAt: pastIso(ctx, 7), lastModifiedByType: 'User' },
        properties: {
            loginServer: `${r.name.toLowerCase()}.azurecr.io`,
            creationDate: pastIso(ctx, 120),
            provisioningState: 'Succeeded',
            adminUserEnabled: r.adminUserEnabled,
            // Network rules exist only on Premium registries.
            ...(r.sku === 'Premium' ? { networkRuleSet: { defaultAction: 'Allow', ipRules: [] } } : {}),
            policies: {
                quarantinePolicy: { status: 'disabled' },
                trustPolicy: { type: 'Notary', status: 'disabled' },
                retentionPolicy: { days: 7, lastUpdatedTime: pastIso(ctx, 120), status: 'disabled' },
                exportPolicy: { status: 'enabled' },
                azureADAuthenticationAsArmPolicy: { status: 'enabled' }
            },
            encryption: cmk
                ? {
                      status: 'enabled',
                      // Stub: the vault does not exist; the shape follows KeyVaultProperties.
                      keyVaultProperties: {
                          keyIdentifier: `https://${r.name.toLowerCase()}-kv.vault.azure.net/keys/acr-cmk`,
                          versionedKeyIdentifier: `https://${r.name.toLowerCase()}-kv.vault.azure.net/keys/acr-cmk/0123456789abcdef0123456789abcdef`,
                          identity: identityClientId,
                          keyRotationEnabled: false,
                          lastKeyRotationTimestamp: pastIso(ctx, 30)
                      }
                  }
                : { status: 'disabled' },
            dataEndpointEnabled: false,
            dataEndpointHostNames: [],
            privateEndpointConnections: [],
            publicNetworkAccess: r.publicNetworkAccess,
            networkRuleBypassOptions: 'AzureServices',
            zoneRedundancy: 'Disabled',
            anonymousPullEnabled: r.anonymousPullEnabled,
            roleAssignmentMode: r.roleAssignmentMode
        }
    };
}

/**
 * Assumption (not publicly specified): once a registry is geo-replicated, listing replications also shows
 * the home region (as `az acr replication list` does); a registry without replications lists none.
 */
function replicationLocations(r: WorldRegistry): string[] {
    if (r.replications.length === 0) return [];
    return [...new Set([r.location, ...r.replications])];
}

function replicationJson(ctx: ArmContext, r: WorldRegistry, location: string): object {
    return {
        id: `${registryId(ctx, r)}/replications/${location}`,
        name: location,
        type: `${TYPE}/replications`,
        location,
        tags: {},
        properties: {
            provisioningState: 'Succeeded',
            status: { displayStatus: 'Ready', timestamp: pastIso(ctx, 60) },
            regionEndpointEnabled: true,
            zoneRedundancy: 'Disabled'
        }
    };
}

function findRegistry(ctx: ArmContext, rg: string, name: string) {
    if (!ctx.state.hasResourceGroup(rg)) return { error: resourceGroupNotFound(rg) };
    const r = ctx.state.registry(name, rg);
    return r ? { r } : { error: resourceNotFound(TYPE, name, rg) };
}

const REG = `${RG}/providers/Microsoft.ContainerRegistry/registries/{name}` as const;

export const registryRoutes: ArmRoute[] = [
    route('GET', `${SUB}/providers/Microsoft.ContainerRegistry/registries`, (_q, _p, ctx) =>
        list(ctx.state.world.registries.map(r => registryJson(ctx, r)))
    ),
    route('GET', `${RG}/providers/Microsoft.ContainerRegistry/registries`, (_q, p, ctx) => {
        if (!ctx.state.hasResourceGroup(p.rg)) return resourceGroupNotFound(p.rg);
        return list(ctx.state.world.registries.filter(r => r.resourceGroup.toLowerCase() === p.rg.toLowerCase()).map(r => registryJson(ctx, r)));
    }),
    route('GET', REG, (_q, p, ctx) => {
        const f = findRegistry(ctx, p.rg, p.name);
        return f.r ? ok(registryJson(ctx, f.r)) : f.error;
    }),
    route('GET', `${REG}/replications`, (_q, p, ctx) => {
        const f = findRegistry(ctx, p.rg, p.name);
        if (!f.r) return f.error;
        const r = f.r;
        return list(replicationLocations(r).map(l => replicationJson(ctx, r, l)));
    }),
    route('GET', `${REG}/replications/{repl}`, (_q, p, ctx) => {
        const f = findRegistry(ctx, p.rg, p.name);
        if (!f.r) return f.error;
        const loc = replicationLocations(f.r).find(l => l.toLowerCase() === p.repl.toLowerCase());
        return loc ? ok(replicationJson(ctx, f.r, loc)) : resourceNotFound(`${TYPE}/${f.r.name}/replications`, p.repl, p.rg);
    })
];
