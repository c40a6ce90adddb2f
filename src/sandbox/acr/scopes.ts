/**
 * Docker/ACR token scopes: `repository:<name>:<actions>` and `registry:catalog:*`. A granted access
 * token carries them as `access: [{type, name, actions}]` (the Docker token spec claim ACR also uses).
 */
export const ACTIONS = ['pull', 'push', 'delete', 'metadata_read', 'metadata_write', '*'] as const;
export type Action = (typeof ACTIONS)[number];

export interface AccessEntry {
    type: 'repository' | 'registry';
    name: string;
    actions: string[];
}

/** What a route needs: any one of `anyOf` suffices; `challenge` is what the WWW-Authenticate scope advertises. */
export interface ScopeNeed {
    type: 'repository' | 'registry';
    name: string;
    anyOf: Action[];
    challenge: string;
}

export function repoNeed(name: string, anyOf: Action[], challengeActions = anyOf.join(',')): ScopeNeed {
    return { type: 'repository', name, anyOf, challenge: `repository:${name}:${challengeActions}` };
}

export const CATALOG_NEED: ScopeNeed = { type: 'registry', name: 'catalog', anyOf: ['*'], challenge: 'registry:catalog:*' };

/**
 * Parses one `scope` parameter. Several scopes may share one parameter separated by spaces (Docker
 * token spec); repository names may contain `/` but never `:`, so the last `:` starts the actions.
 */
export function parseScopes(raw: string): AccessEntry[] {
    const out: AccessEntry[] = [];
    for (const item of raw.split(' ').filter(Boolean)) {
        const first = item.indexOf(':');
        const last = item.lastIndexOf(':');
        if (first < 0 || first === last) continue;
        const type = item.slice(0, first);
        if (type !== 'repository' && type !== 'registry') continue;
        const name = item.slice(first + 1, last);
        const known = new Set<string>(ACTIONS);
        const actions = item
            .slice(last + 1)
            .split(',')
            .filter(a => known.has(a));
        if (name && actions.length > 0) out.push({ type, name, actions });
    }
    return out;
}

/** Merges entries for the same resource so the token's `access` claim lists each resource once. */
export function mergeAccess(entries: AccessEntry[]): AccessEntry[] {
    const byKey = new Map<string, AccessEntry>();
    for (const e of entries) {
        const key = `${e.type}:${e.name}`;
        const prev = byKey.get(key);
        if (prev) prev.actions = [...new Set([...prev.actions, ...e.actions])];
        else byKey.set(key, { type: e.type, name: e.name, actions: [...new Set(e.actions)] });
    }
    return [...byKey.values()];
}

export function allows(access: AccessEntry[], need: ScopeNeed): boolean {
    return access.some(
        e => e.type === need.type && e.name === need.name && (e.actions.includes('*') || need.anyOf.some(a => e.actions.includes(a)))
    );
}
