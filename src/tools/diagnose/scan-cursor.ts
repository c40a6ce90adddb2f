/**
 * The opaque cursors of the two scans: the position of the last row returned in the ranking (its key and
 * its name) plus what was scanned, so a cursor cannot be replayed against another registry or cluster.
 */
import { ToolError } from '../../tool-error.js';

export interface ScanCursor {
    /** What the scan was of, e.g. "registry:contosoacr/ml/" or "cluster:rg/aks-prod/ns". */
    scope: string;
    /** Ranking key of the last row returned. */
    key: number;
    /** Name of the last row returned (ties on the key sort by name). */
    name: string;
}

export function encodeScanCursor(c: ScanCursor): string {
    return Buffer.from(JSON.stringify({ v: 1, s: c.scope, k: c.key, n: c.name }), 'utf8').toString('base64url');
}

export function decodeScanCursor(cursor: string | undefined, scope: string): ScanCursor | undefined {
    if (cursor === undefined) return undefined;
    let parsed: { v?: unknown; s?: unknown; k?: unknown; n?: unknown } | undefined;
    try {
        parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as typeof parsed;
    } catch {
        parsed = undefined;
    }
    if (parsed?.v === 1 && typeof parsed.k === 'number' && Number.isFinite(parsed.k) && typeof parsed.n === 'string' && parsed.n.length < 2048) {
        if (parsed.s === scope) return { scope, key: parsed.k, name: parsed.n };
        throw new ToolError('The cursor belongs to another scan', 'a cursor continues the scan it came from (same registry or cluster, same filter)', 'repeat the call with the arguments of the first page, or omit cursor', 'INVALID_INPUT');
    }
    throw new ToolError('The cursor is not valid', 'cursors are opaque values returned as nextCursor by a previous call', 'pass nextCursor exactly as returned, or omit it to start from the beginning', 'INVALID_INPUT');
}
