/**
 * Subscription resolution, in order: --subscription, AZURE_SUBSCRIPTION_ID, then the Azure CLI profile's
 * default subscription (`$AZURE_CONFIG_DIR/azureProfile.json` or `~/.azure/azureProfile.json`; the CLI writes
 * it with a UTF-8 BOM).
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ToolError } from '../tool-error.js';
import { excerpt } from './names.js';

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export interface SubscriptionChoice {
    id: string;
    source: '--subscription' | 'AZURE_SUBSCRIPTION_ID' | 'azureProfile.json';
    tenantId?: string;
}

export function azureProfilePath(env: NodeJS.ProcessEnv = process.env): string {
    return join(env.AZURE_CONFIG_DIR || join(homedir(), '.azure'), 'azureProfile.json');
}

/** The CLI's default subscription, or undefined when the file is missing or unreadable. */
export function readCliDefaultSubscription(path: string): { id: string; tenantId?: string } | undefined {
    let text: string;
    try {
        text = readFileSync(path, 'utf8');
    } catch {
        return undefined;
    }
    try {
        const profile = JSON.parse(text.replace(/^\uFEFF/, '')) as { subscriptions?: { id?: string; isDefault?: boolean; tenantId?: string }[] };
        const def = profile.subscriptions?.find(s => s.isDefault === true);
        if (!def?.id || !GUID.test(def.id)) return undefined;
        return { id: def.id, ...(def.tenantId ? { tenantId: def.tenantId } : {}) };
    } catch {
        return undefined;
    }
}

export function resolveSubscription(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, tenant?: string): SubscriptionChoice {
    if (flag) return { id: flag, source: '--subscription' };
    const fromEnv = env.AZURE_SUBSCRIPTION_ID?.trim();
    if (fromEnv) {
        if (!GUID.test(fromEnv)) {
            throw new ToolError('AZURE_SUBSCRIPTION_ID is not a subscription id', `it must be a GUID, got "${excerpt(fromEnv)}"`, 'set it to the id shown by `az account show --query id -o tsv`', 'NO_SUBSCRIPTION');
        }
        return { id: fromEnv, source: 'AZURE_SUBSCRIPTION_ID' };
    }
    const path = azureProfilePath(env);
    const fromCli = readCliDefaultSubscription(path);
    if (fromCli) return { ...fromCli, source: 'azureProfile.json' };
    throw new ToolError(
        'No Azure subscription selected',
        `tried --subscription, the AZURE_SUBSCRIPTION_ID environment variable, and the Azure CLI default subscription in ${path}; none was set`,
        `run \`az login${tenant ? ` --tenant ${tenant}` : ''}\` (and \`az account set -s <subscription>\`), or set AZURE_SUBSCRIPTION_ID, or pass --subscription <id>`,
        'NO_SUBSCRIPTION'
    );
}
