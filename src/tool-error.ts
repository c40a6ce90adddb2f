/**
 * The one error type a tool throws on purpose. It becomes an `isError: true` result whose text says
 * what went wrong, why, what to do next and the code, and whose `_meta` carries the same as data
 * (register-tools.ts). Anything else thrown is reported as an INTERNAL ToolError, without its stack.
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

    /** What the user reads: the code last, so a client or a person can search for it (docs/tools.md). */
    toText(): string {
        return `${this.what}.\nWhy: ${this.why}\nFix: ${this.fix}\nCode: ${this.code}`;
    }
}

export function isToolError(e: unknown): e is ToolError {
    return e instanceof ToolError;
}
