/**
 * Pod evidence from text a user pasted, exactly as kubectl prints it: `kubectl describe pod` (every recent
 * layout: the events table of kubectl ≤ 1.34, and 1.35+'s `spec.containers{…}: ` message prefix),
 * `kubectl get events` (plain, `-A`, `-o wide`) and `kubectl events`, or a pod manifest from
 * `kubectl get pod -o json|yaml`. Tables are read by the columns of their header line, as kubectl's
 * tabwriter aligns them (padding of at least two spaces). Anything unrecognised is ignored, never an error.
 */
import type { PodEventFacts, PodFacts } from './facts.js';
import { foldedCount, pullRecords, splitFieldPath } from './kubelet-events.js';

/** AKS node names: `aks-<pool>-<8 digits>-vmss<6 base-36>` (VMSS pools) or `aks-<pool>-<digits>-<suffix>`. */
export function poolFromNodeName(node: string): string | undefined {
    return /^aks-([a-z][a-z0-9]{0,11})-\d{6,10}-(?:vmss[0-9a-z]{6}|[0-9a-z]+)$/.exec(node)?.[1];
}

interface Column {
    name: string;
    start: number;
}

/** Column starts from a header line such as `  Type     Reason   Age   From   Message`. */
function columns(header: string): Column[] {
    const out: Column[] = [];
    const re = /\S+(?: \S+)*/g; // names may hold one space ("LAST SEEN", "FIRST SEEN")
    for (let m = re.exec(header); m; m = re.exec(header)) out.push({ name: m[0].toUpperCase(), start: m.index });
    return out;
}

/** Cells of a row by the header's column starts; the cell before a start must end in whitespace. */
function cells(row: string, cols: Column[]): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    for (let i = 0; i < cols.length; i++) {
        const start = cols[i]!.start;
        const end = i + 1 < cols.length ? cols[i + 1]!.start : row.length;
        if (i + 1 < cols.length && end < row.length && row[end - 1] !== ' ') return undefined;
        out[cols[i]!.name] = row.slice(start, Math.max(start, end)).trim();
    }
    return out;
}

/** Fallback when a row does not line up (edited or re-wrapped text): split on runs of 2+ spaces. */
function loose(row: string, cols: Column[]): Record<string, string> | undefined {
    const parts = row.trim().split(/\s{2,}/);
    if (parts.length < cols.length) return undefined;
    const out: Record<string, string> = {};
    cols.forEach((c, i) => (out[c.name] = i === cols.length - 1 ? parts.slice(i).join('  ') : parts[i]!));
    return out;
}

const TYPES = new Set(['Normal', 'Warning']);

function eventFrom(c: Record<string, string>): PodEventFacts | undefined {
    const type = c.TYPE ?? '';
    if (!TYPES.has(type)) return undefined;
    const age = c.AGE ?? c['LAST SEEN'] ?? '';
    const count = c.COUNT && /^\d+$/.test(c.COUNT) ? Number(c.COUNT) : foldedCount(age);
    return { type, reason: c.REASON ?? '', message: splitFieldPath(c.MESSAGE ?? '').message, count };
}

/** Every events table in the text (describe's `Events:` section, get events, kubectl events). */
function parseEventTables(lines: string[]): { events: PodEventFacts[]; objects: string[] } {
    const events: PodEventFacts[] = [];
    const objects: string[] = [];
    for (let i = 0; i < lines.length; i++) {
        const h = lines[i]!;
        const describe = /^\s*Type\s{2,}Reason\s{2,}Age\s{2,}From\s{2,}Message\s*$/.test(h);
        const get = /\bTYPE\s{2,}REASON\s{2,}/.test(h) && /\bMESSAGE\b/.test(h);
        if (!describe && !get) continue;
        const cols = columns(h);
        for (i = i + 1; i < lines.length; i++) {
            const row = lines[i]!;
            if (/^\s*-{4}\s/.test(row)) continue;
            if (!row.trim()) break;
            const c = cells(row, cols) ?? loose(row, cols);
            const e = c && eventFrom(c);
            if (!e) {
                if (c && !TYPES.has(c.TYPE ?? '')) break;
                continue;
            }
            events.push(e);
            if (c!.OBJECT) objects.push(c!.OBJECT);
        }
    }
    return { events, objects };
}

/** `Key:   value` at the top level of a describe output. */
function field(lines: string[], key: string): string | undefined {
    const re = new RegExp(`^${key.replace(/ /g, ' ')}:\\s+(.*)$`);
    for (const l of lines) {
        const m = re.exec(l);
        if (m) return m[1]!.trim();
    }
    return undefined;
}

/** The blocks under `Containers:` / `Init Containers:`: `  name:` then `    Image:` / `    Reason:` lines. */
function containers(lines: string[]): { containers: PodFacts['containers']; waiting: string[] } {
    const out: PodFacts['containers'] = [];
    const waiting: string[] = [];
    let inSection = false;
    let current: string | undefined;
    for (const l of lines) {
        if (/^(Init Containers|Containers|Ephemeral Containers):/.test(l)) {
            inSection = true;
            continue;
        }
        if (inSection && /^\S/.test(l)) inSection = false;
        if (!inSection) continue;
        const name = /^ {2}([a-z0-9][a-z0-9.-]*):\s*$/.exec(l);
        if (name) current = name[1];
        const image = /^ {4}Image:\s+(\S+)/.exec(l);
        if (image && current) out.push({ name: current, image: image[1]! });
        const reason = /^ {6}Reason:\s+(\S+)/.exec(l);
        if (reason) waiting.push(reason[1]!);
    }
    return { containers: out, waiting };
}

/** `Conditions:` then `  Type  Status` then `  PodScheduled   True `. */
function conditions(lines: string[]): PodFacts['conditions'] {
    const out: PodFacts['conditions'] = [];
    const at = lines.findIndex(l => /^Conditions:\s*$/.test(l));
    if (at < 0) return out;
    for (const l of lines.slice(at + 2)) {
        const m = /^ {2}(\S+)\s+(True|False|Unknown)\s*$/.exec(l);
        if (!m) break;
        out.push({ type: m[1]!, status: m[2]! });
    }
    return out;
}

/** imagePullSecrets of a pasted manifest (JSON, or YAML's `imagePullSecrets:` list of `- name: x`). */
function manifestPullSecrets(text: string): string[] | undefined {
    const json = /"imagePullSecrets"\s*:\s*\[([^\]]*)\]/.exec(text);
    if (json) return [...json[1]!.matchAll(/"name"\s*:\s*"([^"]+)"/g)].map(m => m[1]!);
    const yaml = /^(\s*)imagePullSecrets:\s*(\[\])?\s*$/m.exec(text);
    if (!yaml) return undefined;
    if (yaml[2]) return [];
    const rest = text.slice(yaml.index + yaml[0].length).split('\n').slice(1);
    const names: string[] = [];
    for (const l of rest) {
        const m = /^\s*-\s*name:\s*["']?([^"'\s]+)["']?\s*$/.exec(l);
        if (!m) break;
        names.push(m[1]!);
    }
    return names;
}

/** Parses pasted kubectl output; `undefined` when nothing in it looks like a pod or its events. */
export function parsePastedPod(text: string): PodFacts | undefined {
    const lines = text.replace(/\r\n?/g, '\n').replace(/\t/g, '        ').split('\n');
    const { events, objects } = parseEventTables(lines);
    const { containers: cs, waiting } = containers(lines);
    const name = field(lines, 'Name');
    const node = field(lines, 'Node');
    const nodeName = node && node !== '<none>' ? node.split('/')[0] : undefined;
    const selector = /kubernetes\.azure\.com\/agentpool=([a-z][a-z0-9]{0,11})/.exec(text)?.[1];
    const secrets = manifestPullSecrets(text);
    const jsonImages = [...text.matchAll(/"image"\s*:\s*"([^"]+)"/g)].map(m => m[1]!);
    const yamlImages = [...text.matchAll(/^\s*-?\s*image:\s*["']?([^"'\s]+)["']?\s*$/gm)].map(m => m[1]!);
    const manifestImages = cs.length ? [] : [...new Set([...jsonImages, ...yamlImages])].map((image, i) => ({ name: `container-${i}`, image }));
    const podObject = objects.find(o => /^pod\//i.test(o))?.slice(4);
    if (!name && events.length === 0 && cs.length === 0 && manifestImages.length === 0) return undefined;
    return {
        source: 'pasted-text',
        ...(field(lines, 'Namespace') ? { namespace: field(lines, 'Namespace') } : {}),
        ...(name || podObject ? { name: name ?? podObject } : {}),
        ...(nodeName ? { node: nodeName } : {}),
        ...(nodeName && poolFromNodeName(nodeName) ? { nodePool: poolFromNodeName(nodeName) } : selector ? { nodePool: selector } : {}),
        containers: cs.length ? cs : manifestImages,
        imagePullSecrets: secrets ?? [],
        ...(secrets === undefined
            ? { gaps: ['imagePullSecrets: kubectl describe does not print them; paste `kubectl get pod <name> -o yaml` too, or give cluster access'] }
            : {}),
        ...(field(lines, 'Service Account') ? { serviceAccount: field(lines, 'Service Account') } : {}),
        conditions: conditions(lines),
        events,
        waitingReasons: waiting,
        pulls: pullRecords(events)
    };
}
