/**
 * ACR-style error responses: `{"errors":[{"code","message","detail"}]}` (the Docker distribution shape,
 * which ACR also uses on /acr/v1 and /oauth2). Every refusal in the data plane goes through here so the
 * body shape never drifts.
 */
import { json, type SandboxResponse } from '../http/types.js';

export interface AcrErrorEntry {
    code: string;
    message: string;
    detail?: unknown;
}

export function acrError(status: number, code: string, message: string, detail?: unknown, headers: Record<string, string> = {}): SandboxResponse {
    const entry: AcrErrorEntry = detail === undefined ? { code, message } : { code, message, detail };
    return json(status, { errors: [entry] }, headers);
}

export const nameUnknown = (repo: string): SandboxResponse =>
    acrError(404, 'NAME_UNKNOWN', 'repository name not known to registry', { name: repo });

export const manifestUnknown = (repo: string, reference: string): SandboxResponse =>
    acrError(404, 'MANIFEST_UNKNOWN', 'manifest unknown', { Name: repo, Revision: reference });

export const tagUnknown = (repo: string, tag: string): SandboxResponse =>
    acrError(404, 'TAG_UNKNOWN', `the specified tag does not exist`, { Name: repo, Tag: tag });

export const digestInvalid = (digest: string): SandboxResponse =>
    acrError(400, 'DIGEST_INVALID', 'provided digest did not match uploaded content', { digest });

/** Recorded verbatim (azure-cli recording, docs/sources.md): no `detail` field. */
export const operationUnknown = (): SandboxResponse =>
    acrError(404, 'OPERATION_UNKNOWN', 'The specified operation does not exist');

export const methodNotAllowed = (method: string, path: string): SandboxResponse =>
    acrError(405, 'UNSUPPORTED', `The operation is unsupported: ${method} ${path}`);
