// Types of round-robin-proxy.mjs for the TypeScript tests that import it (test/auth/scale-out.test.ts).
export interface Routed {
    backend: number;
    method: string | undefined;
    name: string | undefined;
}

export interface RoundRobinProxy {
    url: URL;
    port: number;
    routed: Routed[];
    close(): Promise<void>;
}

export function startRoundRobinProxy(backends: readonly number[], options?: { affinity?: 'none' | 'session' }): Promise<RoundRobinProxy>;
