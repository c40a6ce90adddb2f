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
 * Masks values that look like secrets before anything is written or returned: bearer/basic credentials,
 * JWTs, and key=value / "key": "value" pairs whose key names a secret. Prose that merely mentions a token
 * ("a scope-map token or the admin user", "Basic and Standard tiers") is left alone.
 */
export function redact(text: string): string {
    return text
        .replace(/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/-]{12,}=*/g, '$1$2[redacted]')
        .replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[redacted-jwt]')
        .replace(/\b((?:access|refresh)_token|password|client_secret|token|secret)(["']?\s*[=:]\s*["']?)[^\s"'&,}]{4,}/gi, '$1$2[redacted]');
}

export function createLogger(level: LogLevel, sink: (line: string) => void = line => process.stderr.write(line + '\n')): Logger {
    const at = (l: LogLevel) => (msg: string) => {
        if (RANK[l] >= RANK[level]) sink(`[acr-streaming-mcp] ${l}: ${redact(msg)}`);
    };
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
