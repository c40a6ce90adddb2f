/** Builds the process-wide AppContext: knowledge loaded and validated once, Azure left lazy. */
import type { AppContext, SandboxInfo } from './app-context.js';
import type { AzureAccess } from './azure/azure-access.js';
import { cloudProfile } from './azure/cloud.js';
import type { Config } from './config.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from './knowledge/knowledge-base.js';
import { createLogger, type Logger } from './log.js';
import { signerFromSetting } from './tools/change/confirmation-token.js';
import { stderrAudit, type ChangeSettings } from './tools/change/change-runtime.js';
import type { TokenCredential } from '@azure/core-auth';
import type { Caller } from './auth/caller.js';
import type { EntraAuthSettings, EntraValidator } from './auth/entra-validator.js';
import type { ClientProof } from './auth/per-user-azure.js';

/** What --auth entra needs beyond the flags (the sandbox wiring and tests supply it; flags win where given). */
export interface EntraOverrides {
    authorityHost?: string;
    tenant?: string;
    clientId?: string;
    caPem?: string;
    /** The app's client assertion for on-behalf-of (default: workload identity or --entra-certificate). */
    proof?: ClientProof;
    /** One user's Azure access around their credential (default: createAzureAccess with the flags). */
    makeAccess?: (credential: TokenCredential) => Promise<AzureAccess>;
    /** Validator knobs for tests (JWKS cooldown, clock). */
    validator?: Pick<EntraAuthSettings, 'jwksCooldownMs' | 'now' | 'clockSkewSeconds'>;
}

export interface CreateAppOptions {
    config: Config;
    log?: Logger;
    /** Replaces the default Azure access (the sandbox wiring and tests use this). */
    azure?: () => Promise<AzureAccess>;
    sandbox?: SandboxInfo;
    knowledgeDir?: string;
    /** Replaces the change-tool settings built from the config (tests: a shared key, an audit sink, a clock). */
    changes?: Partial<ChangeSettings>;
    entra?: EntraOverrides;
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
    const auth = opts.config.auth === 'entra' ? await entraAuth(opts.config, opts.entra ?? {}) : {};
    return {
        ...auth,
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

/** --auth entra: the token validator and, with on-behalf-of (the default), per-user Azure access. */
async function entraAuth(config: Config, o: EntraOverrides): Promise<{ entra: EntraValidator; azureFor?: (caller: Caller) => Promise<AzureAccess> }> {
    const tenant = config.entraTenant ?? o.tenant;
    const clientId = config.entraClientId ?? o.clientId;
    if (!tenant || !clientId) throw new Error('--auth entra needs --entra-tenant and --entra-client-id (docs/team-server.md)');
    const authorityHost = o.authorityHost ?? cloudProfile(config.cloud).authorityHost;
    const [{ createEntraValidator }, { clientProofFrom, perUserAzure }] = await Promise.all([import('./auth/entra-validator.js'), import('./auth/per-user-azure.js')]);
    const entra = createEntraValidator({
        authorityHost,
        tenant,
        clientId,
        audiences: config.entraAudience,
        requiredScope: config.entraScope,
        caPem: o.caPem,
        ...o.validator
    });
    if ((config.downstreamIdentity ?? 'obo') === 'server') return { entra };
    const proof = o.proof ?? clientProofFrom(process.env, config.entraCertificate);
    if (!proof) {
        throw new Error(
            '--downstream-identity obo needs the app registration\'s client assertion: run with AKS workload identity (AZURE_FEDERATED_TOKEN_FILE) or pass --entra-certificate PATH; or use --downstream-identity server'
        );
    }
    const makeAccess =
        o.makeAccess ??
        (async (credential: TokenCredential) => {
            const { createAzureAccess } = await import('./azure/azure-access.js');
            return createAzureAccess({ cloud: config.cloud, tenant: config.tenant, subscription: config.subscription, credential });
        });
    const users = perUserAzure({ authorityHost, tenantId: tenant, clientId, proof, makeAccess, caPem: o.caPem });
    return { entra, azureFor: caller => users.forCaller(caller) };
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
