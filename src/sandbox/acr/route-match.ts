/**
 * Maps a (percent-decoded) path to a data-plane route. Repository names may contain `/`, so routes
 * are recognised by their fixed suffixes: tags, digests and upload ids never contain `/`, and OCI
 * repository path components never start with `_`, which keeps `_tags`, `_manifests`, … unambiguous.
 */
export type Route =
    | { kind: 'v2-base' }
    | { kind: 'catalog'; api: 'acr' | 'v2' }
    | { kind: 'exchange' }
    | { kind: 'token' }
    | { kind: 'v2-manifest'; repo: string; reference: string }
    | { kind: 'v2-blob'; repo: string; digest: string }
    | { kind: 'v2-upload'; repo: string; uploadId?: string }
    | { kind: 'v2-tags'; repo: string }
    | { kind: 'v2-referrers'; repo: string; digest: string }
    | { kind: 'acr-repo'; repo: string }
    | { kind: 'acr-tags'; repo: string; tag?: string }
    | { kind: 'acr-manifests'; repo: string; digest?: string }
    | { kind: 'acr-streaming'; repo: string; digest?: string }
    | { kind: 'acr-operation'; repo: string; id: string; cancel: boolean }
    | { kind: 'unknown' };

// `m[n]!` marks a required capture group of the pattern that matched: a match always sets it. Optional
// groups (`(?:…)?`, `([^/]*)`) stay possibly undefined.
const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => Route]> = [
    [/^\/v2\/?$/, () => ({ kind: 'v2-base' })],
    [/^\/v2\/_catalog$/, () => ({ kind: 'catalog', api: 'v2' })],
    [/^\/acr\/v1\/_catalog$/, () => ({ kind: 'catalog', api: 'acr' })],
    [/^\/oauth2\/exchange$/, () => ({ kind: 'exchange' })],
    [/^\/oauth2\/token$/, () => ({ kind: 'token' })],
    [/^\/v2\/(.+)\/manifests\/([^/]+)$/, m => ({ kind: 'v2-manifest', repo: m[1]!, reference: m[2]! })],
    [/^\/v2\/(.+)\/blobs\/uploads\/?([^/]*)$/, m => ({ kind: 'v2-upload', repo: m[1]!, uploadId: m[2] || undefined })],
    [/^\/v2\/(.+)\/blobs\/([^/]+)$/, m => ({ kind: 'v2-blob', repo: m[1]!, digest: m[2]! })],
    [/^\/v2\/(.+)\/tags\/list$/, m => ({ kind: 'v2-tags', repo: m[1]! })],
    [/^\/v2\/(.+)\/referrers\/([^/]+)$/, m => ({ kind: 'v2-referrers', repo: m[1]!, digest: m[2]! })],
    [/^\/acr\/v1\/(.+)\/_tags(?:\/([^/]+))?$/, m => ({ kind: 'acr-tags', repo: m[1]!, tag: m[2] })],
    [/^\/acr\/v1\/(.+)\/_manifests(?:\/([^/]+))?$/, m => ({ kind: 'acr-manifests', repo: m[1]!, digest: m[2] })],
    [/^\/acr\/v1\/(.+)\/_streaming(?:\/([^/]+))?$/, m => ({ kind: 'acr-streaming', repo: m[1]!, digest: m[2] })],
    [/^\/acr\/v1\/(.+)\/_operations\/([^/:]+)(:cancel)?$/, m => ({ kind: 'acr-operation', repo: m[1]!, id: m[2]!, cancel: m[3] !== undefined })],
    [/^\/acr\/v1\/([^_].*)$/, m => ({ kind: 'acr-repo', repo: m[1]! })]
];

const PREFIXES = ['/v2', '/acr/', '/oauth2/'];

/** undefined = not a data-plane path at all (the caller lets the core answer it). */
export function matchRoute(path: string): Route | undefined {
    if (!PREFIXES.some(p => path === p || path.startsWith(p))) return undefined;
    for (const [re, build] of PATTERNS) {
        const m = re.exec(path);
        if (m) return build(m);
    }
    return { kind: 'unknown' };
}

export const REPO_NAME_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
