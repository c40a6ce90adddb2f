/**
 * @azure/core-rest-pipeline, loaded on first use (start-up imports no Azure SDK). Every path that can meet
 * a RestError loads it first (the ARM clients, the ACR transport, the Kubernetes reads), so the synchronous
 * checks below see the real `isRestError` whenever a RestError can exist.
 */
import type { PipelineRequest, PipelineResponse, RestError } from '@azure/core-rest-pipeline';

export type RestModule = typeof import('@azure/core-rest-pipeline');

let loaded: RestModule | undefined;

export async function loadRest(): Promise<RestModule> {
    loaded ??= await import('@azure/core-rest-pipeline');
    return loaded;
}

/** core-rest-pipeline's own check; false before the package is loaded, when no RestError can exist yet. */
export function isRestError(e: unknown): e is RestError {
    return loaded?.isRestError(e) ?? false;
}

export interface RestErrorParts {
    code?: string;
    statusCode?: number;
    request?: PipelineRequest;
    response?: PipelineResponse;
}

/** A RestError, for failures we detect ourselves after a response (so the package is loaded by then). */
export function restError(message: string, parts: RestErrorParts): RestError {
    if (!loaded) throw new Error(`${message} (and @azure/core-rest-pipeline was not loaded)`);
    return new loaded.RestError(message, parts);
}
