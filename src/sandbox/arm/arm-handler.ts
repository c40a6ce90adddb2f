/**
 * The ARM listener's handler. Checks run in the order real ARM applies them: bearer token, then
 * api-version, then subscription, then the resource routes. Any bearer is accepted (the sandbox does not
 * validate Entra tokens), any api-version value is accepted (the SDKs pin theirs), but both must be present.
 */
import type { SandboxHandler, SandboxRequest, SandboxResponse } from '../http/types.js';
import { agentPoolRoutes } from './agent-pools.js';
import { armError, list, ok, type ArmContext, type ArmRoute } from './arm-common.js';
import { managedClusterRoutes } from './managed-clusters.js';
import { readDenied } from './read-access.js';
import { registryRoutes } from './registries.js';
import { resourceGroupRoutes } from './resource-groups.js';
import { roleAssignmentRoutes } from './role-assignments.js';

const ROUTES: ArmRoute[] = [...resourceGroupRoutes, ...registryRoutes, ...managedClusterRoutes, ...agentPoolRoutes, ...roleAssignmentRoutes];

function subscriptionJson(ctx: ArmContext): object {
    const s = ctx.state.world.subscription;
    return {
        id: `/subscriptions/${s.id}`,
        subscriptionId: s.id,
        tenantId: s.tenantId,
        displayName: s.name,
        state: 'Enabled',
        subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
        authorizationSource: 'RoleBased'
    };
}

/**
 * Assumption: a missing or non-bearer Authorization header is 401 InvalidAuthenticationToken (real ARM may
 * use AuthenticationFailed for a missing header); any bearer value is accepted.
 */
function checkAuth(ctx: ArmContext, req: SandboxRequest): SandboxResponse | ArmContext {
    const auth = req.headers.authorization ?? '';
    const [, bearer] = /^Bearer\s+(\S+)/i.exec(auth) ?? [];
    if (bearer !== undefined) {
        const who = ctx.identity?.arm(bearer) ?? { ok: true };
        if (!who.ok) return armError(401, who.code, who.message, { 'www-authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/${ctx.state.world.subscription.tenantId}", error="invalid_token", error_description="${who.message.replace(/"/g, "'")}"` });
        if (who.user) req.caller = who.user.upn;
        return who.user ? { ...ctx, caller: who.user } : ctx;
    }
    const why = auth ? "the 'Authorization' header is not a bearer token" : "the 'Authorization' header is missing";
    return armError(401, 'InvalidAuthenticationToken', `The access token is invalid: ${why}.`, {
        // Real ARM sends this challenge; the Azure SDK only reacts to it when it carries `claims`.
        'www-authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/${ctx.state.world.subscription.tenantId}", error="invalid_token", error_description="The authentication failed because of missing 'Authorization' header."`
    });
}

export function createArmHandler(base: ArmContext): SandboxHandler {
    return async req => {
        const checked = checkAuth(base, req);
        if (!('state' in checked)) return checked;
        const ctx = checked;
        if (!req.url.searchParams.get('api-version')) {
            return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
        }
        const path = req.path.replace(/\/+$/, '');
        if (/^\/subscriptions$/i.test(path) && req.method === 'GET') return list([subscriptionJson(ctx)]);
        const sub = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1];
        if (sub !== undefined && sub.toLowerCase() !== ctx.state.subscriptionId.toLowerCase()) {
            return armError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
        }
        if (sub !== undefined && /^\/subscriptions\/[^/]+$/i.test(path) && req.method === 'GET') return ok(subscriptionJson(ctx));
        const denied = readDenied(ctx, req, path);
        if (denied) return denied;
        for (const r of ROUTES) {
            if (r.method !== req.method) continue;
            const m = r.re.exec(path);
            if (m) return r.handle(req, { ...m.groups }, ctx);
        }
        // Same path, other method: ARM answers 405 for a known resource type with an unsupported verb.
        if (ROUTES.some(r => r.re.test(path))) {
            return armError(405, 'MethodNotAllowed', `The sandbox does not support ${req.method} on ${path}.`);
        }
        return undefined; // the front answers 404 InvalidResourceType
    };
}
