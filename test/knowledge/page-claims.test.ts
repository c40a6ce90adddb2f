/**
 * The knowledge pages may only attribute to this server what the build has: every tool name a page uses
 * must be in tools/list of a server with all toolsets, and every finding code must be in a code table
 * exported from src/streaming/, unless the sentence is conditional (rules in page-claims.ts).
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/knowledge-base.js';
import { connect, testApp } from '../helpers/mcp.js';
import { claimsOf, isConditional, type Claim } from './page-claims.js';

const STREAMING_DIR = fileURLToPath(new URL('../../src/streaming/', import.meta.url));
const SEVERITIES = new Set(['blocker', 'warning', 'info']);

/** Keys of every exported object of src/streaming/*.ts whose values all carry a severity: the code tables. */
async function buildCodes(): Promise<Set<string>> {
    const codes = new Set<string>();
    for (const file of (await readdir(STREAMING_DIR)).filter(f => f.endsWith('.ts'))) {
        const mod = (await import(pathToFileURL(join(STREAMING_DIR, file)).href)) as Record<string, unknown>;
        for (const value of Object.values(mod)) {
            if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
            const entries = Object.entries(value as Record<string, unknown>);
            const isTable = entries.length > 0 && entries.every(([k, v]) => /^[A-Z][A-Z0-9_]+$/.test(k) && SEVERITIES.has((v as { severity?: string })?.severity ?? ''));
            if (isTable) for (const [k] of entries) codes.add(k);
        }
    }
    return codes;
}

async function buildTools(): Promise<Set<string>> {
    const app = await testApp(); // default config: every toolset, not read-only
    const { client, close } = await connect(app);
    try {
        return new Set((await client.listTools()).tools.map(t => t.name));
    } finally {
        await close();
    }
}

let kb: KnowledgeBase;
let tools: Set<string>;
let codes: Set<string>;
beforeAll(async () => {
    [kb, tools, codes] = await Promise.all([loadKnowledgeBase(), buildTools(), buildCodes()]);
});

const describeClaim = (page: string, c: Claim) => `${page}:${c.line}: ${c.kind} ${c.name} is not in the build; make the sentence conditional ("If your server lists …"): ${c.sentence}`;

describe('pages name only tools and finding codes the build has', () => {
    it('finds the build tools and code tables it checks against', () => {
        expect(tools.has('streaming_search_docs')).toBe(true);
        expect(codes.has('NODEPOOL_ARM64')).toBe(true);
        expect(codes.has('UNSUPPORTED_PLATFORM')).toBe(false); // an Azure conversion code, not ours
    });

    it('every unconditional tool name or finding code of every page exists', () => {
        const problems: string[] = [];
        for (const page of kb.pages) {
            const claims = [...claimsOf(`${page.title}\n\n${page.summary}\n\n`), ...claimsOf(page.body)];
            for (const c of claims) {
                const known = c.kind === 'tool' ? tools.has(c.name) : codes.has(c.name);
                if (!known) problems.push(describeClaim(page.path, c));
            }
        }
        expect(problems).toEqual([]);
    });
});

describe('the claim finder', () => {
    const page = [
        '# Demo',
        '',
        'Run `acr_made_up_tool` to see `MADE_UP_CODE`. Azure reports `UNSUPPORTED_PLATFORM` then.',
        'If your server lists `streaming_future_tool`, it also reports `FUTURE_CODE`.',
        '',
        'When the server lists the diagnosis tool, it reports these codes:',
        '',
        '| Code | Meaning |',
        '|---|---|',
        '| `TABLE_CODE` | covered by the sentence above |',
        '',
        '- `LIST_CODE` in a list with no conditional intro',
        '',
        '```bash',
        'acr_in_code_block --ignored   # `FENCED_CODE`',
        '```',
        '',
        '## Heading with aks_heading_tool'
    ].join('\n');

    it('reports unconditional mentions with their line and skips conditional ones, fences and external codes', () => {
        const got = claimsOf(page).map(c => `${c.line} ${c.kind} ${c.name}`);
        expect(got).toEqual(['3 tool acr_made_up_tool', '3 code MADE_UP_CODE', '12 code LIST_CODE', '18 tool aks_heading_tool']);
    });

    it('recognises exactly the documented conditional openings', () => {
        expect(isConditional('If your server lists `x`, use it.')).toBe(true);
        expect(isConditional('When the server lists it: ')).toBe(true);
        expect(isConditional('This server lists `x`.')).toBe(false);
        expect(isConditional('Use `x` if your server lists it.')).toBe(false);
    });
});
