/**
 * The JSON Schema a tool advertises in tools/list, which is the model's context (docs/contributing.md): zod's
 * conversion, made terser without changing what a value must look like. Validation stays zod's (the
 * output schema's `~standard.validate`, the input's in tool-arguments.ts), so the server enforces exactly
 * what it did before.
 *
 * Converted once per process, or not at all in the bundle: `npm run build` converts every tool's schemas at
 * build time (scripts/bundle.mjs, through `advertisedJsonSchemas`) and embeds the result, because the
 * conversion was ≈10 ms of every cold start. The embedded copy comes from the same source in the same build,
 * so it cannot drift from the zod schemas; test/e2e/prebuilt.test.ts compares the built CLI's tools/list
 * with the live conversion.
 */
import type * as z from 'zod/v4';
import type { ToolDefinition } from './define-tool.js';

type Json = Record<string, unknown>;
type JsonSchemaConverter = (options: unknown) => Json;
type Role = 'input' | 'output';

/** The one target the SDK converts to (JSON Schema 2020-12, the MCP default dialect). */
const PREBUILT_TARGET = 'draft-2020-12';

/** Set by the bundler (esbuild `define`) to the JSON text of `advertisedJsonSchemas(ALL_TOOLS)`; absent from source. */
declare const __ACRSM_TOOL_SCHEMAS__: string | undefined;

let prebuilt: Record<string, Json> | undefined | null;

function prebuiltSchema(key: string, options: unknown): Json | undefined {
    if ((options as { target?: unknown } | undefined)?.target !== PREBUILT_TARGET) return undefined;
    prebuilt ??= typeof __ACRSM_TOOL_SCHEMAS__ === 'string' ? (JSON.parse(__ACRSM_TOOL_SCHEMAS__) as Record<string, Json>) : null;
    return prebuilt?.[key];
}

/**
 * Bounds no genuine value reaches (shared.ts's `MAX_ARG_LENGTH`, a pasted describe's 256 KiB, a confirmation token's
 * 2 KiB): they stop hostile input and tell the model nothing. Smaller bounds (a 500-character query) stay.
 */
const ABUSE_BOUND = 2048;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What an output schema leaves out: keywords that bound values rather than say their shape. The server checks
 * every result against the full zod schema before it sends it (the SDK's output validation), so a client
 * learns nothing from them. `additionalProperties: false` would also make a client that validates refuse a
 * result field added later, which the contract allows.
 */
const OUTPUT_BOUNDS = new Set(['additionalProperties', 'minItems', 'maxItems', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern']);

/**
 * One node, after its children. Same values, fewer bytes:
 * - `anyOf: [X, {type: null}]` (zod's `.nullable()`) as X with `type: [X's type, "null"]`, since X's other
 *   keywords (properties, required, items) constrain only values of X's type; an `enum` gets `null` added;
 * - a tuple of one repeated item schema (`prefixItems` × n, `items: false`, n..n items) as `items`, n..n;
 * - no `maxLength` at or above ABUSE_BOUND.
 * Output schemas also drop OUTPUT_BOUNDS, and an `enum`'s `type`, which its values already say.
 */
function compactNode(node: unknown, output: boolean): unknown {
    if (Array.isArray(node)) return node.map(n => compactNode(n, output));
    if (node === null || typeof node !== 'object') return node;
    const children: Json = {};
    for (const [k, v] of Object.entries(node)) children[k] = compactNode(v, output);
    const out = tupleAsItems(mergeNullable(children));
    const dropped = (k: string, v: unknown) =>
        (k === 'maxLength' && typeof v === 'number' && v >= ABUSE_BOUND) || (output && (OUTPUT_BOUNDS.has(k) || (k === 'type' && Array.isArray(out.enum))));
    return Object.fromEntries(Object.entries(out).filter(([k, v]) => !dropped(k, v)));
}

function tupleAsItems(node: Json): Json {
    const { prefixItems: prefix, items, ...rest } = node;
    const n = Array.isArray(prefix) ? prefix.length : -1;
    if (!Array.isArray(prefix) || items !== false || rest.minItems !== n || rest.maxItems !== n || !prefix.every(p => same(p, prefix[0]))) return node;
    return { ...rest, items: prefix[0] };
}

function mergeNullable(node: Json): Json {
    const { anyOf, ...outer } = node;
    if (!Array.isArray(anyOf) || anyOf.length !== 2) return node;
    const nullAt = anyOf.findIndex(s => same(s, { type: 'null' }));
    const inner = anyOf[1 - nullAt] as Json | undefined;
    if (nullAt < 0 || !inner || typeof inner.type !== 'string' || 'anyOf' in inner || 'const' in inner) return node;
    const description = [outer.description, inner.description].filter(d => typeof d === 'string').join('; ');
    return {
        ...inner,
        ...outer,
        type: [inner.type, 'null'],
        ...(Array.isArray(inner.enum) ? { enum: [...inner.enum, null] } : {}),
        ...(description ? { description } : {})
    };
}

/**
 * One advertised copy per tool schema for the whole process, its JSON Schema converted once per direction
 * and target: in the 2026-07-28 era every request gets a new McpServer (createMcpHandler), and the SDK
 * converts a tool's schemas on each tools/list and, for its output schema and the Mcp-Param header scan,
 * on each tools/call. The schemas are static module constants, so the JSON Schema never changes; it is
 * frozen, so a consumer that tried to change the shared copy would fail loudly rather than leak.
 */
const advertisedSchemas = new WeakMap<z.ZodObject, Map<Role, z.ZodObject>>();

/**
 * The schema as tools/list advertises it: compactNode over zod's conversion, and without the `$schema` line:
 * MCP reads a schema without one as JSON Schema 2020-12 (the spec's default dialect since 2025-11-25,
 * SEP-1613), and the line costs ~57 bytes per schema.
 * An input schema's `validate` passes every value through, since runTool checks the arguments itself
 * (tool-arguments.ts), so a bad one gets our coded INVALID_INPUT error rather than the SDK's uncoded text.
 * `tool` and `role` name its build-time conversion.
 */
export function advertised<S extends z.ZodObject>(schema: S, tool: string, role: Role): S {
    let copies = advertisedSchemas.get(schema);
    if (!copies) advertisedSchemas.set(schema, (copies = new Map()));
    let copy = copies.get(role);
    if (!copy) copies.set(role, (copy = compactCopy(schema, `${tool}:${role}`, role, true)));
    return copy as S;
}

/** `role`: how the SDK converts this schema (an input schema `.input`, an output schema `.output`); only that has a prebuilt copy. */
function compactCopy<S extends z.ZodObject>(schema: S, key: string, role: Role, usePrebuilt: boolean): S {
    const copy = schema.clone() as S;
    const std = copy['~standard'] as unknown as { jsonSchema: Record<Role, JsonSchemaConverter> };
    const compact = (convert: JsonSchemaConverter, direction: Role): JsonSchemaConverter => {
        const converted = new Map<string, Json>();
        return options => {
            const cacheKey = JSON.stringify(options ?? null);
            let json = converted.get(cacheKey);
            if (!json) {
                const built = usePrebuilt && direction === role ? prebuiltSchema(key, options) : undefined;
                const { $schema: _dialect, ...rest } = built ?? convert(options);
                converted.set(cacheKey, (json = deepFreeze(built ? rest : compactNode(rest, direction === 'output')) as Json));
            }
            return json;
        };
    };
    const passThrough = (value: unknown) => ({ value });
    Object.defineProperty(copy, '~standard', {
        value: {
            ...std,
            ...(role === 'input' ? { validate: passThrough } : {}),
            jsonSchema: { input: compact(std.jsonSchema.input, 'input'), output: compact(std.jsonSchema.output, 'output') }
        }
    });
    return copy;
}

function deepFreeze<T>(node: T): T {
    if (node !== null && typeof node === 'object' && !Object.isFrozen(node)) {
        Object.freeze(node);
        for (const v of Object.values(node)) deepFreeze(v);
    }
    return node;
}

/**
 * What the build embeds: every tool's advertised input and output schema, converted live as the SDK
 * converts them (`~standard.jsonSchema.input` for an input schema, `.output` for an output schema).
 */
export function advertisedJsonSchemas(tools: readonly ToolDefinition[]): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (const t of tools) {
        for (const [role, schema] of [['input', t.input], ['output', t.output]] as const) {
            const key = `${t.name}:${role}`;
            const std = compactCopy(schema, key, role, false)['~standard'] as unknown as { jsonSchema: Record<Role, JsonSchemaConverter> };
            out[key] = std.jsonSchema[role]({ target: PREBUILT_TARGET });
        }
    }
    return out;
}
