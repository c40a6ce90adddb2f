/**
 * A tool's arguments are checked against its zod input schema here, as the call starts, rather than by the
 * SDK: register-tools.ts registers the schema with a Standard Schema `validate` that passes the value through
 * (the SDK's only hook, since its own check is private and answers with bare text). So arguments that do not
 * fit become an INVALID_INPUT ToolError naming each bad argument, with the code and `_meta` every other
 * refusal carries (docs/tools.md), instead of the SDK's "Input validation error: …" without a code.
 */
import type * as z from 'zod/v4';
import { ToolError } from '../tool-error.js';

/** Problems listed in one answer; the rest are counted (the schema in tools/list has them all). */
const MAX_LISTED = 5;

export function parseArguments<I extends z.ZodObject>(tool: string, schema: I, args: unknown): z.output<I> {
    const parsed = schema.safeParse(args ?? {});
    if (parsed.success) return parsed.data;
    throw invalidArguments(tool, schema, args, parsed.error.issues);
}

/** `platforms[0].os`: the argument path as the model wrote it. */
function pathOf(issue: z.core.$ZodIssue): string {
    const parts = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`));
    return parts.join('') || 'arguments';
}

function isMissing(issue: z.core.$ZodIssue, args: unknown): boolean {
    const [key, ...rest] = issue.path;
    return rest.length === 0 && typeof key === 'string' && (typeof args !== 'object' || args === null || (args as Record<string, unknown>)[key] === undefined);
}

/** The description tools/list shows for a top-level argument (through .optional() / .default() wrappers). */
function describedAs(schema: z.ZodObject, key: PropertyKey | undefined): string | undefined {
    let s = typeof key === 'string' ? (schema.shape[key] as { description?: string; unwrap?: () => unknown } | undefined) : undefined;
    while (s && s.description === undefined && typeof s.unwrap === 'function') s = s.unwrap() as typeof s;
    return s?.description;
}

function invalidArguments(tool: string, schema: z.ZodObject, args: unknown, issues: readonly z.core.$ZodIssue[]): ToolError {
    const listed = issues.slice(0, MAX_LISTED);
    const more = issues.length > listed.length ? `; and ${issues.length - listed.length} more` : '';
    const names = [...new Set(listed.map(pathOf))];
    const why = listed.map(i => `${pathOf(i)}: ${isMissing(i, args) ? 'missing (required)' : i.message}`).join('; ') + more;
    const hints = [...new Set(listed.map(i => i.path[0]))].flatMap(key => {
        const d = describedAs(schema, key);
        return d ? [`${String(key)}: ${d}`] : [];
    });
    const fix = `correct ${names.join(', ')} and call ${tool} again${hints.length ? ` (${hints.join('; ')})` : ''}; nothing was called`;
    return new ToolError(`Invalid arguments for ${tool}: ${names.join(', ')}`, why, fix, 'INVALID_INPUT');
}
