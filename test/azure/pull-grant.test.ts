/** Which role assignments give the kubelet identity pull on a registry (aks_get_streaming_status, CLUSTER_NO_ACR_PULL). */
import { Agent } from 'node:https';
import { describe, expect, it } from 'vitest';
import { ArmAccess } from '../../src/azure/arm.js';
import { pullGrant } from '../../src/azure/azure-access.js';
import { CLOUDS } from '../../src/azure/cloud.js';
import { toToolError } from '../../src/azure/errors.js';
import type { ToolError } from '../../src/tool-error.js';
import { sandboxCredential } from '../../src/wiring/sandbox-azure.js';
import { FAST_RETRY } from '../helpers/sandbox-app.js';
import { startCanary } from './canary.js';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001';
const REG = `${SUB}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/contosoacr`;
const KUBELET = 'a1b2c3d4-0000-0000-0000-000000000009';
const ACR_PULL = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d`;
const READER = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;
const at = (scope: string, roleDefinitionId = ACR_PULL, principalId = KUBELET) => [{ scope, roleDefinitionId, principalId }];

describe('pull grant on a registry', () => {
    it.each([
        ['the registry', REG],
        ['its resource group (case differs)', `${SUB}/resourcegroups/RG-ACR`],
        ['the subscription', SUB],
        ['the root', '/'],
        ['a management group above the subscription', '/providers/Microsoft.Management/managementGroups/contoso-prod']
    ])('AcrPull at %s grants pull', (_label, scope) => {
        expect(pullGrant(at(scope), REG, KUBELET)).toEqual({ granted: true, role: 'AcrPull' });
    });

    it.each([
        ['another registry', `${SUB}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/contosoacr2`],
        ['another resource group', `${SUB}/resourceGroups/rg-ac`],
        ['below the registry (one repository)', `${REG}/repositories/ml`]
    ])('AcrPull at %s does not', (_label, scope) => {
        expect(pullGrant(at(scope), REG, KUBELET)).toEqual({ granted: false, role: null });
    });

    it('on an ABAC-enabled registry, AcrPull is not honoured and the Repository roles are', () => {
        const repoReader = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/b93aa761-3e63-49ed-ac28-beffa264f7ac`;
        expect(pullGrant(at(REG), REG, KUBELET, 'abac')).toEqual({ granted: false, role: null });
        expect(pullGrant(at(REG, repoReader), REG, KUBELET, 'abac')).toEqual({ granted: true, role: 'Container Registry Repository Reader' });
        // …and the other way round: a Repository role does not grant pull on a legacy-mode registry.
        expect(pullGrant(at(REG, repoReader), REG, KUBELET, 'legacy')).toEqual({ granted: false, role: null });
    });

    it('a grant limited by an ABAC condition is reported as such, and an unconditional one wins', () => {
        const repoReader = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/b93aa761-3e63-49ed-ac28-beffa264f7ac`;
        const condition = "@Resource[Microsoft.ContainerRegistry/registries/repositories:name] StringStartsWith 'ml/'";
        const conditional = [{ scope: REG, roleDefinitionId: repoReader, principalId: KUBELET, condition }];
        expect(pullGrant(conditional, REG, KUBELET, 'abac')).toEqual({
            granted: true,
            role: 'Container Registry Repository Reader (limited by an ABAC condition: may not cover every repository)'
        });
        expect(pullGrant([...conditional, ...at(SUB, repoReader)], REG, KUBELET, 'abac')).toEqual({ granted: true, role: 'Container Registry Repository Reader' });
    });

    it('a role without pull, or another principal, does not', () => {
        expect(pullGrant(at(REG, READER), REG, KUBELET).granted).toBe(false);
        expect(pullGrant(at(REG, ACR_PULL, 'someone-else'), REG, KUBELET).granted).toBe(false);
    });
});

describe('role-assignment list that is not JSON', () => {
    it('is an ARM error (502) that does not quote the body, not a JSON parser message', async () => {
        const arm = await startCanary(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: 'access_token=opaque-secret-value-0123456789' }));
        try {
            const access = new ArmAccess({ cloud: CLOUDS.AzureCloud, armEndpoint: arm.origin, subscriptionId: SUB.split('/')[2]!, credential: sandboxCredential('t'), agent: new Agent({ ca: arm.caPem }), retry: FAST_RETRY });
            const e = await access.roleAssignments(REG, KUBELET, { abortSignal: new AbortController().signal }).catch(err => err);
            const text = (toToolError(e, { action: 'Reading role assignments' }) as ToolError).toText();
            expect(text).toMatch(/answered 502[\s\S]*unreadable JSON/);
            expect(text).not.toContain('opaque-secret');
        } finally {
            await arm.close();
        }
    });
});
