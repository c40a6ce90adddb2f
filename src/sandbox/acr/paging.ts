/**
 * `n`/`last` paging with an RFC 5988 `Link: <…?last=…&n=…>; rel="next"` header, as ACR and the
 * distribution spec do for _catalog, tags and manifests.
 */
import type { SandboxResponse } from '../http/types.js';
import { acrError } from './acr-errors.js';

/** Assumption: ACR's default page size is 100 when `n` is absent. */
export const DEFAULT_PAGE_SIZE = 100;

export interface PageParams {
    n: number;
    last?: string;
}

export function pageParams(url: URL): PageParams | SandboxResponse {
    const rawN = url.searchParams.get('n');
    const n = rawN === null || rawN === '' ? DEFAULT_PAGE_SIZE : Number(rawN);
    if (!Number.isInteger(n) || n <= 0) return acrError(400, 'PAGINATION_NUMBER_INVALID', 'invalid number of results requested', { n: rawN });
    return { n, last: url.searchParams.get('last') || undefined };
}

export const isResponse = (v: unknown): v is SandboxResponse => v !== null && typeof v === 'object' && 'status' in v;

/**
 * One page of `items` (already in their final order) after the item whose key is `last`. With the
 * default name order, `last` need not exist: items sort after it lexically, as in distribution.
 */
export function pageOf<T>(items: T[], key: (t: T) => string, p: PageParams, lexical: boolean): { items: T[]; hasMore: boolean } {
    let start = 0;
    if (p.last !== undefined) {
        if (lexical) {
            const last = p.last;
            start = items.findIndex(i => key(i) > last);
            if (start < 0) start = items.length;
        } else {
            const at = items.findIndex(i => key(i) === p.last);
            start = at < 0 ? 0 : at + 1;
        }
    }
    const slice = items.slice(start, start + p.n);
    return { items: slice, hasMore: start + p.n < items.length };
}

export function linkHeader(path: string, last: string, n: number, extra: Record<string, string> = {}): Record<string, string> {
    const q = new URLSearchParams({ last, n: String(n), ...extra });
    return { link: `<${path}?${q.toString()}>; rel="next"` };
}

export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
