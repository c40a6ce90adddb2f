/** Typed access to a tool result's structuredContent, from the tool's own output schema. */
import type * as z from 'zod/v4';
import type { ToolDefinition } from '../../src/tools/define-tool.js';

/**
 * The result's structuredContent, checked against `tool.output` and typed as its z.output. It returns the value
 * the client received, not the parse output, so an assertion on the exact shape still sees any extra key
 * (zod objects strip unknown keys when parsing).
 */
export function structuredOf<O extends z.ZodObject>(tool: Pick<ToolDefinition<z.ZodObject, O>, 'name' | 'output'>, result: object): z.output<O> {
    // `object`: the SDK 1.x client's callTool result type is a union that also has a legacy `toolResult` shape.
    const content = (result as { structuredContent?: unknown }).structuredContent;
    const parsed = tool.output.safeParse(content);
    if (!parsed.success) throw new Error(`${tool.name}: structuredContent does not match the tool's output schema: ${parsed.error.message}`);
    return content as z.output<O>;
}
