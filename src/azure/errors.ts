/**
 * Failures of the Azure layer and their translation into ToolErrors (what, why, fix), so a tool never
 * shows a stack trace or an SDK message that names nothing the user can act on. Every text passes
 * through redact(): no token can leak through an error.
 */
import { redact } from '../log.js';
import { ToolError, isToolError } from '../tool-error.js';

/** A request got no complete answer within the per-attempt timeout (after the allowed retries). */
export class AzureTimeoutError extends Error {
    constructor(
        readonly host: string,
        readonly timeoutMs: number,
        readonly attempts: number
    ) {
        super(`no answer from ${host} within ${timeoutMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'})`);
        this.name = 'AzureTimeoutError';
    }
}

/** A non-2xx answer from the ACR data plane (ARM failures arrive as the SDK's RestError). */
export class AcrHttpError extends Error {
    constructor(
        readonly status: number,
        readonly code: string | undefined,
        readonly detail: string,
        readonly loginServer: string,
        readonly path: string,
        readonly retryAfterSeconds?: number
    ) {
        super(`${status}${code ? ` ${code}` : ''} from ${loginServer}${path}: ${detail}`);
        this.name = 'AcrHttpError';
    }
}

/** Who we are talking to when the failure happened, to word the message and the fix. */
export interface FailureContext {
    /** e.g. "Listing registries", "Reading ml/trainer:v1 from contosoacr.azurecr.io". */
    action: string;
    tenant?: string;
}

interface RestLike {
    name?: string;
    statusCode?: number;
    code?: string;
    message?: string;
    response?: { headers?: { get(name: string): string | undefined } };
}

/**
 * Codes of a connection that broke or never formed (no HTTP answer): retried by the reliability policy.
 * ENOTFOUND is not among them (a name that does not resolve will not resolve a second later).
 */
export const TRANSPORT_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'REQUEST_SEND_ERROR', 'UND_ERR_SOCKET']);

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

export function isAbortError(e: unknown): boolean {
    return (e as { name?: string })?.name === 'AbortError';
}

function firstLine(text: string | undefined): string {
    return redact((text ?? '').split('\n')[0]!.slice(0, 300));
}

/** Turns anything the Azure layer throws into a ToolError; abort errors pass through unchanged. */
export function toToolError(e: unknown, ctx: FailureContext): unknown {
    if (isToolError(e) || isAbortError(e)) return e;
    if (e instanceof AzureTimeoutError) {
        return new ToolError(`${ctx.action} timed out`, e.message, 'retry in a moment; if it keeps timing out, check the network path to Azure (proxy, firewall, private endpoint DNS)', 'TIMEOUT');
    }
    if (e instanceof AcrHttpError) return fromStatus(e.status, e.code, e.detail, ctx, e.retryAfterSeconds, e.loginServer);
    const r = e as RestLike;
    if (typeof r?.statusCode === 'number') {
        const retryAfter = Number(r.response?.headers?.get('retry-after'));
        return fromStatus(r.statusCode, r.code, firstLine(r.message), ctx, Number.isFinite(retryAfter) ? retryAfter : undefined, 'Azure Resource Manager');
    }
    if (r?.code && TLS_CODES.test(r.code)) {
        return new ToolError(
            `${ctx.action} failed: the server's TLS certificate was not trusted`,
            `${r.code}: ${firstLine(r.message)}`,
            'a proxy or firewall may be intercepting HTTPS; trust its CA through NODE_EXTRA_CA_CERTS (TLS checks are never turned off)',
            'TLS'
        );
    }
    if (r?.code === 'ENOTFOUND' || r?.code === 'EAI_AGAIN') {
        return new ToolError(`${ctx.action} failed: a host name did not resolve`, `${r.code}: ${firstLine(r.message)}`, 'check DNS (private endpoints need their private DNS zone) and the network', 'DNS');
    }
    if (r?.code && TRANSPORT_CODES.has(r.code)) {
        return new ToolError(`${ctx.action} failed: the connection broke`, `${r.code}: ${firstLine(r.message)} (retried)`, 'retry in a moment; check connectivity to Azure', 'CONNECTION');
    }
    return e;
}

function fromStatus(status: number, code: string | undefined, detail: string, ctx: FailureContext, retryAfter: number | undefined, who: string): ToolError {
    const why = `${who} answered ${status}${code ? ` ${code}` : ''}: ${redact(detail)}`;
    if (status === 401) {
        const login = `\`az login${ctx.tenant ? ` --tenant ${ctx.tenant}` : ''}\``;
        // A registry answers 401 both for a bad token and for a token without the needed permission.
        const fix = who === 'Azure Resource Manager' ? `sign in again: ${login}` : `make sure your identity holds a pull role on the registry (AcrPull, or Container Registry Repository Reader on ABAC registries), then sign in again: ${login}`;
        return new ToolError(`${ctx.action} was refused: not authenticated`, why, fix, 'UNAUTHENTICATED');
    }
    if (status === 403) {
        return new ToolError(`${ctx.action} was refused: not authorised`, why, 'ask for a role that allows this read (e.g. Reader on the subscription, AcrPull or Container Registry Repository Reader on the registry)', 'FORBIDDEN');
    }
    if (status === 404) return new ToolError(`${ctx.action} failed: not found`, why, 'check the name (and resource group); list what exists with acr_list_registries', 'NOT_FOUND');
    if (status === 429) {
        return new ToolError(`${ctx.action} was throttled`, `${why}${retryAfter !== undefined ? ` (Retry-After ${retryAfter} s)` : ''}`, `wait ${retryAfter ?? 30} seconds and retry`, 'THROTTLED');
    }
    if (status >= 500) return new ToolError(`${ctx.action} failed: Azure had a server error`, `${why} (retried)`, 'retry in a moment; check https://status.azure.com if it persists', 'SERVER_ERROR');
    return new ToolError(`${ctx.action} failed`, why, 'check the arguments; retry with --log-level debug for details', 'AZURE_ERROR');
}

/** Runs `fn` and converts its failure. */
export async function describeFailure<T>(ctx: FailureContext, fn: () => Promise<T>): Promise<T> {
    try {
        return await fn();
    } catch (e) {
        throw toToolError(e, ctx);
    }
}
