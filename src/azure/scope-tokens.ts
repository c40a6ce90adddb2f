/**
 * The access-token cache of one registry, keyed by scope. A token minted for several scopes in one
 * `POST /oauth2/token` is one entry stored under each of its scopes, so a later call for any of them finds
 * it; dropping the entry (a 401) drops it under all of them at once.
 */

export interface Cached {
    token: string;
    expiresAt: number;
}

/** Access tokens kept per registry (one per repository scope). */
export const MAX_CACHED_SCOPES = 512;
/** Scopes asked for in one token request: one page of the default repository listing. */
export const MAX_SCOPES_PER_TOKEN = 50;
/**
 * Characters of scope text per token request. Repository names may be 255 characters long, so 50 of them
 * could make a 13 KB form; capping the scopes at 8 KB keeps the whole body (plus a refresh token of a few
 * KB) far below common proxy and gateway body limits.
 */
export const MAX_SCOPE_CHARS_PER_TOKEN = 8 * 1024;

interface Entry {
    readonly scopes: readonly string[];
    promise: Promise<Cached>;
    /** Set before any awaiter resumes, so invalidation can compare tokens without awaiting. */
    settled?: Cached;
}

/** Mints one access token valid for every scope given (the caller's signal is bound in). */
export type Mint = (scopes: readonly string[]) => Promise<Cached>;

export class ScopeTokens {
    private readonly entries = new Map<string, Entry>();
    /**
     * Scopes whose shared token the registry rejected, with the group they were minted with: the next miss
     * on any of them re-mints the whole group in one request instead of one request per scope.
     */
    private readonly lost = new Map<string, readonly string[]>();

    constructor(
        private readonly skewMs: number,
        private readonly now: () => number,
        /** 1 turns batching off: every scope gets its own token request (the bench's baseline). */
        public maxScopesPerToken = MAX_SCOPES_PER_TOKEN
    ) {}

    get batching(): boolean {
        return this.maxScopesPerToken > 1;
    }

    /** A token for `scope`, from cache or a shared in-flight request, else minted. */
    async get(scope: string, mint: Mint): Promise<string> {
        const shared = this.usable(scope);
        if (shared) {
            // A shared request that failed (or whose starter cancelled) is not our failure: try our own.
            const c = await shared.promise.catch(() => undefined);
            if (c) return c.token;
        }
        const mine = this.usable(scope) ?? this.start(this.regroup(scope), mint);
        return (await mine.promise).token;
    }

    /**
     * Makes sure every scope has a fresh or in-flight token, minting the missing ones together (in chunks
     * within the caps). Failures of requests started by others are left to each scope's own get().
     */
    async ensure(scopes: readonly string[], mint: Mint): Promise<void> {
        const joined = new Set<Entry>();
        const missing: string[] = [];
        for (const scope of new Set(scopes)) {
            const e = this.usable(scope);
            if (e) joined.add(e);
            else missing.push(scope);
        }
        const started = this.chunks(missing).map(group => this.start(group, mint).promise);
        await Promise.all([...[...joined].map(e => e.promise.catch(() => undefined)), ...started]);
    }

    /**
     * The registry answered 401 to `token` used for `scope`. True when this is the first report of that
     * token (its entry is dropped under every scope it covers); false when it was already dropped or
     * replaced, so concurrent 401s for one stale token cause one re-exchange, not one each.
     */
    reject(scope: string, token: string): boolean {
        const e = this.entries.get(scope);
        if (!e || e.settled?.token !== token) return false;
        for (const s of e.scopes) {
            if (this.entries.get(s) !== e) continue;
            this.entries.delete(s);
            if (e.scopes.length > 1) this.remember(this.lost, s, e.scopes);
        }
        return true;
    }

    /** The entry to use for `scope`: fresh or still in flight. An expired one is removed. */
    private usable(scope: string): Entry | undefined {
        const e = this.entries.get(scope);
        if (!e || !e.settled || e.settled.expiresAt - this.skewMs > this.now()) return e;
        this.entries.delete(scope);
        return undefined;
    }

    /** `scope`, plus the rest of its rejected group that has no usable token, within one request's caps. */
    private regroup(scope: string): string[] {
        const group = this.batching ? this.lost.get(scope) : undefined;
        if (!group) return [scope];
        return this.chunks([scope, ...group.filter(s => s !== scope && !this.usable(s))])[0]!;
    }

    private start(scopes: readonly string[], mint: Mint): Entry {
        const entry: Entry = { scopes, promise: undefined as never };
        entry.promise = mint(scopes).then(c => (entry.settled = c));
        for (const s of scopes) {
            this.lost.delete(s);
            this.remember(this.entries, s, entry);
        }
        entry.promise.catch(() => {
            for (const s of scopes) if (this.entries.get(s) === entry) this.entries.delete(s);
        });
        return entry;
    }

    /** Bounded: a registry scan touches many repositories; the oldest scope goes first. */
    private remember<V>(map: Map<string, V>, key: string, value: V): void {
        map.delete(key);
        if (map.size >= MAX_CACHED_SCOPES) map.delete(map.keys().next().value!);
        map.set(key, value);
    }

    /** Splits scopes into requests of at most maxScopesPerToken scopes and MAX_SCOPE_CHARS_PER_TOKEN characters. */
    private chunks(scopes: readonly string[]): string[][] {
        const out: string[][] = [];
        let current: string[] = [];
        let chars = 0;
        for (const s of scopes) {
            if (current.length > 0 && (current.length >= this.maxScopesPerToken || chars + s.length > MAX_SCOPE_CHARS_PER_TOKEN)) {
                out.push(current);
                current = [];
                chars = 0;
            }
            current.push(s);
            chars += s.length;
        }
        if (current.length > 0) out.push(current);
        return out;
    }
}
