/**
 * The Entra credential: DefaultAzureCredential (which itself honours AZURE_TOKEN_CREDENTIALS, e.g.
 * `AzureCliCredential` or `prod`/`dev`), or an injected TokenCredential (sandbox, tests). @azure/identity is
 * imported on the first token request only. Any failure to get a token becomes a ToolError that says
 * what was tried and how to fix it, never an SDK stack.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import { redact } from '../log.js';
import { ToolError } from '../tool-error.js';
import type { CloudProfile } from './cloud.js';
import { isAbortError } from './errors.js';
import { SharedPromise } from './shared-promise.js';

export interface CredentialSetup {
    cloud: CloudProfile;
    tenant?: string;
    /** Injected credential; when absent DefaultAzureCredential is built lazily. */
    credential?: TokenCredential;
}

export function describeChain(env: NodeJS.ProcessEnv = process.env): string {
    const pinned = env.AZURE_TOKEN_CREDENTIALS?.trim();
    if (pinned) return `DefaultAzureCredential restricted by AZURE_TOKEN_CREDENTIALS=${pinned}`;
    return 'DefaultAzureCredential (environment variables, workload identity, managed identity, Azure CLI, Azure PowerShell, Azure Developer CLI)';
}

/** A TokenCredential that builds the real one on first use and reports failures as ToolErrors. */
export function lazyCredential(setup: CredentialSetup): TokenCredential {
    const inner = new SharedPromise<TokenCredential>();
    const make = async (): Promise<TokenCredential> => {
        if (setup.credential) return setup.credential;
        const { DefaultAzureCredential } = await import('@azure/identity');
        return new DefaultAzureCredential({
            ...(setup.tenant ? { tenantId: setup.tenant } : {}),
            authorityHost: setup.cloud.authorityHost
        });
    };
    return {
        async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
            try {
                const token = await (await inner.get(make)).getToken(scopes, options);
                if (!token) throw credentialFailure('the credential returned no token', setup);
                return token;
            } catch (e) {
                if (isAbortError(e) || e instanceof ToolError) throw e;
                throw credentialFailure(e, setup);
            }
        }
    };
}

export function credentialFailure(e: unknown, setup: Pick<CredentialSetup, 'tenant' | 'credential'>): ToolError {
    const message = redact(String((e as Error)?.message ?? e).split('\n').slice(0, 3).join(' ').slice(0, 400));
    const tried = setup.credential ? 'the configured credential' : describeChain();
    const login = `az login${setup.tenant ? ` --tenant ${setup.tenant}` : ''}`;
    return new ToolError(
        'Could not get an Azure access token',
        `tried ${tried}: ${message}`,
        `run \`${login}\` (or set AZURE_TOKEN_CREDENTIALS to the credential you use, e.g. AzureCliCredential), then retry`,
        'CREDENTIAL'
    );
}
