/**
 * Argument completion for the prompts from live data, through the same Azure access the tools use (so the
 * sandbox too): registries, repositories, tags inside an image reference, clusters and node pools, with the
 * arguments given before as context (a repository needs its registry), as the MCP reference servers do.
 *
 * Completion runs on every keystroke, so each list is fetched once and kept briefly per Azure access (the
 * process's, or on the team server each signed-in user's: server.ts promptDepsFor), every
 * lookup has a short time limit, and a failure offers nothing rather than an error (the user is typing, not
 * asking). The SDK answers at most 100 values (the spec's limit) with `hasMore` beyond.
 */
import type { AzureAccess } from '../azure/azure-access.js';
import { newCallActivity, runInCall } from '../call-activity.js';
import type { PromptDeps } from './prompt-deps.js';

/** Long enough for a burst of keystrokes, short enough that a new repository shows up soon. */
const CACHE_MS = 30_000;
/** A completion the user waits for: beyond this, nothing is better than a stall. */
const LOOKUP_MS = 5_000;
/** Tags offered per repository, newest first. */
const MAX_TAGS = 100;
/** Repositories listed per registry (one page of the catalog). */
const MAX_REPOSITORIES = 1000;

export type LiveSource = Pick<PromptDeps, 'azure' | 'log'>;

type Args = Record<string, string> | undefined;
type Completer = (value: string, context?: { arguments?: Record<string, string> }) => Promise<string[]>;

interface Entry {
    at: number;
    values: Promise<string[]>;
}

/** One cache per Azure access (the process's, or one user's): per-connection servers of the same identity share it. */
const caches = new WeakMap<AzureAccess, Map<string, Entry>>();

async function cachedList(source: LiveSource, key: string, load: (azure: AzureAccess, signal: AbortSignal) => Promise<string[]>): Promise<string[]> {
    if (!source.azure) return [];
    try {
        const azure = await source.azure();
        let cache = caches.get(azure);
        if (!cache) caches.set(azure, (cache = new Map()));
        const hit = cache.get(key);
        if (hit && Date.now() - hit.at < CACHE_MS) return await hit.values;
        const activity = newCallActivity(`completion ${key}`, Date.now() + LOOKUP_MS, line => source.log?.debug(line));
        const values = runInCall(activity, () => load(azure, AbortSignal.timeout(LOOKUP_MS)));
        const entry = { at: Date.now(), values };
        cache.set(key, entry);
        // A failure is not kept: the next keystroke may try again (e.g. after `az login`).
        values.catch(() => cache.get(key) === entry && cache.delete(key));
        return await values;
    } catch (e) {
        source.log?.debug(`completion ${key} offered nothing: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
        return [];
    }
}

/** The values that start with what was typed (case-insensitive), once each; sorted unless the order means something. */
function matching(values: readonly string[], prefix: string, keepOrder = false): string[] {
    const p = prefix.toLowerCase();
    const hits = [...new Set(values)].filter(v => v.toLowerCase().startsWith(p));
    return keepOrder ? hits : hits.sort();
}

export function liveCompletions(source: LiveSource) {
    const registries = () => cachedList(source, 'registries', async (azure, abortSignal) => (await azure.listRegistries({ abortSignal })).map(r => r.name));
    const loginServers = () =>
        cachedList(source, 'login-servers', async (azure, abortSignal) => (await azure.listRegistries({ abortSignal })).map(r => r.loginServer));
    const repositories = (registry: string) =>
        cachedList(source, `repositories ${registry.toLowerCase()}`, async (azure, abortSignal) => {
            const reg = await azure.findRegistry(registry, { abortSignal });
            return (await azure.listRepositories(reg, { abortSignal, n: MAX_REPOSITORIES })).repositories;
        });
    const tags = (registry: string, repository: string) =>
        cachedList(source, `tags ${registry.toLowerCase()}/${repository}`, async (azure, abortSignal) => {
            const reg = await azure.findRegistry(registry, { abortSignal });
            const { images } = await azure.listImagesNewestFirst(reg, repository, { max: MAX_TAGS, abortSignal });
            return images.flatMap(i => i.tags);
        });
    const clusters = () => cachedList(source, 'clusters', async (azure, abortSignal) => (await azure.listClusters({ abortSignal })).map(c => c.name));
    const nodePools = (cluster: string) =>
        cachedList(source, `node-pools ${cluster.toLowerCase()}`, async (azure, abortSignal) => {
            const found = await azure.findCluster(cluster, { abortSignal });
            return (await azure.listAgentPools(found, { abortSignal })).map(p => p.name);
        });
    const arg = (context: { arguments?: Record<string, string> } | undefined, name: string): string | undefined => (context?.arguments as Args)?.[name]?.trim() || undefined;

    return {
        registry: (async value => matching(await registries(), value)) satisfies Completer,
        repository: (async (value, context) => {
            const registry = arg(context, 'registry');
            return registry ? matching(await repositories(registry), value) : [];
        }) satisfies Completer,
        cluster: (async value => matching(await clusters(), value)) satisfies Completer,
        /** Without a cluster: `fallback` (the names AKS gives by default). */
        nodePool: (fallback: readonly string[]): Completer =>
            async (value, context) => {
                const cluster = arg(context, 'cluster');
                return matching(cluster ? await nodePools(cluster) : fallback, value);
            },
        /** `<login server>/`, then `<login server>/<repository>`, then `…:<tag>`, following what is typed. */
        image: (async value => {
            const slash = value.indexOf('/');
            const servers = await loginServers();
            if (slash === -1) return matching(servers.map(s => `${s}/`), value);
            // Only a login server Resource Manager reported: a typed look-alike host gets nothing.
            const host = servers.find(s => s.toLowerCase() === value.slice(0, slash).toLowerCase());
            const registry = host?.split('.')[0];
            if (!host || !registry) return [];
            const rest = value.slice(slash + 1);
            const colon = rest.indexOf(':');
            if (colon === -1) return rest.includes('@') ? [] : matching((await repositories(registry)).map(r => `${host}/${r}`), value);
            const repository = rest.slice(0, colon);
            // Newest tags first, as the registry lists them.
            return matching((await tags(registry, repository)).map(t => `${host}/${repository}:${t}`), value, true);
        }) satisfies Completer
    };
}
