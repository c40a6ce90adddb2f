/**
 * Test harness for the ACR data plane: starts the real sandbox (`startSandbox`: the core's HTTPS
 * front on 127.0.0.1 with our registry handler mounted) so the handler is exercised by real clients
 * (core-rest-pipeline, skopeo, the OCI push helper) with TLS verified against the sandbox CA.
 */
import { join } from 'node:path';
import { startSandbox, type RequestLog } from '../../../src/sandbox/index.js';
import { worldSchema, type World } from '../../../src/sandbox/world/schema.js';

export interface AcrHarness {
    origin: string;
    loginServer: string;
    caPem: string;
    /** Holds ca.crt, for `skopeo --cert-dir`. */
    certDir: string;
    requestLog: RequestLog;
    close(): Promise<void>;
}

export interface HarnessOptions {
    world: World;
    /** Registry name (default: the first registry of the world). */
    registry?: string;
    upstream?: { url: string; caPem?: string };
    now?: () => number;
}

/** Starts the whole sandbox (the core's HTTPS front with our handler mounted) and picks one registry. */
export async function startAcrHarness(opts: HarnessOptions): Promise<AcrHarness> {
    const registry = opts.registry ? opts.world.registries.find(r => r.name === opts.registry) : opts.world.registries[0];
    if (!registry) throw new Error(`no registry ${opts.registry ?? '(first)'} in the test world`);
    const sb = await startSandbox({ world: opts.world, upstream: opts.upstream ? { [registry.name]: opts.upstream } : undefined, now: opts.now });
    const loginServer = `${registry.name.toLowerCase()}.azurecr.io`;
    const origin = sb.registryEndpoints[loginServer];
    if (!origin) {
        await sb.close();
        throw new Error(`the sandbox serves no ${loginServer}`);
    }
    return {
        origin,
        loginServer,
        caPem: sb.caPem,
        certDir: join(sb.dir, 'cert-dir'),
        requestLog: sb.requestLog,
        close: () => sb.close()
    };
}

/** A manual clock: tests move time to drive conversions and token expiry. */
export function testClock(start = Date.parse('2026-10-02T08:00:00Z')): { now: () => number; advance(seconds: number): void } {
    let t = start;
    return { now: () => t, advance: s => (t += s * 1000) };
}

export const parseWorld = (input: unknown): World => worldSchema.parse(input);
