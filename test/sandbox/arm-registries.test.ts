import { Agent } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    bearerTokenAuthenticationPolicy,
    createDefaultHttpClient,
    createHttpHeaders,
    createPipelineFromOptions,
    createPipelineRequest
} from '@azure/core-rest-pipeline';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { staticCredential } from '../helpers/credentials.js';
import { acrClient, collect } from './sandbox-clients.js';

let sb: Sandbox;
beforeAll(async () => {
    sb = await startSandbox();
});
afterAll(async () => {
    await sb?.close();
});

/** A raw ARM call through the Azure pipeline (bearer policy included), for routes no SDK here covers. */
async function armGet(path: string, withBearer = true) {
    const agent = new Agent({ ca: sb.caPem });
    const pipeline = createPipelineFromOptions({ agent, retryOptions: { maxRetries: 0 } });
    if (withBearer) pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: staticCredential(), scopes: 'https://management.azure.com/.default' }));
    const res = await pipeline.sendRequest(
        createDefaultHttpClient(),
        createPipelineRequest({ url: `${sb.armEndpoint}${path}`, method: 'GET', headers: createHttpHeaders({ accept: 'application/json' }) })
    );
    return { status: res.status, body: JSON.parse(res.bodyAsText ?? 'null') };
}

describe('ARM: container registries through @azure/arm-containerregistry', () => {
    it('gets a Premium registry with its login server, SKU and policies', async () => {
        const reg = await acrClient(sb).registries.get('rg-registry', 'contosoacr');
        expect(reg.loginServer).toBe('contosoacr.azurecr.io');
        expect(reg.sku.name).toBe('Premium');
        expect(reg.sku.tier).toBe('Premium');
        expect(reg.encryption?.status).toBe('disabled');
        expect(reg.policies?.azureADAuthenticationAsArmPolicy?.status).toBe('enabled');
        expect(reg.provisioningState).toBe('Succeeded');
        expect(reg.adminUserEnabled).toBe(false);
        expect(reg.anonymousPullEnabled).toBe(false);
        expect(reg.publicNetworkAccess).toBe('Enabled');
        expect(reg.roleAssignmentMode).toBe('LegacyRegistryPermissions');
        expect(reg.id).toBe('/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-registry/providers/Microsoft.ContainerRegistry/registries/contosoacr');
    });

    it('shows customer-managed-key encryption as enabled with key vault properties', async () => {
        const reg = await acrClient(sb).registries.get('rg-woodgrove', 'woodgrovecmk');
        expect(reg.encryption?.status).toBe('enabled');
        expect(reg.encryption?.keyVaultProperties?.keyIdentifier).toMatch(/^https:\/\/.+\.vault\.azure\.net\/keys\//);
        expect(reg.identity?.type).toBe('UserAssigned');
    });

    it('lists registries by subscription and by resource group', async () => {
        const client = acrClient(sb);
        const all = await collect(client.registries.list());
        expect(all.map(r => r.name).sort()).toEqual(['contosoacr', 'fabrikamstd', 'woodgrovecmk']);
        const inGroup = await collect(client.registries.listByResourceGroup('rg-fabrikam'));
        expect(inGroup.map(r => [r.name, r.sku.name])).toEqual([['fabrikamstd', 'Standard']]);
    });

    it('lists and gets replications (home region included once geo-replicated)', async () => {
        const client = acrClient(sb);
        const reps = await collect(client.replications.list('rg-registry', 'contosoacr'));
        expect(reps.map(r => r.location).sort()).toEqual(['eastus', 'westeurope']);
        const we = await client.replications.get('rg-registry', 'contosoacr', 'westeurope');
        expect(we.provisioningState).toBe('Succeeded');
        expect(await collect(client.replications.list('rg-fabrikam', 'fabrikamstd'))).toEqual([]);
    });

    it('answers ARM error codes the SDK surfaces as RestError.code', async () => {
        const client = acrClient(sb);
        await expect(client.registries.get('rg-registry', 'nosuchacr')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceNotFound' });
        await expect(client.registries.get('rg-nope', 'contosoacr')).rejects.toMatchObject({ statusCode: 404, code: 'ResourceGroupNotFound' });
        const other = acrClient({ ...sb, subscriptionId: '99999999-9999-9999-9999-999999999999' });
        await expect(other.registries.get('rg-registry', 'contosoacr')).rejects.toMatchObject({ statusCode: 404, code: 'SubscriptionNotFound' });
    });

    it('lists the resource groups the world uses', async () => {
        const res = await armGet(`/subscriptions/${sb.subscriptionId}/resourcegroups?api-version=2021-04-01`);
        expect(res.body.value.map((g: { name: string }) => g.name).sort()).toEqual(['rg-aks-edge', 'rg-aks-legacy', 'rg-aks-prod', 'rg-fabrikam', 'rg-registry', 'rg-woodgrove']);
    });

    it('requires api-version and a bearer token', async () => {
        const sub = sb.subscriptionId;
        const noVersion = await armGet(`/subscriptions/${sub}/providers/Microsoft.ContainerRegistry/registries`);
        expect(noVersion.status).toBe(400);
        expect(noVersion.body.error.code).toBe('MissingApiVersionParameter');
        const noBearer = await armGet(`/subscriptions/${sub}/providers/Microsoft.ContainerRegistry/registries?api-version=2025-11-01`, false);
        expect(noBearer.status).toBe(401);
        expect(noBearer.body.error.code).toBe('InvalidAuthenticationToken');
    });
});

describe('ARM: role assignments at registry scope', () => {
    const regId = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-registry/providers/Microsoft.ContainerRegistry/registries/contosoacr';
    const url = (filter?: string) =>
        `${regId}/providers/Microsoft.Authorization/roleAssignments?${filter ? `$filter=${encodeURIComponent(filter)}&` : ''}api-version=2022-04-01`;

    it("returns AcrPull for a kubelet identity the world grants, filtered by principalId", async () => {
        const res = await armGet(url("principalId eq '11111111-1111-1111-1111-111111111111'"));
        expect(res.status).toBe(200);
        expect(res.body.value).toHaveLength(1);
        const a = res.body.value[0];
        expect(a.properties.roleDefinitionId).toMatch(/\/roleDefinitions\/7f951dda-4ed3-4680-a7ca-43fe172d538d$/);
        expect(a.properties.principalId).toBe('11111111-1111-1111-1111-111111111111');
        expect(a.properties.scope).toBe(regId);
        expect(a.type).toBe('Microsoft.Authorization/roleAssignments');
    });

    it('returns nothing for a cluster without AcrPull (aks-edge), and every grant without a filter', async () => {
        expect((await armGet(url("principalId eq '33333333-3333-3333-3333-333333333333'"))).body.value).toEqual([]);
        const all = (await armGet(url())).body.value.map((a: { properties: { principalId: string } }) => a.properties.principalId).sort();
        expect(all).toEqual(['11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222']);
    });

    it('includes registry-scope grants when asked at resource group scope (below the scope)', async () => {
        const res = await armGet(
            `/subscriptions/${sb.subscriptionId}/resourceGroups/rg-woodgrove/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent("assignedTo('11111111-1111-1111-1111-111111111111')")}&api-version=2022-04-01`
        );
        expect(res.body.value).toHaveLength(1);
        expect(res.body.value[0].properties.scope).toMatch(/woodgrovecmk$/);
    });
});
