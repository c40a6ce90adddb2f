/** Logs go to stderr only: stdout belongs to the MCP protocol on stdio. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
    debug(msg: string): void;
    info(msg: string): void;
    warn(msg: string): void;
    error(msg: string): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * A value that our own pages and commands use in place of a secret: a shell variable or substitution
 * (`$ENTRA`, `${REFRESH}`, `$(az …)`), a `<placeholder>`, a template (`{{ x }}`, `%VAR%`), an ellipsis, or
 * an earlier mask. Masking these rewrites documentation (`access_token=$ENTRA`) and hides nothing.
 */
const PLACEHOLDER = String.raw`(?![$<{%\[]|…|\.\.\.)`;

const SECRET_PAIR = new RegExp(
    String.raw`\b((?:access|refresh)_token|password|client_secret|token|secret)(["']?\s*[=:]\s*["']?)${PLACEHOLDER}[^\s"'&,}]{4,}`,
    'gi'
);

/**
 * Characters that hide or rewrite the text around them when echoed: C0 and C1 controls (tab and newline
 * aside), DEL, bidi embeddings/overrides/isolates/marks (the "Trojan Source" characters, CVE-2021-42574),
 * zero-width and other invisible format characters, line/paragraph separators, Unicode tag characters
 * (invisible text a model still reads), and lone surrogates (not valid UTF-16; they break JSON consumers).
 * Unicode Standard Annex #9 lists the bidi controls; Unicode 15 chapter 23 the format characters.
 */
const HIDDEN =
    /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]|\uDB40[\uDC00-\uDC7F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function escape(ch: string): string {
    const cp = ch.codePointAt(0)!;
    return cp > 0xffff ? `\\u{${cp.toString(16).toUpperCase()}}` : `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Shows hidden characters as visible `\uXXXX` escapes; tab and newline stay (our own texts are multi-line). */
export function neutralize(text: string): string {
    return text.replace(HIDDEN, escape);
}

/** For one line of text built from input (a log entry, a quoted query): newlines and tabs escaped too. */
export function oneLine(text: string): string {
    return neutralize(text).replace(/[\t\n]/g, escape);
}

/**
 * Makes text safe to write or return; everything that leaves the server passes here (tool results and
 * errors in register-tools.ts, Azure error texts, every log line). It masks values that look like secrets:
 * bearer/basic credentials, JWTs, and key=value / "key": "value" pairs whose key names a secret, unless the
 * value is a placeholder. Prose that merely mentions a token ("a scope-map token or the admin user") is
 * left alone. And it neutralises hidden characters (see HIDDEN), so echoed input cannot disguise itself.
 */
export function redact(text: string): string {
    return neutralize(
        text
            .replace(/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/-]{12,}=*/g, '$1$2[redacted]')
            .replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]')
            .replace(SECRET_PAIR, '$1$2[redacted]')
    );
}

export function createLogger(level: LogLevel, sink: (line: string) => void = line => process.stderr.write(line + '\n')): Logger {
    const at = (l: LogLevel) => (msg: string) => {
        // One entry, one line: a message quoting input cannot forge a second entry.
        if (RANK[l] >= RANK[level]) sink(`[acr-streaming-mcp] ${l}: ${oneLine(redact(msg))}`);
    };
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
