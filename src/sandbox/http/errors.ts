/**
 * The error body each endpoint kind really sends, in one place: ARM `{"error":{code,message}}`, the ACR
 * data plane `{"errors":[{code,message}]}` (Docker distribution shape), Kubernetes a `Status` object.
 * Used for the front's own answers (unknown path, body too large, handler crash) and for injected faults.
 */
import { json, type SandboxResponse } from './types.js';

export type EndpointKind = 'arm' | 'registry' | 'kube' | 'entra';

const ARM_CODES: Record<number, string> = {
    400: 'BadRequest',
    401: 'InvalidAuthenticationToken',
    403: 'AuthorizationFailed',
    404: 'NotFound',
    409: 'Conflict',
    413: 'RequestEntityTooLarge',
    429: 'TooManyRequests',
    500: 'InternalServerError',
    502: 'BadGateway',
    503: 'ServiceUnavailable',
    504: 'GatewayTimeout'
};
/** Docker distribution error codes (ACR uses the same set). */
const ACR_CODES: Record<number, string> = {
    401: 'UNAUTHORIZED',
    403: 'DENIED',
    404: 'NAME_UNKNOWN',
    429: 'TOOMANYREQUESTS',
    503: 'UNAVAILABLE'
};
const KUBE_REASONS: Record<number, string> = {
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    409: 'Conflict',
    413: 'RequestEntityTooLarge',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout'
};

/** `code` overrides the code (ARM, ACR) or reason (Kubernetes) that `status` would otherwise pick. */
export function endpointError(kind: EndpointKind, status: number, message: string, code?: string, headers: Record<string, string> = {}): SandboxResponse {
    switch (kind) {
        case 'arm':
            return json(status, { error: { code: code ?? ARM_CODES[status] ?? `Http${status}`, message } }, headers);
        case 'registry':
            return json(status, { errors: [{ code: code ?? ACR_CODES[status] ?? (status >= 500 ? 'UNKNOWN' : 'UNSUPPORTED'), message }] }, headers);
        case 'kube':
            return json(
                status,
                { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: code ?? KUBE_REASONS[status] ?? 'Unknown', code: status },
                headers
            );
        case 'entra':
            // The OAuth 2.0 error body (RFC 6749 §5.2) as the Microsoft identity platform sends it.
            return json(status, { error: code ?? (status >= 500 ? 'temporarily_unavailable' : 'invalid_request'), error_description: message }, headers);
    }
}
