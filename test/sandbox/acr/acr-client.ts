/**
 * The client side of the ACR token exchange, built on @azure/core-rest-pipeline the way the Azure SDK
 * does it: a policy answers a 401 Bearer challenge by getting an Entra token from a TokenCredential,
 * exchanging it at /oauth2/exchange, trading the refresh token for an access token scoped to the
 * challenge's `scope`, and retrying. TLS trusts only the sandbox certificate.
 */
import * as https from 'node:https';
import type { TokenCredential } from '@azure/identity';
import {
    createDefaultHttpClient,
    createEmptyPipeline,
    createHttpHeaders,
    createPipelineRequest,
    type HttpClient,
    type PipelinePolicy,
    type PipelineRequest,
    type PipelineResponse
} from '@azure/core-rest-pipeline';
import { staticCredential } from '../../helpers/credentials.js';

export interface Reply {
    status: number;
    headers: Record<string, string>;
    text: string;
    json<T = any>(): T;
}

export interface AcrTestClient {
    /** A request that performs the challenge → exchange → token dance when needed. */
    send(method: string, path: string, init?: { headers?: Record<string, string>; body?: string | Buffer }): Promise<Reply>;
    /** A request with exactly the given Authorization (or none): for refusal tests. */
    raw(method: string, path: string, init?: { headers?: Record<string, string>; body?: string | Buffer; token?: string }): Promise<Reply>;
    /** Entra token → refresh token. */
    refreshToken(): Promise<string>;
    /** Refresh token → access token for the given scopes. */
    accessToken(...scopes: string[]): Promise<string>;
}

function toReply(res: PipelineResponse): Reply {
    const headers: Record<string, string> = {};
    for (const [k, v] of res.headers) headers[k] = v;
    const text = res.bodyAsText ?? '';
    return { status: res.status, headers, text, json: () => JSON.parse(text) };
}

const form = (o: Record<string, string | string[]>): string => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(o)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
    return p.toString();
};

export function createAcrTestClient(opts: { origin: string; loginServer: string; caPem: string; credential?: TokenCredential }): AcrTestClient {
    const agent = new https.Agent({ ca: opts.caPem, keepAlive: true });
    const credential = opts.credential ?? staticCredential();
    const http: HttpClient = createDefaultHttpClient();
    const plain = createEmptyPipeline();

    const request = (method: string, url: string, headers: Record<string, string> = {}, body?: string | Buffer): PipelineRequest => {
        const req = createPipelineRequest({ url, method: method as PipelineRequest['method'], headers: createHttpHeaders(headers), body });
        // createPipelineRequest does not copy `agent`; the HTTP client reads it from the request.
        req.agent = agent;
        return req;
    };

    async function postForm(path: string, fields: Record<string, string | string[]>): Promise<Reply> {
        const req = request('POST', `${opts.origin}${path}`, { 'content-type': 'application/x-www-form-urlencoded' }, form(fields));
        return toReply(await plain.sendRequest(http, req));
    }

    async function refreshToken(): Promise<string> {
        const entra = await credential.getToken('https://management.azure.com/.default');
        const r = await postForm('/oauth2/exchange', { grant_type: 'access_token', service: opts.loginServer, tenant: 'tenant-1', access_token: entra!.token });
        if (r.status !== 200) throw new Error(`exchange failed: ${r.status} ${r.text}`);
        return r.json().refresh_token;
    }

    async function accessToken(...scopes: string[]): Promise<string> {
        const r = await postForm('/oauth2/token', { grant_type: 'refresh_token', service: opts.loginServer, scope: scopes, refresh_token: await refreshToken() });
        if (r.status !== 200) throw new Error(`token failed: ${r.status} ${r.text}`);
        return r.json().access_token;
    }

    const challengePolicy: PipelinePolicy = {
        name: 'acrChallenge',
        async sendRequest(req, next) {
            const first = await next(req);
            const header = first.headers.get('www-authenticate');
            if (first.status !== 401 || !header?.startsWith('Bearer ')) return first;
            const params = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map(m => [m[1], m[2]]));
            const token = await accessToken(...(params.scope ? [params.scope] : []));
            req.headers.set('authorization', `Bearer ${token}`);
            return next(req);
        }
    };
    const authed = createEmptyPipeline();
    authed.addPolicy(challengePolicy);

    return {
        async send(method, path, init = {}) {
            return toReply(await authed.sendRequest(http, request(method, `${opts.origin}${path}`, init.headers, init.body)));
        },
        async raw(method, path, init = {}) {
            const headers = { ...(init.headers ?? {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) };
            return toReply(await plain.sendRequest(http, request(method, `${opts.origin}${path}`, headers, init.body)));
        },
        refreshToken,
        accessToken
    };
}
