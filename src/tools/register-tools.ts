/**
 * The seam between our tool definitions and the MCP SDK: the only file that calls `registerTool`.
 * It derives annotations, turns handler output into structuredContent + a text summary (+ resource links),
 * and turns every failure into an `isError` result with no stack trace.
 */
import {
    CLIENT_CAPABILITIES_META_KEY,
    PROTOCOL_VERSION_META_KEY,
    inputRequired,
    inputResponse,
    type CallToolResult,
    type ClientCapabilities,
    type InputRequiredResult,
    type McpServer,
    type ServerContext
} from '@modelcontextprotocol/server';
import { redact, type Logger } from '../log.js';
import { annotationsFor, type ToolDefinition, type ToolDeps, type ToolOutput, type ToolRuntime } from './define-tool.js';
import { isToolError, ToolError } from '../tool-error.js';
import type { ChangeRuntime, ChangeSettings } from './change/change-runtime.js';
import type { AzureAccess } from '../azure/azure-access.js';
import { callerFromAuthInfo, hasRole, OPERATE_ROLE, READ_ROLE, type Caller } from '../auth/caller.js';
import { confirmFormSchema } from './change/change-schema.js';
import { advertised } from './advertised-schema.js';
import { parseArguments } from './tool-arguments.js';

/** The inputRequests key of the change tools' confirmation form. */
const CONFIRM_KEY = 'confirm';
import { DEFAULT_TOOL_DEADLINE_MS, runWithinDeadline, type CallScope, type ProgressSender } from './call-deadline.js';

export const SANDBOX_META_KEY = 'acr-streaming-mcp/sandbox';
/** `_meta` key of an error result: `{ code, what, why, fix }` (docs/tools.md). */
export const ERROR_META_KEY = 'acr-streaming-mcp/error';

/** What registering tools needs: the tools' own dependencies, the process log, and whether this is the sandbox. */
export interface ToolHost extends ToolDeps {
    log: Logger;
    /** Set in sandbox mode: its label prefixes every result. */
    sandbox?: { label: string };
    /** Confirmation key, mode and audit sink of the change tools. */
    changes: ChangeSettings;
    /** Overall time limit of one call (--tool-timeout-seconds). */
    toolDeadlineMs?: number;
    /** --auth entra, on-behalf-of: the signed-in user's own Azure access. */
    azureFor?(caller: Caller): Promise<AzureAccess>;
}

/** `withheld`: change tools this caller's role does not allow; not listed, and a call names the missing role. */
export function registerTools(server: McpServer, tools: readonly ToolDefinition[], app: ToolHost, withheld: readonly string[] = []): void {
    const registered: ReadonlySet<string> = new Set(tools.map(t => t.name));
    for (const def of tools) {
        server.registerTool(
            def.name,
            {
                title: def.title,
                description: def.description,
                inputSchema: advertised(def.input, def.name, 'input'),
                outputSchema: advertised(def.output, def.name, 'output'),
                annotations: annotationsFor(def)
            },
            (async (args: unknown, ctx: ServerContext) => runTool(def, args, ctx, app, server, registered)) as never
        );
    }
    if (withheld.length) refuseWithheld(server, new Set(withheld), app);
}

type RawHandler = (request: { params?: { name?: unknown } }, ctx: unknown) => Promise<unknown>;

/**
 * A reader calling a change tool gets a tool error naming the role (ROLE_REQUIRED), not the SDK's bare
 * "Tool … not found". The SDK offers no hook between lookup and "not found", so the tools/call handler
 * McpServer installed is wrapped in place; if a later SDK renames that map, the wrap is skipped and the
 * call still fails closed ("not found"), and test/auth/roles.test.ts says so.
 */
function refuseWithheld(server: McpServer, withheld: ReadonlySet<string>, app: ToolHost): void {
    const handlers = (server.server as unknown as { _requestHandlers?: Map<string, RawHandler> })._requestHandlers;
    const inner = handlers?.get('tools/call');
    if (!handlers || !inner) return;
    handlers.set('tools/call', async (request, ctx) => {
        const name = request.params?.name;
        if (typeof name === 'string' && withheld.has(name)) {
            app.log.info(`${name} refused: the caller lacks ${OPERATE_ROLE}`);
            return errorResult(roleError(name, OPERATE_ROLE), app);
        }
        return inner(request, ctx);
    });
}

function roleError(tool: string, role: string): ToolError {
    return new ToolError(
        `${tool} needs the ${role} app role`,
        `your sign-in token does not carry the ${role} role of this server's app registration`,
        `ask an administrator to assign you ${role} (docs/team-server.md), sign in again, then retry; nothing was changed`,
        'ROLE_REQUIRED'
    );
}

async function runTool(def: ToolDefinition, args: unknown, ctx: ServerContext, app: ToolHost, server: McpServer, registered: ReadonlySet<string>): Promise<CallToolResult | InputRequiredResult> {
    const started = Date.now();
    try {
        const caller = callerFromAuthInfo(ctx.http?.authInfo);
        if (caller && !hasRole(caller, READ_ROLE) && !hasRole(caller, OPERATE_ROLE)) throw roleError(def.name, READ_ROLE);
        if (caller && def.kind !== 'read' && !hasRole(caller, OPERATE_ROLE)) throw roleError(def.name, OPERATE_ROLE);
        const parsed = parseArguments(def.name, def.input, args);
        const limits = { tool: def.name, deadlineMs: app.toolDeadlineMs ?? DEFAULT_TOOL_DEADLINE_MS, signal: ctx.mcpReq.signal, send: progressSender(ctx), debug: app.log.debug };
        const out = await runWithinDeadline(limits, call => def.handler(parsed, runtimeFor(ctx, app, server, registered, call)));
        app.log.debug(`${def.name} ok in ${Date.now() - started} ms`);
        if (out.elicit) {
            // Both eras: a 2026-07-28 client answers the embedded request and retries; on 2025-era connections
            // the SDK's legacy shim sends elicitation/create and re-enters the handler with the answer.
            return inputRequired({
                inputRequests: { [CONFIRM_KEY]: inputRequired.elicit({ message: out.elicit.message, requestedSchema: confirmFormSchema }) },
                requestState: out.elicit.state
            });
        }
        return toResult(out, app);
    } catch (e) {
        const err = asToolError(e, def.name, ctx.mcpReq.signal.aborted);
        if (err.code === 'INTERNAL') app.log.error(`${def.name} failed unexpectedly: ${err.why}`);
        else app.log.info(`${def.name} refused: ${err.what}`);
        return errorResult(err, app);
    }
}

/** Every failure becomes a ToolError: a cancellation, a ToolError as thrown, or anything else as INTERNAL. */
function asToolError(e: unknown, tool: string, cancelled: boolean): ToolError {
    if (cancelled) return new ToolError(`${tool} was cancelled`, 'the client cancelled the call', 'nothing further was done; call again if needed', 'CANCELLED');
    if (isToolError(e)) return e;
    const message = e instanceof Error ? e.message : String(e);
    return new ToolError(`${tool} failed unexpectedly`, message, 'retry; if it keeps failing, run the server with --log-level debug and report the stderr output', 'INTERNAL');
}

/**
 * Whether the client can be asked through a form now. Modern requests carry their capabilities in the
 * envelope; legacy connections declared them at initialize (unknown on stateless 2025-era HTTP, where no
 * server-to-client request could reach the client anyway).
 */
function canElicit(ctx: ServerContext, server: McpServer): boolean {
    const env = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
    const modern = env?.[PROTOCOL_VERSION_META_KEY] !== undefined;
    const caps = (modern ? env?.[CLIENT_CAPABILITIES_META_KEY] : server.server.getClientCapabilities()) as ClientCapabilities | undefined;
    return caps?.elicitation !== undefined && (caps.elicitation.form !== undefined || caps.elicitation.url === undefined);
}

function changeRuntime(ctx: ServerContext, app: ToolHost, server: McpServer, caller: Caller | undefined): ChangeRuntime {
    const view = inputResponse(ctx.mcpReq.inputResponses, CONFIRM_KEY);
    const state = ctx.mcpReq.requestState<unknown>();
    return {
        ...app.changes,
        canElicit: canElicit(ctx, server),
        ...(view.kind === 'elicit'
            ? { answer: { action: view.action, confirmed: view.content?.confirm === true, state: typeof state === 'string' ? state : undefined } }
            : {}),
        ...(ctx.sessionId ? { session: ctx.sessionId } : {}),
        ...(caller ? { user: { oid: caller.oid, upn: caller.upn ?? null } } : {})
    };
}

function progressSender(ctx: ServerContext): ProgressSender | undefined {
    const progressToken = ctx.mcpReq._meta?.progressToken;
    if (progressToken === undefined) return undefined;
    return (progress, total, message) =>
        ctx.mcpReq.notify({
            method: 'notifications/progress',
            params: { progressToken, progress, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) }
        });
}

function runtimeFor(ctx: ServerContext, app: ToolHost, server: McpServer, registeredTools: ReadonlySet<string>, call: CallScope): ToolRuntime {
    const caller = callerFromAuthInfo(ctx.http?.authInfo);
    const azureFor = app.azureFor;
    return {
        changes: changeRuntime(ctx, app, server, caller),
        registeredTools,
        // The signed-in user's own access when the server acts on their behalf; never a shared one for them.
        azure: caller && azureFor ? () => azureFor(caller) : () => app.azure(),
        knowledge: app.knowledge,
        cloud: app.cloud,
        signal: call.signal,
        progress: call.progress,
        async log(level, message) {
            app.log.debug(message);
            await ctx.mcpReq.log(level, redact(message), 'acr-streaming-mcp').catch(() => undefined);
        }
    };
}

function sandboxPrefix(app: ToolHost): string {
    return app.sandbox ? `[${app.sandbox.label}] ` : '';
}

function toResult(out: ToolOutput<unknown>, app: ToolHost): CallToolResult {
    const content: CallToolResult['content'] = [{ type: 'text', text: sandboxPrefix(app) + redact(out.summary) }];
    for (const link of out.links ?? []) content.push({ type: 'resource_link', ...link });
    return {
        content,
        structuredContent: out.data as Record<string, unknown>,
        ...(app.sandbox ? { _meta: { [SANDBOX_META_KEY]: true } } : {})
    };
}

/**
 * An `isError` result: the text says what, why, fix and the code; `_meta[ERROR_META_KEY]` carries the same as
 * data a client can branch on. Not `structuredContent`: a v1 SDK client validates it against the tool's
 * output schema even on errors (and rejects the result), so error data travels in `_meta`.
 */
function errorResult(err: ToolError, app: ToolHost): CallToolResult {
    const error = { code: err.code, what: redact(err.what), why: redact(err.why), fix: redact(err.fix) };
    return {
        content: [{ type: 'text', text: sandboxPrefix(app) + redact(err.toText()) }],
        isError: true,
        _meta: { [ERROR_META_KEY]: error, ...(app.sandbox ? { [SANDBOX_META_KEY]: true } : {}) }
    };
}
