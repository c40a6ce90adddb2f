/** Parses the `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` challenge of an ACR registry. */
export interface BearerChallenge {
    realm: string;
    service: string;
    scope?: string;
}

export function parseBearerChallenge(header: string | null | undefined): BearerChallenge | undefined {
    if (!header || !/^\s*bearer\s/i.test(header)) return undefined;
    const params: Record<string, string> = {};
    for (const m of header.replace(/^\s*bearer\s+/i, '').matchAll(/([a-zA-Z_]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) {
        params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
    }
    if (!params.realm || !params.service) return undefined;
    return { realm: params.realm, service: params.service, ...(params.scope ? { scope: params.scope } : {}) };
}
