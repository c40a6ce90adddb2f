/**
 * Finds the tool names and finding codes a knowledge page attributes to this server, so a test can check
 * them against the build. The rules are deliberately few:
 *
 * - A tool name is any `acr_…`, `aks_…` or `streaming_…` snake_case word (backticked or not).
 * - A finding code is any backticked UPPER_SNAKE word, except the codes other systems emit (EXTERNAL_CODES).
 * - A mention does not count when its sentence is conditional: the sentence starts with "If your server
 *   lists", "When your server lists", "If the server lists" or "When the server lists". A conditional
 *   sentence that ends with a colon also covers the table or list right after it.
 *
 * Fenced code blocks are skipped: they hold commands and payloads, not claims about this server.
 */
import { CONVERSION_ERROR_CODES } from '../../src/streaming/image-rules.js';

export interface Claim {
    kind: 'tool' | 'code';
    name: string;
    line: number;
    sentence: string;
}

/**
 * Codes pages quote from Azure and AgentBaker, not finding codes of this server: the conversion error codes
 * (the domain's own list), the data plane's 404 code (azure-cli artifact_streaming.py
 * and its test recording) and the node provisioning exit code names (AgentBaker cse_helpers.sh).
 */
export const EXTERNAL_CODES = new Set<string>([
    ...CONVERSION_ERROR_CODES,
    'OPERATION_UNKNOWN',
    'ERR_ARTIFACT_STREAMING_DOWNLOAD',
    'ERR_ARTIFACT_STREAMING_INSTALL',
    'ERR_ARTIFACT_STREAMING_ACR_NODEMON_START_FAIL'
]);

const CONDITIONAL = /^[\s*_"(]*(?:if|when) (?:your|the) server lists\b/i;
const TOOL = /\b(?:acr|aks|streaming)_[a-z]+(?:_[a-z]+)*\b/g;
const CODE = /`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`/g;

interface Unit {
    text: string;
    line: number;
    covered: boolean;
}

/** Splits at sentence ends (., ! or ? followed by a space and a capital, a backtick, a quote or a bracket). */
function sentences(text: string): string[] {
    return text.split(/(?<=[.!?])\s+(?=[A-Z`"*([])/).filter(s => s.trim().length > 0);
}

type BlockKind = 'paragraph' | 'list' | 'table' | 'heading';

interface Block {
    kind: BlockKind;
    lines: { text: string; line: number }[];
}

function kindOf(text: string): BlockKind {
    if (/^#{1,6}\s/.test(text)) return 'heading';
    if (text.startsWith('|')) return 'table';
    if (/^\s*(?:[-*+]|\d+\.)\s/.test(text)) return 'list';
    return 'paragraph';
}

function blocksOf(body: string): Block[] {
    const blocks: Block[] = [];
    let current: Block | undefined;
    let fence: string | undefined;
    body.split('\n').forEach((raw, i) => {
        const line = i + 1;
        const fenceMark = /^\s*(```|~~~)/.exec(raw)?.[1];
        if (fence) {
            if (fenceMark === fence) fence = undefined;
            return;
        }
        if (fenceMark) {
            fence = fenceMark;
            current = undefined;
            return;
        }
        if (raw.trim() === '') {
            current = undefined;
            return;
        }
        const kind = kindOf(raw);
        // A heading is always its own block; a table or list line after a paragraph line starts a new block.
        const continues = current && kind !== 'heading' && current.kind !== 'heading' && (kind === current.kind || (kind === 'paragraph' && current.kind === 'list'));
        if (!continues) {
            current = { kind, lines: [] };
            blocks.push(current);
        }
        current!.lines.push({ text: raw, line });
    });
    return blocks;
}

/** Turns a block into the units whose sentences are judged: paragraph sentences, list items, table rows. */
function unitsOf(block: Block): Unit[] {
    const first = block.lines[0]!.line;
    if (block.kind === 'table') return block.lines.map(l => ({ text: l.text.replace(/\|/g, ' '), line: l.line, covered: false }));
    if (block.kind === 'heading') return [{ text: block.lines[0]!.text.replace(/^#+\s*/, ''), line: first, covered: false }];
    const items: Unit[] = [];
    for (const l of block.lines) {
        const startsItem = block.kind === 'list' && /^\s*(?:[-*+]|\d+\.)\s/.test(l.text);
        const text = l.text.replace(/^\s*(?:[-*+]|\d+\.)\s+/, '').trim();
        if (startsItem || items.length === 0) items.push({ text, line: l.line, covered: false });
        else items[items.length - 1]!.text += ' ' + text;
    }
    return items.flatMap(u => sentences(u.text).map(s => ({ text: s, line: u.line, covered: false })));
}

export function isConditional(sentence: string): boolean {
    return CONDITIONAL.test(sentence);
}

/** Every claim of the text that is not covered by a conditional sentence. */
export function claimsOf(body: string): Claim[] {
    const claims: Claim[] = [];
    let coverNext = false;
    for (const block of blocksOf(body)) {
        const covered = coverNext && (block.kind === 'table' || block.kind === 'list');
        const units = unitsOf(block);
        for (const u of units) {
            if (covered || isConditional(u.text)) continue;
            for (const m of u.text.matchAll(TOOL)) claims.push({ kind: 'tool', name: m[0], line: u.line, sentence: u.text });
            for (const m of u.text.matchAll(CODE)) {
                if (!EXTERNAL_CODES.has(m[1]!)) claims.push({ kind: 'code', name: m[1]!, line: u.line, sentence: u.text });
            }
        }
        const last = units[units.length - 1];
        coverNext = block.kind === 'paragraph' && !!last && isConditional(last.text) && last.text.trimEnd().endsWith(':');
    }
    return claims;
}
