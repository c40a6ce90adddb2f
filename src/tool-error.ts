/**
 * The one error type a tool throws on purpose. It becomes an `isError: true` result whose text says
 * what went wrong, why, and what to do next. Anything else thrown is treated as unexpected and reported
 * without its stack (see register-tools.ts).
 */
export class ToolError extends Error {
    constructor(
        readonly what: string,
        readonly why: string,
        readonly fix: string,
        readonly code = 'TOOL_ERROR'
    ) {
        super(`${what}: ${why}`);
        this.name = 'ToolError';
    }

    toText(): string {
        return `${this.what}.\nWhy: ${this.why}\nFix: ${this.fix}`;
    }
}

export function isToolError(e: unknown): e is ToolError {
    return e instanceof ToolError;
}
