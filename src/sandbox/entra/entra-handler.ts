/**
 * The emulated Microsoft Entra endpoints the team server uses, on their own listener, shaped as the
 * Microsoft identity platform serves them (Learn: "OpenID Connect on the Microsoft identity platform",
 * "Microsoft identity platform and OAuth 2.0 On-Behalf-Of flow", "OAuth 2.0 client credentials flow"):
 *   GET  /{tenant}/v2.0/.well-known/openid-configuration
 *   GET  /{tenant}/discovery/v2.0/keys                      (the JWKS; see entra-keys.ts for rotation)
 *   POST /{tenant}/oauth2/v2.0/token                         client_credentials and the jwt-bearer OBO grant
 * Clients authenticate with a client assertion (workload identity's federated token or a certificate's
 * signed JWT); the app registration has no secret, so a client_secret is refused as Entra refuses a wrong one.
 * Assumption: the assertion's signature is not checked (the emulator cannot see a cluster's OIDC keys); its
 * shape, audience and expiry are.
 */
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { json, type SandboxHandler, type SandboxRequest, type SandboxResponse } from '../http/types.js';
import type { World } from '../world/schema.js';
import type { EntraKeys } from './entra-keys.js';
import { issuerOf, userByOid } from './entra-tokens.js';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The audience of federated (workload identity) assertions (Learn: "Workload identity federation"). */
const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';

/** One token the emulator issued: tests read who got what (`sandbox.entra.issued`). */
export interface IssuedToken {
    grant: 'client_credentials' | 'on_behalf_of';
    audience: string;
    oid: string | null;
    upn: string | null;
    time: number;
}

export interface EntraHandlerOptions {
    world: World;
    keys: EntraKeys;
    origin: string;
    now: () => number;
    issued: IssuedToken[];
}

function oauthError(status: number, error: string, aadsts: string, description: string): SandboxResponse {
    const code = Number(aadsts.replace('AADSTS', ''));
    return json(status, { error, error_description: `${aadsts}: ${description}`, error_codes: [code], timestamp: new Date().toISOString() });
}

function form(req: SandboxRequest): URLSearchParams {
    return new URLSearchParams(req.body.toString('utf8'));
}

export function createEntraHandler(o: EntraHandlerOptions): SandboxHandler {
    const tid = o.world.subscription.tenantId;
    const app = o.world.entra.app;
    const base = `${o.origin}/${tid}`;
    const nowS = () => Math.floor(o.now() / 1000);

    const discovery = () => ({
        issuer: issuerOf(tid),
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        token_endpoint: `${base}/oauth2/v2.0/token`,
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        code_challenge_methods_supported: ['S256'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        tenant_region_scope: 'NA',
        cloud_instance_name: 'microsoftonline.com'
    });

    /** Client authentication: the app's client id with a client assertion (no secret exists). */
    function clientProblem(p: URLSearchParams): SandboxResponse | undefined {
        const clientId = p.get('client_id');
        if (clientId?.toLowerCase() !== app.clientId.toLowerCase()) {
            return oauthError(400, 'unauthorized_client', 'AADSTS700016', `Application with identifier '${clientId ?? ''}' was not found in the directory '${tid}'.`);
        }
        if (p.get('client_secret')) return oauthError(401, 'invalid_client', 'AADSTS7000215', 'Invalid client secret provided.');
        const assertion = p.get('client_assertion');
        if (p.get('client_assertion_type') !== ASSERTION_TYPE || !assertion) {
            return oauthError(401, 'invalid_client', 'AADSTS7000218', "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }
        let claims: ReturnType<typeof decodeJwt>;
        try {
            claims = decodeJwt(assertion);
        } catch {
            return oauthError(401, 'invalid_client', 'AADSTS50027', 'JWT token is invalid or malformed.');
        }
        const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
        const audienceOk = auds.some(a => a === FEDERATION_AUDIENCE || (typeof a === 'string' && a.startsWith(o.origin)) || a === `https://login.microsoftonline.com/${tid}/oauth2/v2.0/token`);
        if (!audienceOk) return oauthError(401, 'invalid_client', 'AADSTS700212', 'No matching federated identity record found for presented assertion audience.');
        if (typeof claims.exp !== 'number' || claims.exp <= nowS()) return oauthError(401, 'invalid_client', 'AADSTS700024', 'Client assertion is not within its valid time range.');
        return undefined;
    }

    const resourceOf = (scope: string | null) => (scope ?? '').split(' ').find(s => s.endsWith('/.default'))?.replace(/\/\.default$/, '');

    async function resourceToken(claims: Record<string, unknown>, audience: string, grant: IssuedToken['grant'], scope: string): Promise<SandboxResponse> {
        const iat = nowS();
        const lifetime = o.world.entra.tokenLifetimeSeconds;
        const token = await o.keys.sign({ iss: issuerOf(tid), aud: audience, tid, appid: app.clientId, azp: app.clientId, ver: '2.0', iat, nbf: iat, exp: iat + lifetime, ...claims });
        o.issued.push({ grant, audience, oid: typeof claims.oid === 'string' ? claims.oid : null, upn: typeof claims.upn === 'string' ? claims.upn : null, time: o.now() });
        return json(200, { token_type: 'Bearer', scope, expires_in: lifetime, ext_expires_in: lifetime, access_token: token });
    }

    async function token(req: SandboxRequest): Promise<SandboxResponse> {
        // (req.caller, set for the on-behalf-of grant, lets the request log show whose token was exchanged.)
        const p = form(req);
        const problem = clientProblem(p);
        if (problem) return problem;
        const scope = p.get('scope') ?? '';
        const audience = resourceOf(scope);
        if (!audience) return oauthError(400, 'invalid_scope', 'AADSTS1002012', `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`);
        const grant = p.get('grant_type');
        if (grant === 'client_credentials') {
            // The app's own service principal: the world's default caller roles apply to it.
            return resourceToken({ oid: app.clientId, sub: app.clientId, idtyp: 'app' }, audience, 'client_credentials', scope);
        }
        if (grant === JWT_BEARER && p.get('requested_token_use') === 'on_behalf_of') {
            const assertion = p.get('assertion') ?? '';
            let user: Record<string, unknown>;
            try {
                const verified = await jwtVerify(assertion, createLocalJWKSet(o.keys.jwks() as never), {
                    issuer: issuerOf(tid),
                    audience: [app.clientId, `api://${app.clientId}`],
                    currentDate: new Date(o.now())
                });
                user = verified.payload;
            } catch (e) {
                const expired = (e as { code?: string }).code === 'ERR_JWT_EXPIRED';
                return expired
                    ? oauthError(400, 'invalid_grant', 'AADSTS500133', 'Assertion is not within its valid time range.')
                    : oauthError(400, 'invalid_grant', 'AADSTS50013', 'Assertion failed signature validation or was not issued for this application.');
            }
            const known = userByOid(o.world, user.oid);
            req.caller = known?.upn;
            return resourceToken({ oid: user.oid, sub: user.oid, upn: user.upn ?? known?.upn, name: user.name, scp: 'user_impersonation' }, audience, 'on_behalf_of', scope);
        }
        return oauthError(400, 'unsupported_grant_type', 'AADSTS70003', `The app requested an unsupported grant type '${grant ?? ''}'.`);
    }

    return async req => {
        const m = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/token)$/.exec(req.path);
        if (!m) return undefined;
        const [, tenant, what] = m;
        if (tenant?.toLowerCase() !== tid.toLowerCase()) {
            return oauthError(400, 'invalid_tenant', 'AADSTS90002', `Tenant '${tenant ?? ''}' not found. Check to make sure you have the correct tenant ID.`);
        }
        if (what === 'oauth2/v2.0/token') return req.method === 'POST' ? token(req) : oauthError(405, 'invalid_request', 'AADSTS900561', 'The endpoint only accepts POST requests.');
        if (req.method !== 'GET') return oauthError(405, 'invalid_request', 'AADSTS900561', 'The endpoint only accepts GET requests.');
        return json(200, what === 'discovery/v2.0/keys' ? o.keys.jwks() : discovery());
    };
}
