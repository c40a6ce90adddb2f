/**
 * Shared pieces of the ARM emulation: the context every resource module gets, ARM error bodies
 * (`{"error":{"code","message"}}`, the shape the Azure SDKs turn into RestError.code), and a tiny
 * route table with case-insensitive path templates (ARM treats `resourcegroups` and `resourceGroups` alike).
 */
import { json, type SandboxRequest, type SandboxResponse } from '../http/types.js';
import type { SandboxState } from '../state.js';
import type { EntraIdentity } from '../entra/entra-identity.js';
import type { WorldEntraUser } from '../world/schema.js';

export interface KubeAccess {
    server: string;
    token: string;
}

/** Cluster names are unique per resource group only, so both name the API server. */
export const kubeAccessKey = (c: { resourceGroup: string; name: string }): string => `${c.resourceGroup}/${c.name}`.toLowerCase();

export interface ArmContext {
    state: SandboxState;
    /** https origin of the ARM listener (operation URLs point back at it). */
    origin: string;
    /** kubeAccessKey(cluster) → its API server and the bearer token it accepts. */
    kube: Record<string, KubeAccess>;
    caPem: string;
    /** Who signed in (emulated Entra tokens); absent: the world's default caller. */
    identity?: EntraIdentity;
    /** Set per request: the signed-in world user, whose roles replace `callerRoles`. */
    caller?: WorldEntraUser;
}

/** The `{name}` placeholders of a route template, as a union of their names. */
export type ParamNames<T extends string> = T extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never;
/** A matched route's path parameters: exactly the template's placeholders, each set (a named group of a match). */
export type Params<T extends string = string> = Record<ParamNames<T>, string>;

type Handler<T extends string> = (req: SandboxRequest, p: Params<T>, ctx: ArmContext) => SandboxResponse | Promise<SandboxResponse>;

export interface ArmRoute {
    method: string;
    re: RegExp;
    /** p: the named groups of `re`'s match, every one of them set (no group is optional). */
    handle(req: SandboxRequest, p: Record<string, string>, ctx: ArmContext): SandboxResponse | Promise<SandboxResponse>;
}

export function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): SandboxResponse {
    return json(status, { error: { code, message } }, headers);
}

/** ARM's answer to a caller whose roles lack `action` at `scope` (its usual AuthorizationFailed shape). */
export function authorizationFailed(ctx: ArmContext, action: string, scope: string): SandboxResponse {
    return armError(
        403,
        'AuthorizationFailed',
        `The client '${ctx.caller?.upn ?? 'sandbox-user'}' with object id '${ctx.caller?.oid ?? 'sandbox-user'}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`
    );
}

/** `{name}` becomes a named group matching one path segment; the handler gets those names typed from the template. */
export function route<T extends string>(method: string, template: T, handle: Handler<T>): ArmRoute {
    const body = template
        .split(/(\{[a-zA-Z]+\})/)
        .map(part => (part.startsWith('{') ? `(?<${part.slice(1, -1)}>[^/]+)` : part.replace(/[.+?^$()|[\]\\]/g, '\\$&')))
        .join('');
    // The template's placeholders are exactly the regex's groups, all required: a match sets every one.
    return { method, re: new RegExp(`^${body}$`, 'i'), handle: handle as ArmRoute['handle'] };
}

export const RG = '/subscriptions/{sub}/resourceGroups/{rg}';
export const SUB = '/subscriptions/{sub}';

export const ok = (body: object, headers: Record<string, string> = {}): SandboxResponse => json(200, body, headers);
export const list = (items: object[]): SandboxResponse => json(200, { value: items });

export function resourceGroupNotFound(rg: string): SandboxResponse {
    return armError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
}

/** The message real ARM sends for a missing resource in an existing group. */
export function resourceNotFound(type: string, name: string, rg: string): SandboxResponse {
    return armError(
        404,
        'ResourceNotFound',
        `The Resource '${type}/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`
    );
}

/** Stable ISO timestamp some time before the sandbox started (creation dates). */
export function pastIso(ctx: ArmContext, daysAgo: number): string {
    return new Date(ctx.state.startedAt - daysAgo * 86_400_000).toISOString();
}
