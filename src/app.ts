/** Builds the process-wide AppContext: knowledge loaded and validated once, Azure left lazy. */
import type { AppContext, SandboxInfo } from './app-context.js';
import type { AzureAccess } from './azure/azure-access.js';
import { cloudProfile } from './azure/cloud.js';
import type { Config } from './config.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from './knowledge/knowledge-base.js';
import { createLogger, type Logger } from './log.js';
import { signerFromSetting } from './tools/change/confirmation-token.js';
import { stderrAudit, type ChangeSettings } from './tools/change/change-runtime.js';

export interface CreateAppOptions {
    config: Config;
    log?: Logger;
    /** Replaces the default Azure access (the sandbox wiring and tests use this). */
    azure?: () => Promise<AzureAccess>;
    sandbox?: SandboxInfo;
    knowledgeDir?: string;
    /** Replaces the change-tool settings built from the config (tests: a shared key, an audit sink, a clock). */
    changes?: Partial<ChangeSettings>;
}

export async function createApp(opts: CreateAppOptions): Promise<AppContext> {
    const log = opts.log ?? createLogger(opts.config.logLevel);
    const knowledge = await loadKnowledgeBase(opts.knowledgeDir ?? DEFAULT_KNOWLEDGE_DIR);
    const makeAzure =
        opts.azure ??
        (async () => {
            // Imported on first use only: the Azure SDKs cost start-up time and nothing at start needs them.
            const { createAzureAccess } = await import('./azure/azure-access.js');
            return createAzureAccess({ cloud: opts.config.cloud, tenant: opts.config.tenant, subscription: opts.config.subscription });
        });
    const changes: ChangeSettings = {
        signer: opts.changes?.signer ?? signerFromSetting(opts.config.confirmationKey),
        mode: opts.changes?.mode ?? opts.config.confirm,
        audit: opts.changes?.audit ?? stderrAudit
    };
    return {
        config: opts.config,
        knowledge,
        cloud: cloudProfile(opts.config.cloud),
        azure: once(makeAzure),
        sandbox: opts.sandbox,
        log,
        changes,
        toolDeadlineMs: opts.config.toolTimeoutSeconds * 1000
    };
}

/** Memoises a lazy async factory; a failure is not cached, so the next call can try again (e.g. after az login). */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
    let pending: Promise<T> | undefined;
    return () => {
        pending ??= make().catch(e => {
            pending = undefined;
            throw e;
        });
        return pending;
    };
}
