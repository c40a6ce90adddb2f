/**
 * The opaque cursors of the two scans: what was scanned (so a cursor cannot be replayed against another
 * registry or cluster), the position of the last row returned in the ranking (its key and its name) and, for a
 * registry scan that stopped early, the range of repositories its ranking covers (registry-snapshot.ts).
 */
import type { RankPosition } from '../../streaming/scan-ranking.js';
import { ToolError } from '../../tool-error.js';

export interface ScanCursor {
    /** What the scan was of, e.g. "registry:contosoacr/ml/" or "cluster:rg/aks-prod/ns". */
    scope: string;
    /** Ranking key and name of the last row returned (ties on the key sort by name); absent at the start of a range. */
    position?: RankPosition;
    /** The repositories ranked: after `after` ("" from the start), through `through` or to the end of the catalog. */
    range?: { after: string; through?: string };
}

const MAX_NAME = 2048;
const isName = (v: unknown): v is string => typeof v === 'string' && v.length < MAX_NAME;

export function encodeScanCursor(c: ScanCursor): string {
    const body = {
        v: 1,
        s: c.scope,
        ...(c.position ? { k: c.position.key, n: c.position.name } : {}),
        ...(c.range ? { a: c.range.after, ...(c.range.through !== undefined ? { t: c.range.through } : {}) } : {})
    };
    return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function decodeScanCursor(cursor: string | undefined, scope: string): ScanCursor | undefined {
    if (cursor === undefined) return undefined;
    let parsed: { v?: unknown; s?: unknown; k?: unknown; n?: unknown; a?: unknown; t?: unknown } | undefined;
    try {
        parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof parsed;
    } catch {
        parsed = undefined;
    }
    const p = parsed;
    const position = p && typeof p.k === 'number' && Number.isFinite(p.k) && isName(p.n) ? { key: p.k, name: p.n } : undefined;
    const hasPosition = p !== undefined && (p.k !== undefined || p.n !== undefined);
    const range = p && isName(p.a) && (p.t === undefined || isName(p.t)) ? { after: p.a, ...(p.t !== undefined ? { through: p.t as string } : {}) } : undefined;
    const hasRange = p !== undefined && (p.a !== undefined || p.t !== undefined);
    if (p?.v === 1 && (position || range) && hasPosition === !!position && hasRange === !!range) {
        if (p.s === scope) return { scope, ...(position ? { position } : {}), ...(range ? { range } : {}) };
        throw new ToolError('The cursor belongs to another scan', 'a cursor continues the scan it came from (same registry or cluster, same filter)', 'repeat the call with the arguments of the first page, or omit cursor', 'INVALID_INPUT');
    }
    throw new ToolError('The cursor is not valid', 'cursors are opaque values returned as nextCursor by a previous call', 'pass nextCursor exactly as returned, or omit it to start from the beginning', 'INVALID_INPUT');
}
