/**
 * Shared pieces of the prompts: steps that name a tool only when this server instance has it (toolsets
 * and --read-only remove tools; later issues add them), otherwise the equivalent az/kubectl command, and
 * skill pages embedded as `resource` content so the assistant has the sourced text in front of it.
 */
import type { GetPromptResult } from '@modelcontextprotocol/server';
import type { CloudProfile } from '../azure/cloud.js';
import { parseImageRef } from '../azure/names.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { PromptDeps } from './prompt-deps.js';
import { redact } from '../log.js';
import { MAX_ARG_LENGTH } from '../tools/shared.js';
import * as z from 'zod/v4';

export type PromptMessage = GetPromptResult['messages'][number];

/** One step: with the tool when present, else the manual command(s). */
export interface Step {
    tool?: string;
    /** Sentence to use when `tool` is present; may name the tool's arguments. */
    withTool?: string;
    /** Sentence to use otherwise: the az/kubectl way. */
    manual: string;
}

export function renderSteps(steps: readonly Step[], tools: ReadonlySet<string>): string {
    return steps.map((s, i) => `${i + 1}. ${s.tool && tools.has(s.tool) && s.withTool ? s.withTool : s.manual}`).join('\n');
}

/** The skill pages as embedded resources, in the order given; pages missing from the skill are skipped. */
export function embedPages(kb: KnowledgeBase, paths: readonly string[]): PromptMessage[] {
    return paths.flatMap(path => {
        const page = kb.page(path);
        if (!page) return [];
        return [{ role: 'user' as const, content: { type: 'resource' as const, resource: { uri: page.uri, mimeType: 'text/markdown', text: page.raw } } }];
    });
}

/** The prompt's own text, with the arguments in it: hidden characters in them are neutralised (redact(), src/log.ts). */
export function userText(text: string): PromptMessage {
    return { role: 'user', content: { type: 'text', text: redact(text) } };
}

/** A prompts/get result; its description quotes arguments too, so it is neutralised like the text. */
export function promptResult(description: string, messages: PromptMessage[]): GetPromptResult {
    return { description: redact(description), messages };
}

/** A prompt argument: bounded like tool arguments, so a 100,000-character argument is refused, not echoed. */
export function promptArg(description: string) {
    return z.string().min(1).max(MAX_ARG_LENGTH).describe(description);
}

const argsSchemas = new WeakMap<PromptDeps, Map<string, unknown>>();

/**
 * A prompt's argument schema, built once per PromptDeps (the process's AppContext) instead of on every
 * McpServer: in the 2026-07-28 era each HTTP request gets its own server, and building the zod objects
 * with their completers was most of that server's cost. The schema depends on the deps only (the cloud's
 * suffix in a description, completion through the deps' Azure access); the team server with per-user
 * identity hands each signed-in user their own deps (server.ts), so completion never crosses users.
 */
export function argsSchemaFor<T>(deps: PromptDeps, prompt: string, build: () => T): T {
    let forDeps = argsSchemas.get(deps);
    if (!forDeps) argsSchemas.set(deps, (forDeps = new Map()));
    if (!forDeps.has(prompt)) forDeps.set(prompt, build());
    return forDeps.get(prompt) as T;
}

/** The search step every prompt ends with, or a pointer to the pages when the tool is filtered out. */
export function searchStep(kb: KnowledgeBase, topic: string): Step {
    return {
        tool: 'streaming_search_docs',
        withTool: `For any question the pages below do not answer (${topic}), call \`streaming_search_docs\` and read the page it links before answering.`,
        manual: `For any question the pages below do not answer (${topic}), read the other pages of the skill, listed in skill://${kb.skillName}/SKILL.md.`
    };
}

export interface ImageParts {
    registry: string;
    loginServer: string;
    repository: string;
    /** `repo:tag` or `repo@sha256:…`, as the az acr commands take it. */
    reference: string;
}

/**
 * `<registry>.<this cloud's suffix>/<repo>:<tag>` split for the manual commands, by the one image grammar
 * (src/azure/names.ts; no tag means `latest`); placeholders when it does not parse.
 */
export function splitImage(image: string, cloud: CloudProfile): ImageParts {
    try {
        const ref = parseImageRef(image.trim(), cloud, { defaultTag: 'latest' });
        return { registry: ref.registry, loginServer: ref.loginServer, repository: ref.repository, reference: ref.digest ? `${ref.repository}@${ref.digest}` : `${ref.repository}:${ref.tag}` };
    } catch {
        return { registry: '<registry>', loginServer: `<registry>.${cloud.acrSuffix}`, repository: '<repository>', reference: '<repository>:<tag>' };
    }
}

/** `-g <rg>` placeholders stay visible so the user knows to fill them in. */
export function clusterArgs(cluster: string | undefined): string {
    return `-g <resource-group> -n ${cluster ?? '<cluster>'}`;
}
