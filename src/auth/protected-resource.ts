/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) for the team server's /mcp, and the 401/403 challenges
 * that point clients at it (RFC 9728 §5.1, RFC 6750 §3), as the MCP authorization spec requires.
 */
import type { EntraValidator } from './entra-validator.js';

/** RFC 9728 §3.1: the well-known segment goes between the host and the resource's path. */
export const METADATA_PATHS = ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'] as const;

export function resourceUrl(origin: string): string {
    return `${origin}/mcp`;
}

export function metadataUrl(origin: string): string {
    return `${origin}${METADATA_PATHS[0]}`;
}

export function protectedResourceMetadata(origin: string, v: Pick<EntraValidator, 'authorizationServer' | 'scopes'>) {
    return {
        resource: resourceUrl(origin),
        authorization_servers: [v.authorizationServer],
        scopes_supported: [...v.scopes],
        bearer_methods_supported: ['header'],
        resource_name: 'ACR Artifact Streaming (acr-streaming-mcp)'
    };
}

const quoted = (s: string) => s.replace(/["\\]/g, '');

/** No token: just where to learn how to get one. A bad one: also invalid_token / insufficient_scope. */
export function challengeHeader(origin: string, failure?: { error: string; message: string }, scopes?: readonly string[]): string {
    let value = `Bearer resource_metadata="${metadataUrl(origin)}"`;
    if (failure) value += `, error="${failure.error}", error_description="${quoted(failure.message)}"`;
    if (failure?.error === 'insufficient_scope' && scopes?.length) value += `, scope="${scopes.join(' ')}"`;
    return value;
}
