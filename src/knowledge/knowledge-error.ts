/**
 * One error for everything wrong with the skill, listing every problem at once: a content author fixes
 * the whole list in one pass instead of discovering problems one restart at a time.
 */
export interface KnowledgeProblem {
    /** Skill-relative path of the file, e.g. `references/troubleshooting.md` (or the skill folder). */
    file: string;
    message: string;
}

export class KnowledgeError extends Error {
    constructor(
        readonly dir: string,
        readonly problems: readonly KnowledgeProblem[]
    ) {
        super(
            `knowledge base at ${dir} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
                problems.map(p => `  - ${p.file}: ${p.message}`).join('\n')
        );
        this.name = 'KnowledgeError';
    }
}
