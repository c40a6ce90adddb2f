/**
 * Which outgoing requests may be sent twice and which may change something: one rule for the retry policy
 * (azure/http-policies.ts), the error wording (azure/errors.ts) and the deadline report (call-activity.ts).
 * Reads, PUT and DELETE are idempotent by HTTP semantics (RFC 9110 §9.2.2); the POSTs that only read or mint
 * tokens are the ACR token endpoints (POST /oauth2/exchange, /oauth2/token) and AKS listClusterUserCredential.
 * Any other POST, and a PATCH, may apply a change twice.
 */

const READS = ['GET', 'HEAD', 'OPTIONS'];
const READING_POST = /\/oauth2\/(exchange|token)$|\/listClusterUserCredential$/i;

function isReadingPost(method: string, url: string): boolean {
    return method === 'POST' && READING_POST.test(new URL(url).pathname);
}

/** Safe to send again after a failure. */
export function isRepeatableRequest(method: string, url: string): boolean {
    return READS.includes(method) || method === 'PUT' || method === 'DELETE' || isReadingPost(method, url);
}

/** Asks for a change (not a read, not a token request): its failure may leave the change applied. */
export function isChangeRequest(method: string, url: string): boolean {
    return !READS.includes(method) && !isReadingPost(method, url);
}
