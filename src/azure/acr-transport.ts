/**
 * The one way bytes reach an ACR data plane. Every request passes the host gate first (an allowed login
 * server: ARM reported it and it has this cloud's suffix), runs through a pipeline with our reliability
 * policy and no automatic redirects (a redirect must never carry a registry token), and is sent through
 * the endpoint-rewriting client (sandbox) or the default one.
 */
import type { Agent } from 'node:https';
import type { HttpClient, Pipeline, PipelineResponse } from '@azure/core-rest-pipeline';
import { ToolError } from '../tool-error.js';
import { excerpt } from './names.js';
import { reliabilityPolicies, rewritingHttpClient, type EndpointResolver, type RetrySettings } from './http-policies.js';
import { loadRest, type RestModule } from './rest.js';
import { SharedPromise } from './shared-promise.js';
import { registryGatePolicy } from './registry-throttle.js';

export interface TransportSetup {
    agent?: Agent;
    retry: RetrySettings;
    resolveEndpoint?: EndpointResolver;
    /** The security gate: may a request (and possibly a token) go to this host? */
    isAllowedHost(host: string): boolean;
}

export interface SendOptions {
    url: string;
    method: 'GET' | 'HEAD' | 'POST' | 'DELETE';
    headers?: Record<string, string>;
    /** Form or JSON body, already encoded. */
    body?: string;
    abortSignal: AbortSignal;
    /** Skip the host gate: only for token-less follow-ups of a redirect (blob downloads). */
    ungated?: boolean;
}

interface Loaded {
    pipeline: Pipeline;
    http: HttpClient;
    make: RestModule;
}

export class AcrTransport {
    private readonly loaded = new SharedPromise<Loaded>();

    constructor(private readonly setup: TransportSetup) {}

    private load(): Promise<Loaded> {
        return this.loaded.get(async () => {
            const make = await loadRest();
            const pipeline = make.createPipelineFromOptions({
                ...(this.setup.agent ? { agent: this.setup.agent } : {}),
                retryOptions: { maxRetries: 0 },
                redirectOptions: { maxRetries: 0 },
                userAgentOptions: { userAgentPrefix: 'acr-streaming-mcp' }
            });
            // The registry gate paces each attempt, outside its timeout and inside the retries (registry-throttle.ts).
            for (const policy of reliabilityPolicies(make, this.setup.retry, [registryGatePolicy().gate])) pipeline.addPolicy(policy);
            const base = make.createDefaultHttpClient();
            const http = this.setup.resolveEndpoint ? rewritingHttpClient(base, this.setup.resolveEndpoint) : base;
            return { pipeline, http, make };
        });
    }

    assertAllowed(url: URL): void {
        if (url.protocol !== 'https:' || url.username || url.password || url.port || !this.setup.isAllowedHost(url.host)) {
            throw new ToolError(
                `Refused to contact "${excerpt(url.host)}"`,
                'requests (and tokens) only go to Azure Resource Manager and to login servers that Resource Manager reported for a registry in this subscription',
                'use an image or registry listed by acr_list_registries',
                'HOST_NOT_ALLOWED'
            );
        }
    }

    async send(opts: SendOptions): Promise<PipelineResponse> {
        const url = new URL(opts.url);
        if (!opts.ungated) this.assertAllowed(url);
        else if (url.protocol !== 'https:') throw new ToolError('Refused a non-HTTPS redirect', `the registry redirected to ${excerpt(url.origin)}`, 'report this registry configuration', 'HOST_NOT_ALLOWED');
        const { pipeline, http, make } = await this.load();
        const request = make.createPipelineRequest({
            url: opts.url,
            method: opts.method,
            headers: make.createHttpHeaders(opts.headers ?? {}),
            ...(opts.body !== undefined ? { body: opts.body } : {}),
            abortSignal: opts.abortSignal
        });
        return pipeline.sendRequest(http, request);
    }
}
