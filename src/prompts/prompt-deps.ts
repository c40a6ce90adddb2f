/** What prompts depend on, and nothing more: the knowledge base they embed and the cloud their commands name. */
import type { CloudProfile } from '../azure/cloud.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';

export interface PromptDeps {
    knowledge: KnowledgeBase;
    cloud: CloudProfile;
}
