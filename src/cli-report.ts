/**
 * The command line for people and pipelines: `diagnose IMAGE`, `scan-registry R` and `scan-cluster C` run the same tool
 * handlers the MCP server runs, then print a readable report (or the structured result with --json) and
 * exit with the verdict, so a deploy pipeline can gate on it:
 *   0  everything judged streams          1  something will not stream
 *   3  something could not be judged      2  bad usage (an argument the tool refuses, like a bad flag)
 * A failure to read Azure at all (not signed in, the cluster does not exist) prints the error and exits 3.
 */
import type { AppContext } from './app-context.js';
import type { ReportCommand } from './cli-command.js';
import { readFile } from 'node:fs/promises';
import { redact } from './log.js';
import type { Diagnosis } from './streaming/diagnosis.js';
import { diagnosisReport } from './streaming/report.js';
import { renderTimeline } from './streaming/timeline.js';
import type { Estimate } from './streaming/estimate.js';
import { formatSeconds } from './streaming/go-duration.js';
import { isToolError } from './tool-error.js';
import type { ToolRuntime } from './tools/define-tool.js';
import { ALL_TOOLS } from './tools/index.js';
import { formatBytes } from './tools/shared.js';

export const EXIT = { streams: 0, willNotStream: 1, usage: 2, unknown: 3 } as const;

type Out = (text: string) => void;

interface RegistryScan {
    registry: string;
    supported: boolean;
    blockers: { code: string; fix: { azCommand?: string; explanation: string } }[];
    candidates: { image: string; sizeBytes: number; streaming: string; autoConversion: boolean | null; estimate: Estimate; fix: { azCommand?: string; explanation: string } | null }[];
    scanned: { repositories: number; images: number; eligible: number; unreadRepositories: number; truncated: boolean };
}

interface ClusterScan {
    cluster: string;
    namespace: string | null;
    images: {
        image: string;
        verdict: 'streams' | 'will_not_stream' | 'unknown';
        firstBlocker: { code: string; fix: { azCommand?: string; kubectlCommand?: string; explanation: string } } | null;
        pods: string[];
        podCount: number;
        nodePools: string[];
        lastPullSeconds: number | null;
        lostSeconds: number;
        estimate: Estimate | null;
    }[];
    scanned: { pods: number; images: number; notStreaming: number; otherImages: number };
    nextCursor: string | null;
}

export async function runReport(cmd: ReportCommand, app: AppContext, out: Out, err: Out): Promise<number> {
    const tool = ALL_TOOLS.find(t => t.name === cmd.tool);
    if (!tool) throw new Error(`no tool ${cmd.tool}`);
    const ac = new AbortController();
    const onSignal = () => ac.abort();
    process.once('SIGINT', onSignal);
    // No MCP client is there to call a change tool: fixes show their az/kubectl commands only.
    const rt: ToolRuntime = {
        azure: app.azure,
        knowledge: app.knowledge,
        cloud: app.cloud,
        registeredTools: new Set(),
        signal: ac.signal,
        progress: async (done, total, message) => {
            if (process.stderr.isTTY) err(`\r${message ?? `${done}/${total ?? '?'}`}`);
        },
        log: async (_level, message) => app.log.debug(message),
        changes: { ...app.changes, canElicit: false }
    };
    try {
        const call = async (args: Record<string, unknown>) => {
            const parsed = tool.input.safeParse(args);
            if (!parsed.success) throw new UsageError(parsed.error.issues.map(i => `${i.path.join('.') || 'argument'}: ${i.message}`).join('; '));
            return (await tool.handler(parsed.data as never, rt)).data as Record<string, unknown>;
        };
        if (cmd.tool === 'streaming_diagnose') {
            const podDescription = cmd.describeFile ? await readDescribeFile(cmd.describeFile) : undefined;
            const data = (await call({ ...cmd.args, ...(podDescription !== undefined ? { podDescription } : {}) })) as unknown as Diagnosis & { image: string };
            out(cmd.json ? JSON.stringify(data, null, 2) : diagnosisReport(data.image, data));
            return diagnosisExit(data.verdict);
        }
        if (cmd.tool === 'streaming_scan_registry') {
            const data = (await call(cmd.args)) as unknown as RegistryScan;
            out(cmd.json ? JSON.stringify(data, null, 2) : registryReport(data));
            return registryExit(data);
        }
        // A cluster is judged whole: the pages after the first come from the scan's snapshot.
        const first = (await call({ ...cmd.args, limit: 50 })) as unknown as ClusterScan;
        const images = [...first.images];
        for (let cursor = first.nextCursor; cursor; ) {
            const page = (await call({ ...cmd.args, limit: 50, cursor })) as unknown as ClusterScan;
            images.push(...page.images);
            cursor = page.nextCursor;
        }
        const data = { ...first, images, nextCursor: null };
        out(cmd.json ? JSON.stringify(data, null, 2) : clusterReport(data));
        return clusterExit(data);
    } catch (e) {
        if (e instanceof UsageError) {
            err(`acr-streaming-mcp: ${e.message}`);
            return EXIT.usage;
        }
        if (isToolError(e)) {
            err(redact(e.toText()));
            return e.code === 'INVALID_INPUT' ? EXIT.usage : EXIT.unknown;
        }
        throw e;
    } finally {
        process.off('SIGINT', onSignal);
    }
}

class UsageError extends Error {}

/** `--describe-file -` reads stdin (e.g. `kubectl describe pod x | acr-streaming-mcp diagnose IMAGE --describe-file -`). */
async function readDescribeFile(path: string): Promise<string> {
    try {
        if (path === '-') {
            const chunks: Buffer[] = [];
            for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
            return Buffer.concat(chunks).toString('utf8');
        }
        return await readFile(path, 'utf8');
    } catch (e) {
        throw new UsageError(`--describe-file ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e)}`);
    }
}

export function diagnosisExit(verdict: Diagnosis['verdict']): number {
    return verdict === 'streams' ? EXIT.streams : verdict === 'will_not_stream' ? EXIT.willNotStream : EXIT.unknown;
}

export function registryExit(d: RegistryScan): number {
    if (!d.supported || d.candidates.some(c => c.streaming !== 'converted')) return EXIT.willNotStream;
    return d.scanned.unreadRepositories > 0 || d.scanned.truncated ? EXIT.unknown : EXIT.streams;
}

export function clusterExit(d: Pick<ClusterScan, 'images'>): number {
    if (d.images.some(i => i.verdict === 'will_not_stream')) return EXIT.willNotStream;
    return d.images.some(i => i.verdict === 'unknown') ? EXIT.unknown : EXIT.streams;
}

const range = (r: readonly [number, number]) => (r[0] === r[1] ? formatSeconds(r[0]) : `${formatSeconds(r[0])}–${formatSeconds(r[1])}`);
const fixLine = (f: { azCommand?: string; kubectlCommand?: string; explanation: string }) => f.azCommand ?? f.kubectlCommand ?? f.explanation;

export function registryReport(d: RegistryScan): string {
    const s = d.scanned;
    const lines = [`${d.registry}: ${s.repositories} repositories, ${s.images} tagged images, ${s.eligible} can stream${s.truncated ? ' (truncated: narrow it with --prefix)' : ''}`];
    if (s.unreadRepositories) lines.push(`  ${s.unreadRepositories} repositories could not be read`);
    for (const b of d.blockers) lines.push(`  BLOCKER ${b.code}: ${fixLine(b.fix)}`);
    lines.push('', 'Images that would gain most (estimated seconds saved per pod start):');
    d.candidates.forEach((c, i) => {
        const auto = c.autoConversion === null ? '' : c.autoConversion ? ', auto-conversion on' : ', auto-conversion off';
        lines.push(`${String(i + 1).padStart(3)}. ${c.image}  ${formatBytes(c.sizeBytes)}  ${c.streaming}${auto}  saves ${range(c.estimate.savedSeconds)}`);
        if (c.fix) lines.push(`       fix: ${fixLine(c.fix)}`);
    });
    if (d.candidates.length === 0) lines.push('  (none)');
    const top = d.candidates[0];
    if (top) lines.push('', `${top.image}:`, renderTimeline(top.estimate));
    return lines.join('\n');
}

export function clusterReport(d: ClusterScan): string {
    const s = d.scanned;
    const where = d.namespace ? `${d.cluster}, namespace ${d.namespace}` : d.cluster;
    const lines = [`${where}: ${s.images} Azure Container Registry images in ${s.pods} pods; ${s.notStreaming} do not stream or could not be confirmed${s.otherImages ? `; ${s.otherImages} other images cannot stream` : ''}`, ''];
    d.images.forEach((i, n) => {
        const pods = `${i.podCount} pod${i.podCount === 1 ? '' : 's'} (${i.pods.slice(0, 3).join(', ')}${i.podCount > 3 ? ', …' : ''})`;
        const pull = i.lastPullSeconds !== null ? `, last pull ${formatSeconds(i.lastPullSeconds)}` : '';
        const lost = i.lostSeconds ? `, ~${formatSeconds(i.lostSeconds)} lost per start` : '';
        lines.push(`${String(n + 1).padStart(3)}. ${i.verdict.padEnd(15)} ${i.image}  ${pods}, pools ${i.nodePools.join(',') || '?'}${pull}${lost}`);
        if (i.firstBlocker) lines.push(`       ${i.firstBlocker.code}: ${fixLine(i.firstBlocker.fix)}`);
    });
    const top = d.images.find(i => i.verdict !== 'streams' && i.estimate);
    if (top?.estimate) lines.push('', `${top.image}:`, renderTimeline(top.estimate));
    return lines.join('\n');
}
