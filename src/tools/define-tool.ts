/**
 * Our own tool shape. Tools are plain objects; register-tools.ts is the one place that turns them into
 * SDK `registerTool` calls, so SDK churn touches one file.
 */
import type * as z from 'zod/v4';
import type { AzureAccess } from '../azure/azure-access.js';
import type { CloudProfile } from '../azure/cloud.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Toolset } from './toolsets.js';
import type { ChangeRuntime } from './change/change-runtime.js';

/** read: no side effect. change: mutates, safe to repeat. destructive: mutates and removes something. */
export type ToolKind = 'read' | 'change' | 'destructive';

export interface ResourceLinkOut {
    uri: string;
    name: string;
    title?: string;
    description?: string;
    mimeType?: string;
}

/** What a handler returns: the structured data, a one-paragraph human summary, optional resource links. */
export interface ToolOutput<O> {
    data: O;
    summary: string;
    links?: ResourceLinkOut[];
    /** Change tools only (define-change-tool.ts): ask the user with a form showing `message` instead of returning. */
    elicit?: { message: string; state: string };
}

/**
 * What tools depend on, and nothing more: not the whole app (tools sit below it and must not import it).
 * The AppContext provides these; tests may provide them directly.
 */
export interface ToolDeps {
    /** Lazy: nothing Azure is imported or constructed until a tool calls this. */
    azure(): Promise<AzureAccess>;
    knowledge: KnowledgeBase;
    /** The cloud this server talks to (login-server suffix, ARM endpoint, audiences). */
    cloud: CloudProfile;
}

/** What a handler may use besides its arguments. */
export interface ToolRuntime extends ToolDeps {
    /** Names of the tools this server registered (--toolsets, --read-only): fixes name only these. */
    registeredTools: ReadonlySet<string>;
    /** Aborted when the client cancels the call. Pass it to every network call. */
    signal: AbortSignal;
    /** Sends notifications/progress when the client asked for progress; a no-op otherwise. */
    progress(progress: number, total?: number, message?: string): Promise<void>;
    /** Sends a log notification to the client (if it set a level) and to stderr at debug level. */
    log(level: 'debug' | 'info' | 'warning' | 'error', message: string): Promise<void>;
    /** Confirmation plumbing for change tools (tokens, elicitation, audit). */
    changes: ChangeRuntime;
}

export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
    name: string;
    title: string;
    /** Says when to use the tool and when not to. */
    description: string;
    toolset: Toolset;
    kind: ToolKind;
    /** True when the tool talks to Azure (an open world); false for local knowledge. */
    openWorld: boolean;
    input: I;
    output: O;
    handler(args: z.output<I>, rt: ToolRuntime): Promise<ToolOutput<z.input<O>>>;
}

/** Identity function that keeps the input/output types of one tool tied together. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(def: ToolDefinition<I, O>): ToolDefinition<I, O> {
    return def;
}

/** The four MCP annotations, derived from the tool's kind in one place. */
export function annotationsFor(def: Pick<ToolDefinition, 'kind' | 'openWorld'>) {
    return {
        readOnlyHint: def.kind === 'read',
        destructiveHint: def.kind === 'destructive',
        idempotentHint: true,
        openWorldHint: def.openWorld
    };
}
