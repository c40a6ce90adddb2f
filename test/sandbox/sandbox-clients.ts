/**
 * Real SDK clients pointed at a running sandbox, trusting its CA explicitly (never by disabling TLS checks).
 * Retries are off or short so fault tests stay fast. (The Kubernetes client is in kube-client.ts: it is
 * slow to import, so only the files that need it load it.)
 */
import { Agent } from 'node:https';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { Sandbox } from '../../src/sandbox/index.js';
import { staticCredential } from '../helpers/credentials.js';

export interface ClientOptions {
    maxRetries?: number;
}

function armOptions(sb: Sandbox, o: ClientOptions = {}) {
    return {
        endpoint: sb.armEndpoint,
        agent: new Agent({ ca: sb.caPem }),
        credentials: { scopes: ['https://management.azure.com/.default'] },
        retryOptions: { maxRetries: o.maxRetries ?? 0, retryDelayInMs: 10, maxRetryDelayInMs: 50 }
    };
}

export function acrClient(sb: Sandbox, o?: ClientOptions): ContainerRegistryManagementClient {
    return new ContainerRegistryManagementClient(staticCredential(), sb.subscriptionId, armOptions(sb, o));
}

export function aksClient(sb: Sandbox, o?: ClientOptions): ContainerServiceClient {
    return new ContainerServiceClient(staticCredential(), sb.subscriptionId, armOptions(sb, o));
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
}
