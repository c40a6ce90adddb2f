/**
 * The one boundary where failures of the Azure layer become ToolErrors (what, why, fix, code), so a tool
 * never shows a stack trace or an SDK message that names nothing the user can act on. Below it, wire
 * failures are core-rest-pipeline RestErrors (the SDK's own, or built here for the data plane, the raw ARM
 * GET and the Kubernetes reads); deliberate refusals are ToolErrors already. Every text passes through
 * redact(): no token can leak through an error.
 */
import type { PipelineResponse, RestError } from '@azure/core-rest-pipeline';
import { redact } from '../log.js';
import { ToolError, isToolError } from '../tool-error.js';
import { attemptsMade, isRepeatable, isWrite } from './request-attempts.js';
import { isRestError, restError } from './rest.js';

/** RestError code of an attempt that got no complete answer within the per-attempt timeout. */
export const ATTEMPT_TIMEOUT = 'ATTEMPT_TIMEOUT';

/** Who we are talking to when the failure happened, to word the message and the fix. */
export interface FailureContext {
    /** e.g. "Listing registries", "Reading ml/trainer:v1 from contosoacr.azurecr.io". */
    action: string;
    tenant?: string;
    /** The Resource Manager origin: failures of requests to it are worded as Resource Manager's. */
    armOrigin?: string;
}

/**
 * The fix for a write whose outcome is unknown (no answer, or a server error): it may have been applied, and
 * repeating it blindly could apply it twice. Every change tool plans from the current state, so its plan shows it.
 */
const CHECK_BEFORE_REPEATING =
    'the change may have been applied: check the current state first (call the same tool again without confirmationToken: its plan shows the state now, or read it with the matching read tool), and apply again only if it is still needed';

/**
 * What the reliability policy did with the failed request, from the attempts it counted (request-attempts.ts):
 * "(3 attempts)", or why there was only one. Empty when the request never went through it.
 */
function attemptsText(request: RestError['request']): string {
    const n = attemptsMade(request);
    if (n === undefined) return '';
    if (n > 1) return ` (${n} attempts)`;
    return isRepeatable(request) ? ' (not retried)' : ' (not retried: a request that may change something is never repeated automatically)';
}

/**
 * Codes of a connection that broke or never formed (no HTTP answer): retried by the reliability policy when repeatable.
 * ENOTFOUND is not among them (a name that does not resolve will not resolve a second later).
 */
export const TRANSPORT_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'REQUEST_SEND_ERROR', 'UND_ERR_SOCKET']);

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;
const ARM = 'Azure Resource Manager';

export function isAbortError(e: unknown): boolean {
    return (e as { name?: string })?.name === 'AbortError';
}

function firstLine(text: string | undefined): string {
    return redact((text ?? '').split('\n')[0]!.slice(0, 300));
}

/**
 * A non-2xx (or unusable 2xx) answer of the ACR data plane or the raw ARM GET, as a RestError. `status` is
 * the answer's, or 502 when the answer itself was unusable (we act as a gateway that got a bad answer).
 * The error body is `{"errors":[{"code","message"}]}` (ACR) or `{"error":{"code","message"}}` (ARM).
 */
export function answerError(status: number, body: string | null | undefined, res: PipelineResponse): RestError {
    let code: string | undefined;
    let message = body?.slice(0, 200) || `HTTP ${status}`;
    try {
        const parsed = JSON.parse(body ?? '') as { errors?: { code?: string; message?: string }[]; error?: { code?: string; message?: string } };
        const first = parsed.errors?.[0] ?? parsed.error;
        code = first?.code;
        message = first?.message ?? message;
    } catch {
        /* not JSON */
    }
    return restError(message, { statusCode: status, ...(code ? { code } : {}), request: res.request, response: res });
}

/** Turns anything the Azure layer throws into a ToolError; abort errors pass through unchanged. */
export function toToolError(e: unknown, ctx: FailureContext): unknown {
    if (isToolError(e) || isAbortError(e)) return e;
    const r = e as { code?: unknown; message?: string };
    const code = typeof r?.code === 'string' ? r.code : undefined;
    if (isRestError(e)) {
        if (code === ATTEMPT_TIMEOUT) {
            const fix = isWrite(e.request) ? CHECK_BEFORE_REPEATING : 'retry in a moment; if it keeps timing out, check the network path to Azure (proxy, firewall, private endpoint DNS)';
            return new ToolError(`${ctx.action} timed out`, e.message, fix, 'TIMEOUT');
        }
        if (typeof e.statusCode === 'number') return fromStatus(e.statusCode, code, firstLine(e.message), ctx, retryAfterSeconds(e), whoAnswered(e, ctx), e.request);
    }
    if (code && TLS_CODES.test(code)) {
        return new ToolError(
            `${ctx.action} failed: the server's TLS certificate was not trusted`,
            `${code}: ${firstLine(r.message)}`,
            'a proxy or firewall may be intercepting HTTPS; trust its CA through NODE_EXTRA_CA_CERTS (TLS checks are never turned off)',
            'TLS'
        );
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
        return new ToolError(`${ctx.action} failed: a host name did not resolve`, `${code}: ${firstLine(r.message)}`, 'check DNS (private endpoints need their private DNS zone) and the network', 'DNS');
    }
    if (code && TRANSPORT_CODES.has(code)) {
        const request = isRestError(e) ? e.request : undefined;
        const fix = isWrite(request) ? CHECK_BEFORE_REPEATING : 'retry in a moment; check connectivity to Azure';
        return new ToolError(`${ctx.action} failed: the connection broke`, `${code}: ${firstLine(r.message)}${attemptsText(request)}`, fix, 'CONNECTION');
    }
    return new ToolError(
        `${ctx.action} failed unexpectedly`,
        firstLine(e instanceof Error ? e.message : String(e)),
        'retry; if it keeps failing, run the server with --log-level debug and report the stderr output',
        'INTERNAL'
    );
}

function retryAfterSeconds(e: RestError): number | undefined {
    const raw = e.response?.headers.get('retry-after');
    const seconds = raw === undefined ? NaN : Number(raw);
    return Number.isFinite(seconds) ? seconds : undefined;
}

/** Resource Manager (no request, or a request to its origin), or the host that answered (a login server, a Kubernetes API server). */
function whoAnswered(e: RestError, ctx: FailureContext): string {
    const url = e.request?.url;
    if (!url) return ARM;
    const u = new URL(url);
    return ctx.armOrigin !== undefined && u.origin === new URL(ctx.armOrigin).origin ? ARM : u.host;
}

function fromStatus(status: number, code: string | undefined, detail: string, ctx: FailureContext, retryAfter: number | undefined, who: string, request: RestError['request']): ToolError {
    const why = `${who} answered ${status}${code ? ` ${code}` : ''}: ${redact(detail)}`;
    const byArm = who === ARM;
    if (status === 401) {
        const login = `\`az login${ctx.tenant ? ` --tenant ${ctx.tenant}` : ''}\``;
        // A registry answers 401 both for a bad token and for a token without the needed permission.
        // core-rest-pipeline's bearer policy renews a token 2 minutes before its expiry by the local clock, and after a
        // 401 only for a CAE claims challenge: a clock that is behind keeps sending a token Resource Manager calls
        // expired, and resending it would not help (docs/azure.md, "Credentials").
        const expired = byArm && code === 'ExpiredAuthenticationToken';
        const fix = expired
            ? `the token had expired by Resource Manager's clock: if this machine's clock is behind, correct it (NTP); otherwise sign in again: ${login}`
            : byArm
              ? `sign in again: ${login}`
              : `make sure your identity holds a pull role on the registry (AcrPull, or Container Registry Repository Reader on ABAC registries), then sign in again: ${login}`;
        return new ToolError(`${ctx.action} was refused: not authenticated`, why, fix, 'UNAUTHENTICATED');
    }
    if (status === 403) {
        const fix = byArm
            ? 'ask for a role that allows this read (e.g. Reader on the subscription, AcrPull or Container Registry Repository Reader on the registry)'
            : 'ask for a role that allows this read (AcrPull, or Container Registry Repository Reader on ABAC registries); if the registry restricts network access (firewall rules, private endpoint only), allow this machine or run from inside that network';
        return new ToolError(`${ctx.action} was refused: forbidden`, why, fix, 'FORBIDDEN');
    }
    if (status === 404) return new ToolError(`${ctx.action} failed: not found`, why, 'check the name (and resource group); list what exists with acr_list_registries', 'NOT_FOUND');
    if (status === 429) {
        return new ToolError(`${ctx.action} was throttled`, `${why}${retryAfter !== undefined ? ` (Retry-After ${retryAfter} s)` : ''}`, `wait ${retryAfter ?? 30} seconds and retry`, 'THROTTLED');
    }
    if (status >= 500) {
        const where = byArm ? 'Azure' : who;
        const fix = isWrite(request) ? `${CHECK_BEFORE_REPEATING}; check https://status.azure.com if it persists` : 'retry in a moment; check https://status.azure.com if it persists';
        return new ToolError(`${ctx.action} failed: ${where} had a server error`, `${why}${attemptsText(request)}`, fix, 'SERVER_ERROR');
    }
    return new ToolError(`${ctx.action} failed`, why, 'check the arguments; retry with --log-level debug for details', 'AZURE_ERROR');
}

/** Runs `fn` and converts its failure: the boundary every AzureAccess call goes through. */
export async function describeFailure<T>(ctx: FailureContext, fn: () => Promise<T>): Promise<T> {
    try {
        return await fn();
    } catch (e) {
        throw toToolError(e, ctx);
    }
}
