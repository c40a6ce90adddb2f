/**
 * streaming_scan_registry: the images of a registry that would gain most from artifact streaming, ranked by
 * estimated seconds saved at pod start. Ranked from listing calls alone (registry-snapshot.ts); the streaming
 * state and the repository flag are read only for the rows returned, so a page costs a few calls more than the
 * listing however large the registry is.
 *
 * A scan that runs short of time (the call's deadline, a registry throttling hard) returns what it has rather
 * than failing (scan-budget.ts): the rows of the repositories listed so far, ranked among themselves, and a
 * cursor whose range continues after the last of them, so the pages together cover every repository once.
 */
import * as z from 'zod/v4';
import type { AzureAccess, RegistryInfo, StreamingState } from '../../azure/azure-access.js';
import { mapLimit } from '../../azure/concurrency.js';
import { assertRegistryName, assertRepositoryPrefix, assertResourceGroup } from '../../azure/names.js';
import { estimateStartup } from '../../streaming/estimate.js';
import type { Fix } from '../../streaming/findings.js';
import { fixes } from '../../streaming/fixes.js';
import { registryFindings } from '../../streaming/registry-rules.js';
import { pageAfter, position, rankImages, rowImage, type Ranked } from '../../streaming/scan-ranking.js';
import { isToolError } from '../../tool-error.js';
import type { Estimate } from '../../streaming/estimate.js';
import { cursorArg, formatBytes, MAX_ARG_LENGTH, registryArg, resourceGroupArg } from '../shared.js';
import { defineTool, type ToolRuntime } from '../define-tool.js';
import { estimateSchema, fixSchema } from '../streaming-schemas.js';
import { blockerSchema } from './scan-schemas.js';
import { registrySnapshot, type RepositoryRange, type Snapshot } from './registry-snapshot.js';
import { phaseSignal, scanBudget, stopText, type StopReason } from './scan-budget.js';
import { decodeScanCursor, encodeScanCursor, type ScanCursor } from './scan-cursor.js';
import { usableFix } from './usable-fix.js';

/** Streaming-state lookups in flight for one page (two calls each at most). */
export const PAGE_CONCURRENCY = 8;


const candidateSchema = z.object({
    image: z.string().describe('By tag (only pulls by tag stream)'),
    sizeBytes: z.number().describe('Compressed bytes a linux/amd64 node pulls'),
    platforms: z.array(z.string()).describe('os/architecture'),
    streaming: z.enum(['converted', 'converting', 'failed', 'none']),
    autoConversion: z.boolean().nullable().describe("The repository's convertPushedImages; null: unreadable"),
    estimate: estimateSchema,
    fix: fixSchema.nullable().describe('Converts it; null when it streams or is converting')
});

export const scanRegistryTool = defineTool({
    name: 'streaming_scan_registry',
    title: 'Rank a registry\'s images by streaming gain',
    description:
        "Ranks a registry's images by the seconds artifact streaming would save at pod start, with each image's " +
        'streaming state, auto-conversion flag and the fix that converts it. Use it for "which images should we convert ' +
        'first?". Paginated. Not for one image or why one pod starts slowly.',
    toolset: 'diagnose',
    kind: 'read',
    openWorld: true,
    input: z.object({
        registry: registryArg,
        resourceGroup: resourceGroupArg.optional(),
        repositoryPrefix: z.string().max(MAX_ARG_LENGTH).optional().describe('Repository name prefix, e.g. "ml/"'),
        limit: z.number().int().min(1).max(50).default(10).describe('Images per page'),
        cursor: cursorArg
    }),
    output: z.object({
        registry: z.string(),
        supported: z.boolean().describe('Premium, no customer-managed key'),
        blockers: z.array(blockerSchema).describe('No image streams until they are fixed'),
        candidates: z.array(candidateSchema),
        scanned: z.object({ repositories: z.number(), images: z.number(), eligible: z.number(), unreadRepositories: z.number(), truncated: z.boolean() }),
        nextCursor: z.string().nullable().describe('null on the last page')
    }),
    async handler(args, rt) {
        const name = assertRegistryName(args.registry);
        const resourceGroup = assertResourceGroup(args.resourceGroup);
        const prefix = assertRepositoryPrefix(args.repositoryPrefix ?? '');
        const scope = `registry:${name.toLowerCase()}/${prefix}`;
        const cursor = decodeScanCursor(args.cursor, scope);
        const range: RepositoryRange = cursor?.range ?? { after: '' };
        const budget = scanBudget();
        const azure = await rt.azure();
        const call = { abortSignal: rt.signal };
        const reg = await azure.findRegistry(name, { ...call, resourceGroup });
        const blockers = registryFindings({ name: reg.name, resourceGroup: reg.resourceGroup, sku: reg.sku, customerManagedKey: reg.customerManagedKey });
        const supported = blockers.length === 0;

        const listed = (done: number, total: number) => void rt.progress(done, total, `listed ${done} of ${total} repositories`).catch(() => undefined);
        const snap = await registrySnapshot({ azure, reg, prefix, signal: rt.signal, stopAt: budget.listUntil, progress: listed }, range);
        const ranked = rankImages(reg.loginServer, snap.images, bytes => estimateStartup(bytes));
        const at = (row: Ranked<Estimate>) => position(reg.loginServer, row);
        // The rows rank the repositories listed: the range asked for, or up to where listing stopped.
        const ranged: RepositoryRange = snap.stopped ? { after: range.after, through: snap.names.at(-1) ?? range.after } : range;
        // Listing stopped short of a range already paged into: its rows cannot continue that ranking; nothing is returned.
        const stale = snap.stopped !== undefined && cursor?.position !== undefined;
        const { page, more } = stale ? { page: [], more: false } : pageAfter(ranked.rows, at, args.limit, cursor?.position);
        const described = await describePage(azure, reg, page, supported, rt, budget.describeUntil);
        const candidates = described.rows;
        const lastRow = page[candidates.length - 1];
        const next = stale ? cursor : nextCursor(scope, range, ranged, snap, lastRow ? at(lastRow) : cursor?.position, described.stopped !== undefined || more);
        const scanned = {
            repositories: snap.names.length,
            images: snap.images.length,
            eligible: ranked.rows.length,
            unreadRepositories: snap.unread.names.length,
            truncated: snap.truncated
        };
        const stop = snap.stopped ? { reason: snap.stopped, text: stale ? 'its range of repositories could not be listed again in time, so nothing is returned; pass nextCursor again (listing continues where it stopped)' : `listing stopped after "${ranged.through}": these rows rank the repositories listed so far` } : described.stopped ? { reason: described.stopped, text: `${candidates.length} of the page's ${page.length} rows were described` } : undefined;
        return {
            data: { registry: reg.name, supported, blockers: blockers.map(f => ({ code: f.code, fix: usableFix(f.fix, rt) })), candidates, scanned, nextCursor: next ? encodeScanCursor(next) : null },
            summary: summarize(reg, prefix, cursor?.range ? ranged : undefined, scanned, candidates, supported, snap.unread.first, next !== undefined, stop)
        };
    }
});

/**
 * Where the next page starts: further into the same ranking while it has rows (`midRange`), else the
 * repositories after the ranged ones (to the end, or to the end of a range that stopped early), else nothing.
 */
function nextCursor(scope: string, asked: RepositoryRange, ranged: RepositoryRange, snap: Snapshot, last: ScanCursor['position'], midRange: boolean): ScanCursor | undefined {
    const whole = ranged.after === '' && ranged.through === undefined;
    if (midRange) return { scope, ...(last ? { position: last } : {}), ...(!whole || !last ? { range: ranged } : {}) };
    if (ranged.through === undefined) return undefined;
    return { scope, range: { after: ranged.through, ...(snap.stopped && asked.through !== undefined ? { through: asked.through } : {}) } };
}

type Candidate = Awaited<ReturnType<typeof describeRow>>;

/** The page's rows, described in order until `until` or until the registry throttles beyond the retries. */
async function describePage(azure: AzureAccess, reg: RegistryInfo, page: Ranked<Estimate>[], supported: boolean, rt: ToolRuntime, until: number): Promise<{ rows: Candidate[]; stopped?: StopReason }> {
    if (page.length === 0) return { rows: [] };
    const phase = phaseSignal(rt.signal, until);
    const call = { abortSignal: phase.signal };
    const unless = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
        try {
            return await work();
        } catch (e) {
            if (rt.signal.aborted || !(phase.signal.aborted || (isToolError(e) && e.code === 'THROTTLED'))) throw e;
            phase.stop('throttled');
            return undefined;
        }
    };
    try {
        const repos = [...new Set(page.map(r => r.image.repository))];
        // One token request for the page's pull scopes; the lookups below find them cached.
        if ((await unless(() => azure.authorizeRepositories(reg, repos, call).then(() => true))) === undefined) return { rows: [], stopped: phase.stopped() ?? 'deadline' };
        const flags = new Map<string, Promise<boolean | null>>();
        const flag = (repo: string) => {
            let p = flags.get(repo);
            if (!p) {
                // A registry that cannot stream refuses the setting endpoint: there is no flag to show.
                p = supported ? azure.getRepositoryStreaming(reg, repo, call).then(f => f.convertPushedImages, () => null) : Promise.resolve(null);
                flags.set(repo, p);
            }
            return p;
        };
        const rows = await mapLimit(page, PAGE_CONCURRENCY, r => (phase.signal.aborted ? Promise.resolve(undefined) : unless(() => describeRow(azure, reg, r, supported, flag, call, rt))));
        const gap = rows.findIndex(r => r === undefined);
        if (gap < 0) return { rows: rows as Candidate[] };
        return { rows: rows.slice(0, gap) as Candidate[], stopped: phase.stopped() ?? 'deadline' };
    } finally {
        phase.dispose();
    }
}

async function describeRow(azure: AzureAccess, reg: RegistryInfo, r: Ranked<Estimate>, supported: boolean, flag: (repo: string) => Promise<boolean | null>, call: { abortSignal: AbortSignal }, rt: ToolRuntime) {
    const [streaming, autoConversion] = await Promise.all([azure.streamingState(reg, r.image.repository, r.image.digest, { ...call, operations: supported }), flag(r.image.repository)]);
    return {
        image: rowImage(reg.loginServer, r),
        sizeBytes: r.pullBytes,
        platforms: r.image.platforms.map(p => `${p.os}/${p.architecture}`),
        streaming,
        autoConversion,
        estimate: r.estimate,
        fix: supported ? conversionFix(reg, r, streaming, autoConversion, rt) : null
    };
}

function conversionFix(reg: RegistryInfo, r: Ranked<Estimate>, streaming: StreamingState, autoConversion: boolean | null, rt: ToolRuntime): Fix | null {
    if (streaming === 'converted' || streaming === 'converting') return null;
    const target = { text: rowImage(reg.loginServer, r), registry: reg.name, loginServer: reg.loginServer, repository: r.image.repository, tag: r.tag };
    const fix = fixes.convert(target, streaming === 'failed' ? 'The last conversion failed; convert it again (a transient UNKNOWN_ERROR usually passes on retry).' : undefined);
    const auto = autoConversion === false ? ` New pushes to ${r.image.repository} are not converted either: \`${fixes.autoConversion(target).azCommand}\`.` : '';
    return usableFix({ ...fix, explanation: fix.explanation + auto }, rt);
}

function summarize(
    reg: RegistryInfo,
    prefix: string,
    range: RepositoryRange | undefined,
    scanned: { repositories: number; images: number; eligible: number; unreadRepositories: number; truncated: boolean },
    candidates: { image: string; sizeBytes: number; streaming: string; estimate: Estimate }[],
    supported: boolean,
    unread: string | undefined,
    more: boolean,
    stop: { reason: StopReason; text: string } | undefined
): string {
    const within = range ? `${range.after ? ` after "${range.after}"` : ''}${range.through !== undefined ? ` through "${range.through}"` : ''}` : '';
    const head =
        `Scanned ${scanned.repositories} repositor${scanned.repositories === 1 ? 'y' : 'ies'}${prefix ? ` under "${prefix}"` : ''}${within} of ${reg.loginServer}: ` +
        `${scanned.images} tagged images, ${scanned.eligible} can stream.${scanned.truncated ? ' (Truncated: too many repositories; narrow it with repositoryPrefix.)' : ''}`;
    const early = stop ? ` Stopped early (${stopText(stop.reason)}): ${stop.text}.` : '';
    const warn = scanned.unreadRepositories > 0 ? ` ${scanned.unreadRepositories} repositories could not be read (${unread ?? 'see the log'}).` : '';
    const gate = supported ? '' : ' The registry itself cannot stream yet (see blockers): fix that first.';
    const rows = candidates
        .slice(0, 5)
        .map((c, i) => `${i + 1}. ${c.image} (${formatBytes(c.sizeBytes)}, ${c.streaming}): saves ~${c.estimate.savedSeconds[0]}-${c.estimate.savedSeconds[1]} s per pod start`)
        .join('\n');
    const tail = candidates.length > 5 ? `\n… ${candidates.length - 5} more on this page.` : '';
    return `${head}${early}${warn}${gate}${rows ? `\n${rows}${tail}` : '\nNothing to rank.'}${more ? '\nMore: pass nextCursor.' : ''}`;
}
