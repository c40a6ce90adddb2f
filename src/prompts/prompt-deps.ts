/**
 * What prompts depend on, and nothing more: the knowledge base they embed, the cloud their commands name,
 * and (for argument completion from live data) Azure access and a debug log; without them completion
 * offers only what is known offline.
 */
import type { AzureAccess } from '../azure/azure-access.js';
import type { CloudProfile } from '../azure/cloud.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';

export interface PromptDeps {
    knowledge: KnowledgeBase;
    cloud: CloudProfile;
    azure?: () => Promise<AzureAccess>;
    log?: { debug(msg: string): void };
}
