/**
 * streaming_scan_registry: the images of a registry that would gain most from artifact streaming, ranked by
 * estimated seconds saved at pod start. Ranked from listing calls alone (registry-snapshot.ts); the streaming
 * state and the repository flag are read only for the rows returned, so a page costs a few calls more than the
 * listing however large the registry is.
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
import type { Estimate } from '../../streaming/estimate.js';
import { cursorArg, formatBytes, MAX_ARG_LENGTH, registryArg, resourceGroupArg } from '../shared.js';
import { defineTool, type ToolRuntime } from '../define-tool.js';
import { estimateSchema, fixSchema } from '../streaming-schemas.js';
import { blockerSchema } from './scan-schemas.js';
import { registrySnapshot } from './registry-snapshot.js';
import { decodeScanCursor, encodeScanCursor } from './scan-cursor.js';
import { usableFix } from './usable-fix.js';

/** Streaming-state lookups in flight for one page (two calls each at most). */
export const PAGE_CONCURRENCY = 8;


const candidateSchema = z.object({
    image: z.string().describe('Reference by tag (only pulls by tag stream)'),
    sizeBytes: z.number().describe('Compressed bytes a linux/amd64 node pulls'),
    platforms: z.array(z.string()).describe('os/architecture entries'),
    streaming: z.enum(['converted', 'converting', 'failed', 'none']),
    autoConversion: z.boolean().nullable().describe("The repository's convertPushedImages (null: unreadable)"),
    estimate: estimateSchema,
    fix: fixSchema.nullable().describe('The change that would convert it; null when it already streams or is converting')
});

export const scanRegistryTool = defineTool({
    name: 'streaming_scan_registry',
    title: 'Rank a registry\'s images by what streaming would save',
    description:
        'Ranks the images of one registry (or of the repositories under a prefix) by the seconds artifact streaming would ' +
        'save at pod start, with each image\'s streaming state, its repository\'s auto-conversion flag and the change that ' +
        'would convert it. Use it for "which images should we convert first?". Paginated. Not for one image or for why one ' +
        'pod starts slowly.',
    toolset: 'diagnose',
    kind: 'read',
    openWorld: true,
    input: z.object({
        registry: registryArg,
        resourceGroup: resourceGroupArg.optional(),
        repositoryPrefix: z.string().max(MAX_ARG_LENGTH).optional().describe('Only repositories whose name starts with this, e.g. "ml/"'),
        limit: z.number().int().min(1).max(50).default(10).describe('Images per page (1-50, default 10)'),
        cursor: cursorArg
    }),
    output: z.object({
        registry: z.string(),
        supported: z.boolean().describe('The registry itself can stream (Premium, no customer-managed key)'),
        blockers: z.array(blockerSchema).describe('Registry-level blockers: no image streams until they are fixed'),
        candidates: z.array(candidateSchema),
        scanned: z.object({ repositories: z.number(), images: z.number(), eligible: z.number(), unreadRepositories: z.number(), truncated: z.boolean() }),
        nextCursor: z.string().nullable().describe('Pass it back to get the next page; null on the last page')
    }),
    async handler(args, rt) {
        const name = assertRegistryName(args.registry);
        const resourceGroup = assertResourceGroup(args.resourceGroup);
        const prefix = assertRepositoryPrefix(args.repositoryPrefix ?? '');
        const scope = `registry:${name.toLowerCase()}/${prefix}`;
        const after = decodeScanCursor(args.cursor, scope);
        const azure = await rt.azure();
        const call = { abortSignal: rt.signal };
        const reg = await azure.findRegistry(name, { ...call, resourceGroup });
        const blockers = registryFindings({ name: reg.name, resourceGroup: reg.resourceGroup, sku: reg.sku, customerManagedKey: reg.customerManagedKey });
        const supported = blockers.length === 0;

        const snap = await registrySnapshot(azure, reg, prefix, rt.signal, (done, total) => void rt.progress(done, total, `listed ${done} of ${total} repositories`).catch(() => undefined));
        const ranked = rankImages(reg.loginServer, snap.images, bytes => estimateStartup(bytes));
        const at = (row: Ranked<Estimate>) => position(reg.loginServer, row);
        const { page, more } = pageAfter(ranked.rows, at, args.limit, after);
        const candidates = await describePage(azure, reg, page, supported, rt);
        const lastRow = page[page.length - 1];
        const nextCursor = more && lastRow ? encodeScanCursor({ scope, ...at(lastRow) }) : null;
        const scanned = {
            repositories: snap.repositories,
            images: snap.images.length,
            eligible: ranked.rows.length,
            unreadRepositories: snap.unread.count,
            truncated: snap.truncated
        };
        return {
            data: { registry: reg.name, supported, blockers: blockers.map(f => ({ code: f.code, fix: usableFix(f.fix, rt) })), candidates, scanned, nextCursor },
            summary: summarize(reg, prefix, scanned, candidates, supported, snap.unread.first, nextCursor !== null)
        };
    }
});

async function describePage(azure: AzureAccess, reg: RegistryInfo, page: Ranked<Estimate>[], supported: boolean, rt: ToolRuntime) {
    const repos = [...new Set(page.map(r => r.image.repository))];
    // One token request for the page's pull scopes; the lookups below find them cached.
    const call = { abortSignal: rt.signal };
    await azure.authorizeRepositories(reg, repos, call);
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
    return mapLimit(page, PAGE_CONCURRENCY, async r => {
        const [streaming, autoConversion] = await Promise.all([
            azure.streamingState(reg, r.image.repository, r.image.digest, { ...call, operations: supported }),
            flag(r.image.repository)
        ]);
        return {
            image: rowImage(reg.loginServer, r),
            sizeBytes: r.pullBytes,
            platforms: r.image.platforms.map(p => `${p.os}/${p.architecture}`),
            streaming,
            autoConversion,
            estimate: r.estimate,
            fix: supported ? conversionFix(reg, r, streaming, autoConversion, rt) : null
        };
    });
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
    scanned: { repositories: number; images: number; eligible: number; unreadRepositories: number; truncated: boolean },
    candidates: { image: string; sizeBytes: number; streaming: string; estimate: Estimate }[],
    supported: boolean,
    unread: string | undefined,
    more: boolean
): string {
    const head =
        `Scanned ${scanned.repositories} repositor${scanned.repositories === 1 ? 'y' : 'ies'}${prefix ? ` under "${prefix}"` : ''} of ${reg.loginServer}: ` +
        `${scanned.images} tagged images, ${scanned.eligible} can stream.${scanned.truncated ? ' (Truncated: too many repositories; narrow it with repositoryPrefix.)' : ''}`;
    const warn = scanned.unreadRepositories > 0 ? ` ${scanned.unreadRepositories} repositories could not be read (${unread ?? 'see the log'}).` : '';
    const gate = supported ? '' : ' The registry itself cannot stream yet (see blockers): fix that first.';
    const rows = candidates
        .slice(0, 5)
        .map((c, i) => `${i + 1}. ${c.image} (${formatBytes(c.sizeBytes)}, ${c.streaming}): saves ~${c.estimate.savedSeconds[0]}-${c.estimate.savedSeconds[1]} s per pod start`)
        .join('\n');
    const tail = candidates.length > 5 ? `\n… ${candidates.length - 5} more on this page.` : '';
    return `${head}${warn}${gate}${rows ? `\n${rows}${tail}` : '\nNothing to rank.'}${more ? '\nMore: pass nextCursor.' : ''}`;
}
