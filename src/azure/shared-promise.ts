/**
 * "Share an in-flight promise, forget it on failure (optionally after a time)": concurrent callers of one
 * key get the same promise, so one request serves them all; a failed promise is forgotten at once, so the
 * next caller tries again instead of getting a cached failure.
 */

export interface ShareOptions<V> {
    /** Forget a value once more than this has passed since it was started (default: keep it until it fails or is forgotten). */
    ttlMs?: number;
    now?: () => number;
    /** A value that is no longer good (an expired token): forgotten, and the next call makes a new one. */
    isStale?: (value: V) => boolean;
}

interface Held<V> {
    at: number;
    value: Promise<V>;
}

export class SharedPromises<K, V> {
    private readonly held = new Map<K, Held<V>>();

    constructor(private readonly opts: ShareOptions<V> = {}) {}

    private now(): number {
        return (this.opts.now ?? Date.now)();
    }

    /** The shared promise for `key`, started with `make` when there is none (or it expired). */
    get(key: K, make: () => Promise<V>): Promise<V> {
        const hit = this.held.get(key);
        if (hit && (this.opts.ttlMs === undefined || this.now() - hit.at <= this.opts.ttlMs)) {
            const isStale = this.opts.isStale;
            if (!isStale) return hit.value;
            return hit.value.then(v => {
                if (!isStale(v)) return v;
                this.forgetIf(key, hit);
                return this.get(key, make);
            });
        }
        const entry: Held<V> = { at: this.now(), value: make() };
        this.held.set(key, entry);
        entry.value.catch(() => this.forgetIf(key, entry));
        return entry.value;
    }

    /** Drops whatever is held for `key`: the next get() starts over. */
    forget(key: K): void {
        this.held.delete(key);
    }

    /** Only the entry itself, so a failure of an old promise never drops its replacement. */
    private forgetIf(key: K, entry: Held<V>): void {
        if (this.held.get(key) === entry) this.held.delete(key);
    }
}

/** One shared value without a key (a lazily built client, a token, a challenge). */
export class SharedPromise<V> {
    private readonly inner: SharedPromises<0, V>;

    constructor(opts: ShareOptions<V> = {}) {
        this.inner = new SharedPromises(opts);
    }

    get(make: () => Promise<V>): Promise<V> {
        return this.inner.get(0, make);
    }

    forget(): void {
        this.inner.forget(0);
    }
}
