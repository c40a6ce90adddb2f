/** acr_get_repository_streaming: the auto-conversion flag (convertPushedImages) of one or all repositories. */
import * as z from 'zod/v4';
import { mapLimit } from '../../azure/concurrency.js';
import { assertRegistryName, assertRepositoryName, assertResourceGroup, REPOSITORY_NAME } from '../../azure/names.js';
import { registrySupport } from '../../streaming/registry-rules.js';
import { defineTool } from '../define-tool.js';
import { ToolError } from '../../tool-error.js';
import { cursorArg, decodeCursor, encodeCursor, MAX_ARG_LENGTH, registryArg, resourceGroupArg } from '../shared.js';

/** Parallel `_streaming` reads per page: enough to hide latency, few enough not to trip throttling. */
export const REPOSITORY_CONCURRENCY = 8;

const repoOut = z.object({ repository: z.string(), convertPushedImages: z.boolean() });

export const getRepositoryStreamingTool = defineTool({
    name: 'acr_get_repository_streaming',
    title: 'Show repository auto-conversion',
    description:
        'Shows whether new pushes to a repository are converted to streaming artifacts (convertPushedImages); without ' +
        '`repository`, for every repository (paginated). Use it before enabling auto-conversion or to audit a registry. ' +
        'Not for one image (acr_inspect_image).',
    toolset: 'acr',
    kind: 'read',
    openWorld: true,
    input: z.object({
        registry: registryArg,
        resourceGroup: resourceGroupArg.optional(),
        repository: z.string().max(MAX_ARG_LENGTH).optional().describe('e.g. "ml/trainer"; omit to list all'),
        limit: z.number().int().min(1).max(200).default(50).describe('Repositories per page when listing all'),
        cursor: cursorArg
    }),
    output: z.object({
        registry: z.string(),
        repository: z.string().optional().describe('With repository'),
        convertPushedImages: z.boolean().optional().describe('With repository'),
        repositories: z.array(repoOut).optional().describe('Without repository'),
        nextCursor: z.string().nullable().optional().describe('Without repository; null on the last page')
    }),
    async handler(args, rt) {
        const name = assertRegistryName(args.registry);
        const resourceGroup = assertResourceGroup(args.resourceGroup);
        const repository = args.repository === undefined ? undefined : assertRepositoryName(args.repository);
        const after = decodeCursor(args.cursor, s => REPOSITORY_NAME.test(s));
        const azure = await rt.azure();
        const reg = await azure.findRegistry(name, { resourceGroup, abortSignal: rt.signal });
        const support = registrySupport(reg);
        if (!support.supported) {
            throw new ToolError(
                `Registry ${reg.name} cannot use artifact streaming`,
                support.reasons.map(r => r.message).join('; '),
                'streaming needs a Premium registry without customer-managed keys: `az acr update -n ' + reg.name + ' --sku Premium`',
                'REGISTRY_UNSUPPORTED'
            );
        }
        if (repository) {
            const { convertPushedImages } = await azure.getRepositoryStreaming(reg, repository, { abortSignal: rt.signal });
            return {
                data: { registry: reg.name, repository, convertPushedImages },
                summary: `${reg.loginServer}/${repository}: auto-conversion is ${convertPushedImages ? 'on (new pushes are converted)' : 'off'}.`
            };
        }
        const page = await azure.listRepositories(reg, { n: args.limit, last: after, abortSignal: rt.signal });
        // One token request for the whole page; each read below then finds its token cached.
        await azure.authorizeRepositories(reg, page.repositories, { abortSignal: rt.signal });
        const repositories = await mapLimit(page.repositories, REPOSITORY_CONCURRENCY, async repo => ({
            repository: repo,
            ...(await azure.getRepositoryStreaming(reg, repo, { abortSignal: rt.signal }))
        }));
        const nextCursor = page.last ? encodeCursor(page.last) : null;
        const on = repositories.filter(r => r.convertPushedImages).map(r => r.repository);
        const summary =
            `${repositories.length} repositor${repositories.length === 1 ? 'y' : 'ies'} in ${reg.loginServer}; auto-conversion on for ${on.length}` +
            `${on.length ? `: ${on.slice(0, 10).join(', ')}${on.length > 10 ? ', …' : ''}` : ''}${nextCursor ? ' (more: pass nextCursor)' : ''}.`;
        return { data: { registry: reg.name, repositories, nextCursor }, summary };
    }
});
