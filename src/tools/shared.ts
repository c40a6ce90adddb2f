/** Schemas and small helpers shared by the tools (name checks live in src/azure/names.ts). */
import * as z from 'zod/v4';
import { ToolError } from '../tool-error.js';

/** Loose enough that hostile input reaches our parser (which answers with an example), bounded against abuse. */
export const MAX_ARG_LENGTH = 16_384;

export const registryArg = z
    .string()
    .max(MAX_ARG_LENGTH)
    .describe('Registry name, e.g. "contosoacr" (no login-server suffix)');

export const resourceGroupArg = z
    .string()
    .max(MAX_ARG_LENGTH)
    .describe('Omit if the name is unique');

export const clusterArg = z.string().max(MAX_ARG_LENGTH).describe('e.g. "aks-prod"');

export const nodePoolArg = z.string().max(MAX_ARG_LENGTH).describe('e.g. "gpupool"');

export const imageArg = z
    .string()
    .max(MAX_ARG_LENGTH)
    .describe('<registry>.azurecr.io/<repository>:<tag> (or @sha256:<digest>)');

/** Optional already: a cursor is never required (and the schema keeps its field order). */
export const cursorArg = z.string().max(MAX_ARG_LENGTH).optional().describe('nextCursor of the previous page');

export const reasonSchema = z.object({
    code: z.string(),
    severity: z.enum(['blocker', 'warning', 'info']),
    message: z.string()
});

/** Opaque pagination cursors: base64url of the last item returned. */
export function encodeCursor(last: string): string {
    return Buffer.from(JSON.stringify({ last }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined, valid: (s: string) => boolean): string | undefined {
    if (cursor === undefined) return undefined;
    try {
        const last = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { last?: unknown }).last;
        if (typeof last === 'string' && valid(last)) return last;
    } catch {
        /* fall through */
    }
    throw new ToolError('The cursor is not valid', 'cursors are opaque values returned as nextCursor by a previous call', 'pass nextCursor exactly as returned, or omit it to start from the beginning', 'INVALID_INPUT');
}

export function formatBytes(n: number): string {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = n;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
    }
    return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
