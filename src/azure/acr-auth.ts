/**
 * The ACR token exchange for one registry (ACR OAuth, docs/sources.md): challenge (GET /v2/) → Entra token
 * → refresh token (POST /oauth2/exchange) → access token per scope, or one for several scopes
 * (POST /oauth2/token with the `scope` parameter repeated, as the Docker token protocol allows). The refresh
 * token is cached per registry and access tokens per scope (scope-tokens.ts), each until its JWT `exp`
 * minus a skew; concurrent callers share one in-flight request. A token the registry rejects mid-session is
 * dropped and the exchange redone.
 */
import type { TokenCredential } from '@azure/core-auth';
import { ToolError } from '../tool-error.js';
import type { AcrTransport } from './acr-transport.js';
import { parseBearerChallenge, type BearerChallenge } from './challenge.js';
import type { CloudProfile } from './cloud.js';
import { credentialFailure } from './credential.js';
import { answerError, isAbortError } from './errors.js';
import type { EndpointResolver } from './http-policies.js';
import { expiresAtMs, jwtClaims } from './jwt.js';
import { excerpt } from './names.js';
import { isRestError } from './rest.js';
import { ScopeTokens, type Cached } from './scope-tokens.js';
import { SharedPromise } from './shared-promise.js';
import type { CallOptions } from './types.js';

export interface AuthSetup {
    cloud: CloudProfile;
    credential: TokenCredential;
    transport: AcrTransport;
    tenantId?: string;
    resolveEndpoint?: EndpointResolver;
    /** Renew cached tokens this long before `exp`. */
    skewMs: number;
    now: () => number;
    /** Scopes per token request (default MAX_SCOPES_PER_TOKEN); 1 = one request per scope (bench baseline). */
    maxScopesPerToken?: number;
}

/** Where the exchange goes, validated: `https://<allowed host>` plus the service name from the challenge. */
interface Realm {
    origin: string;
    service: string;
}

export class AcrSession {
    private readonly realm = new SharedPromise<Realm>();
    /** The refresh token, shared while in flight, renewed when it nears `exp`. */
    private readonly refresh: SharedPromise<Cached>;
    private readonly access: ScopeTokens;

    constructor(
        readonly loginServer: string,
        private readonly setup: AuthSetup,
        /** The registry refuses ARM-audience tokens (policies.azureADAuthenticationAsArmPolicy disabled). */
        private readonly armAudienceDisabled: boolean
    ) {
        this.access = new ScopeTokens(setup.skewMs, setup.now, setup.maxScopesPerToken);
        this.refresh = new SharedPromise({ isStale: c => c.expiresAt - setup.skewMs <= setup.now() });
    }

    /** A valid access token for `scope` (e.g. `repository:ml/trainer:pull`), from cache when possible. */
    async accessToken(scope: string, opts: CallOptions): Promise<string> {
        return this.sharing(opts, () => this.access.get(scope, scopes => this.mintAccessToken(scopes, opts)));
    }

    /**
     * Caches a valid access token for each of `scopes`, asking for the missing ones together: one token
     * request per MAX_SCOPES_PER_TOKEN scopes instead of one per scope. Later accessToken() calls for these
     * scopes are then answered from the cache. A no-op when batching is off.
     */
    async accessTokensFor(scopes: readonly string[], opts: CallOptions): Promise<void> {
        if (!this.access.batching || scopes.length === 0) return;
        try {
            await this.sharing(opts, () => this.access.ensure(scopes, group => this.mintAccessToken(group, opts)));
        } catch (e) {
            // A token endpoint that refuses the shape of a multi-scope request (400, 413) is not a failure of
            // the reads: stop batching for this registry and let each read ask for its own scope.
            if (!(isRestError(e) && (e.statusCode === 400 || e.statusCode === 413) && scopes.length > 1)) throw e;
            this.access.maxScopesPerToken = 1;
        }
    }

    /**
     * In-flight requests are shared, and they carry the signal of whoever started them: when that caller
     * cancels, the others (whose own signal is live) start over instead of failing with its abort.
     */
    private async sharing<T>(opts: CallOptions, run: () => Promise<T>): Promise<T> {
        for (let attempt = 0; ; attempt++) {
            try {
                return await run();
            } catch (e) {
                if (!isAbortError(e) || opts.abortSignal.aborted || attempt >= 2) throw e;
            }
        }
    }

    /**
     * The registry rejected `token` (used for `scope`): forget it under every scope it covers, and the refresh
     * token behind it, so the next call re-exchanges. Only the first report of a token does this: callers that
     * used the same token concurrently then share the one re-exchange instead of starting one each.
     */
    invalidate(scope: string, token: string): void {
        if (this.access.reject(scope, token)) this.refresh.forget();
    }

    private async mintAccessToken(scopes: readonly string[], opts: CallOptions): Promise<Cached> {
        const realm = await this.getRealm(opts);
        for (let attempt = 0; ; attempt++) {
            const refresh = await this.refresh.get(() => this.exchange(opts));
            // One `scope` parameter per scope (not space-joined): the form the Docker token protocol specifies.
            const body = new URLSearchParams({ grant_type: 'refresh_token', service: realm.service });
            for (const scope of scopes) body.append('scope', scope);
            body.append('refresh_token', refresh.token);
            const res = await this.setup.transport.send({ url: `${realm.origin}/oauth2/token`, method: 'POST', ...form(body), abortSignal: opts.abortSignal });
            if (res.status === 401) {
                // The registry no longer takes this refresh token (expired by its clock, or revoked): one new
                // exchange, then the answer stands.
                this.refresh.forget();
                if (attempt === 0) continue;
            }
            if (res.status !== 200) throw answerError(res.status, res.bodyAsText, res);
            const token = tokenField(res.bodyAsText, 'access_token');
            if (!token) throw answerError(502, 'no access_token in the answer', res);
            return { token, expiresAt: expiresAtMs(token, this.setup.now(), 5 * 60_000) };
        }
    }

    /** POST /oauth2/exchange with an ARM-audience Entra token, falling back to the ACR audience if refused. */
    private async exchange(opts: CallOptions): Promise<Cached> {
        const realm = await this.getRealm(opts);
        const audiences = this.armAudienceDisabled ? [this.setup.cloud.acrScope] : [this.setup.cloud.armScope, this.setup.cloud.acrScope];
        let last: Error | undefined;
        for (const audience of audiences) {
            const entra = await this.setup.credential.getToken(audience, { abortSignal: opts.abortSignal });
            if (!entra) throw credentialFailure('the credential returned no token', { credential: this.setup.credential });
            const tenant = this.setup.tenantId ?? jwtClaims(entra.token).tid;
            const body = new URLSearchParams({ grant_type: 'access_token', service: realm.service, ...(tenant ? { tenant } : {}), access_token: entra.token });
            const res = await this.setup.transport.send({ url: `${realm.origin}/oauth2/exchange`, method: 'POST', ...form(body), abortSignal: opts.abortSignal });
            if (res.status === 200) {
                const token = tokenField(res.bodyAsText, 'refresh_token');
                if (!token) throw answerError(502, 'no refresh_token in the answer', res);
                return { token, expiresAt: expiresAtMs(token, this.setup.now(), 60 * 60_000) };
            }
            last = answerError(res.status, res.bodyAsText, res);
            // Only an authentication refusal is worth a second audience; anything else is final.
            if (res.status !== 401 && res.status !== 403) break;
        }
        throw last;
    }

    private getRealm(opts: CallOptions): Promise<Realm> {
        return this.realm.get(() => this.fetchRealm(opts));
    }

    /** GET /v2/ without credentials; realm and service always come from the challenge (ACR OAuth, docs/sources.md). */
    private async fetchRealm(opts: CallOptions): Promise<Realm> {
        const res = await this.setup.transport.send({ url: `https://${this.loginServer}/v2/`, method: 'GET', abortSignal: opts.abortSignal });
        const challenge = parseBearerChallenge(res.headers.get('www-authenticate'));
        // Throttled, forbidden (network rules) or failing: say that, with the status, not "not a registry".
        if (res.status === 403 || res.status === 429 || res.status >= 500) throw answerError(res.status, res.bodyAsText, res);
        if (res.status !== 401 || !challenge) {
            throw new ToolError(
                `${this.loginServer} did not answer like an Azure container registry`,
                `GET /v2/ returned ${res.status} without a Bearer challenge`,
                'check the registry name; private-endpoint registries must be reachable from this machine',
                'NOT_A_REGISTRY'
            );
        }
        return { origin: this.realmOrigin(challenge), service: challenge.service };
    }

    /**
     * The realm decides where the Entra token is sent, so it must be this registry (or another allowed login
     * server). With an endpoint map (sandbox), the listener's own origin stands for the login server.
     */
    private realmOrigin(c: BearerChallenge): string {
        let url: URL;
        try {
            url = new URL(c.realm);
        } catch {
            throw realmRefused(this.loginServer, c.realm);
        }
        if (url.protocol !== 'https:' || url.username || url.password) throw realmRefused(this.loginServer, c.realm);
        if (url.host === this.loginServer) return `https://${this.loginServer}`;
        const mapped = this.setup.resolveEndpoint?.(this.loginServer);
        if (mapped && new URL(mapped).origin === url.origin) return `https://${this.loginServer}`;
        try {
            this.setup.transport.assertAllowed(new URL(`https://${url.host}/`));
        } catch {
            throw realmRefused(this.loginServer, c.realm);
        }
        return `https://${url.host}`;
    }
}

function form(body: URLSearchParams) {
    return { headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: body.toString() };
}

/**
 * The token in a 200 answer of /oauth2/exchange or /oauth2/token, or '' when the body is not the expected
 * JSON. JSON.parse errors are not let through: their message quotes the body, which may hold a token.
 */
function tokenField(body: string | null | undefined, field: 'access_token' | 'refresh_token'): string {
    try {
        const value = (JSON.parse(body ?? '') as Record<string, unknown> | null)?.[field];
        return typeof value === 'string' ? value : '';
    } catch {
        return '';
    }
}

function realmRefused(loginServer: string, realm: string): ToolError {
    return new ToolError(
        `Refused the token endpoint that ${loginServer} named`,
        `its challenge points at "${excerpt(realm)}", which is not this registry; credentials are only sent to the registry itself`,
        'check that the registry name resolves to Azure Container Registry (DNS, proxy)',
        'HOST_NOT_ALLOWED'
    );
}
