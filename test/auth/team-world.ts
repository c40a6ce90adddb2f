/** The change-tool world with its tenant as a GUID and team users: two operators, a reader, an operator without Azure write roles, and a user without app roles. */
import { changeWorld } from '../tools/change/change-world.js';
import type { WorldInput } from '../../src/sandbox/world/schema.js';

export const TENANT = '0f0f0f0f-0000-4000-8000-00000000000e';

export function teamWorld(): WorldInput {
    const w = changeWorld();
    return {
        ...w,
        subscription: { ...w.subscription, tenantId: TENANT },
        entra: {
            users: [
                { name: 'reader', oid: '11111111-1111-4111-8111-111111111111', upn: 'reader@contoso.example', appRoles: ['Streaming.Read'], registryRoles: ['Reader', 'AcrPull'], clusterRoles: ['Reader'] },
                { name: 'operator', oid: '22222222-2222-4222-8222-222222222222', upn: 'operator@contoso.example', appRoles: ['Streaming.Read', 'Streaming.Operate'], registryRoles: ['Owner'], clusterRoles: ['Owner'] },
                { name: 'operator2', oid: '44444444-4444-4444-8444-444444444444', upn: 'operator2@contoso.example', appRoles: ['Streaming.Read', 'Streaming.Operate'], registryRoles: ['Owner'], clusterRoles: ['Owner'] },
                { name: 'auditor', oid: '55555555-5555-4555-8555-555555555555', upn: 'auditor@contoso.example', appRoles: ['Streaming.Read', 'Streaming.Operate'], registryRoles: ['Reader', 'AcrPull'], clusterRoles: ['Reader'] },
                { name: 'nobody', oid: '66666666-6666-4666-8666-666666666666', upn: 'nobody@contoso.example', appRoles: [] }
            ]
        }
    };
}
