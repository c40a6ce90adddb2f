/**
 * Injected failures (world `behaviour.faults`, plus faults added at runtime by tests), matched in order.
 * A fault with `times` is spent after that many matches; without it, it matches forever.
 *
 * Path globs: `*` matches one or more characters of the decoded path, including `/` (repository names
 * contain slashes: `/acr/v1/*\/_streaming` must match `ml/trainer`). The query string is never part of
 * the match. Matching is case-insensitive because ARM paths are (`resourcegroups` = `resourceGroups`).
 */
import type * as z from 'zod/v4';
import { faultSchema, type WorldFault } from '../world/schema.js';
import { endpointError, type EndpointKind } from './errors.js';
import type { SandboxResponse } from './types.js';

/** A fault as written in a world file (defaults not yet applied). */
export type FaultInput = z.input<typeof faultSchema>;

interface ActiveFault {
    fault: WorldFault;
    re: RegExp;
    remaining: number;
}

export interface FaultControl {
    /** Appends a fault (validated like a world fault; throws on a bad one). */
    add(fault: FaultInput): void;
    /** Removes every fault, including those from the world. */
    clear(): void;
    /** The faults not yet spent, in match order. */
    list(): WorldFault[];
}

export function globToRegExp(glob: string): RegExp {
    const body = glob
        .split('*')
        .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^?]+');
    return new RegExp(`^${body}$`, 'i');
}

export class Faults implements FaultControl {
    private active: ActiveFault[] = [];

    constructor(initial: WorldFault[] = []) {
        for (const f of initial) this.add(f);
    }

    add(input: FaultInput): void {
        const fault = faultSchema.parse(input);
        if (fault.status === undefined && fault.action === undefined) {
            throw new Error(`fault for ${fault.path} needs a "status" or an "action"`);
        }
        this.active.push({ fault, re: globToRegExp(fault.path), remaining: fault.times ?? Infinity });
    }

    clear(): void {
        this.active = [];
    }

    list(): WorldFault[] {
        return this.active.filter(a => a.remaining > 0).map(a => a.fault);
    }

    /** The first live fault matching this request on this listener; consumes one of its `times`. */
    take(method: string, path: string, registry: string | undefined): WorldFault | undefined {
        for (const a of this.active) {
            if (a.remaining <= 0) continue;
            const f = a.fault;
            if (f.method !== '*' && f.method.toUpperCase() !== method.toUpperCase()) continue;
            // A fault naming a registry applies only to that registry's listener.
            if (f.registry !== undefined && f.registry.toLowerCase() !== registry?.toLowerCase()) continue;
            if (!a.re.test(path)) continue;
            a.remaining--;
            return f;
        }
        return undefined;
    }
}

/** Where the fault struck: the listener's origin and, on a registry listener, the registry's name. */
export interface FaultSite {
    origin: string;
    registry?: string;
}

/**
 * The answer of a `status` fault, with the error body the endpoint kind would really send; `malformed` is a
 * 200 whose JSON breaks off; `expired-token` is the endpoint's answer to a bearer token past its `exp`.
 */
export function faultResponse(kind: EndpointKind, fault: WorldFault, site: FaultSite = { origin: '' }): SandboxResponse {
    if (fault.action === 'malformed') return { status: fault.status ?? 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"value":[{"name":') };
    if (fault.action === 'expired-token') return expiredToken(kind, site);
    const status = fault.status ?? 500;
    const headers: Record<string, string> = {};
    if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.ceil(fault.retryAfterSeconds));
    return endpointError(kind, status, `Injected by the sandbox (fault on ${fault.method} ${fault.path}).`, undefined, headers);
}

/**
 * ARM: 401 `ExpiredAuthenticationToken` (the code ARM sends for an expired bearer; the message wording is an
 * assumption, docs/sandbox-world.md) with an `error="invalid_token"` challenge (RFC 6750 §3.1); a registry:
 * 401 `UNAUTHORIZED` with its Bearer challenge naming `error="invalid_token"`, as the guard answers a token
 * past its `exp`; Kubernetes: a 401 Status.
 */
function expiredToken(kind: EndpointKind, site: FaultSite): SandboxResponse {
    const message = 'The access token has expired (injected by the sandbox).';
    if (kind === 'arm') {
        return endpointError(kind, 401, message, 'ExpiredAuthenticationToken', { 'www-authenticate': 'Bearer error="invalid_token", error_description="The access token has expired."' });
    }
    if (kind === 'registry') {
        const service = `${site.registry ?? 'registry'}.azurecr.io`;
        return endpointError(kind, 401, message, 'UNAUTHORIZED', { 'www-authenticate': `Bearer realm="${site.origin}/oauth2/token",service="${service}",error="invalid_token"` });
    }
    return endpointError(kind, 401, message);
}
