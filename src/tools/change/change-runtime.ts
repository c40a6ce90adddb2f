/**
 * What the change-tool framework needs from the server around it: the token signer, the confirmation
 * mode, whether this client can be asked through an elicitation form (and its answer, on the round trip
 * back), the caller's session, and the audit sink. register-tools.ts fills it from the SDK context.
 */
import type { ConfirmationSigner } from './confirmation-token.js';

import type { ConfirmMode } from './confirm-modes.js';

/** Process-wide (AppContext): built once from --confirmation-key / --confirm. */
export interface ChangeSettings {
    signer: ConfirmationSigner;
    mode: ConfirmMode;
    /** Where audit lines go (default: one JSON line on stderr). */
    audit(line: string): void;
}

/** Per call. */
export interface ChangeRuntime extends ChangeSettings {
    /** The client declared elicitation and the transport can carry the request (stdio, sessionful HTTP, 2026 era). */
    canElicit: boolean;
    /** Set when this call is the round trip back from our confirmation form. */
    answer?: { action: 'accept' | 'decline' | 'cancel'; confirmed: boolean; state: string | undefined };
    /** Caller session (HTTP session id), for the audit line. */
    session?: string;
    /** The signed-in user (--auth entra): confirmations are bound to `oid`, the audit line names them. */
    user?: { oid: string; upn: string | null };
}

export interface AuditEntry {
    time: string;
    tool: string;
    target: string;
    before: unknown;
    after: unknown;
    operationId: string | null;
    session: string | null;
    confirmedBy: 'token' | 'elicitation';
    /** Only with sign-in (--auth entra): who confirmed. */
    oid?: string;
    upn?: string | null;
}

/** One structured JSON line per applied change (docs/security.md: "Audit trail"). Never carries a token. */
export function writeAudit(settings: Pick<ChangeSettings, 'audit'>, entry: AuditEntry): void {
    settings.audit(JSON.stringify({ audit: 'acr-streaming-mcp/change', ...entry }));
}

export function stderrAudit(line: string): void {
    process.stderr.write(line + '\n');
}
