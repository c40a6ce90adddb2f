/** acr_list_registries: the registries in the subscription and whether each can use artifact streaming. */
import * as z from 'zod/v4';
import { mapLimit } from '../../azure/concurrency.js';
import { assertRegistryName, assertResourceGroup, REGISTRY_NAME } from '../../azure/names.js';
import type { RegistryInfo } from '../../azure/types.js';
import { registrySupport } from '../../streaming/registry-rules.js';
import { defineTool } from '../define-tool.js';
import { cursorArg, decodeCursor, encodeCursor, reasonSchema, registryArg, resourceGroupArg } from '../shared.js';

const registryOut = z.object({
    name: z.string(),
    resourceGroup: z.string(),
    loginServer: z.string(),
    location: z.string(),
    sku: z.string(),
    customerManagedKey: z.boolean(),
    replications: z.array(z.string()).describe('Locations of geo-replicas'),
    streamingSupported: z.boolean(),
    reasons: z.array(reasonSchema)
});

export const listRegistriesTool = defineTool({
    name: 'acr_list_registries',
    title: 'List registries and their streaming support',
    description:
        "Lists the subscription's registries with SKU, customer-managed key, replicas and whether they support artifact " +
        'streaming (Premium, no CMK). Use it to find registry names or check registry prerequisites. Not for images or ' +
        'repositories (acr_inspect_image, acr_get_repository_streaming).',
    toolset: 'acr',
    kind: 'read',
    openWorld: true,
    input: z.object({
        registry: registryArg.optional(),
        resourceGroup: resourceGroupArg.optional(),
        limit: z.number().int().min(1).max(200).default(50).describe('Registries per page'),
        cursor: cursorArg
    }),
    output: z.object({ registries: z.array(registryOut), nextCursor: z.string().nullable() }),
    async handler(args, rt) {
        const registry = args.registry === undefined ? undefined : assertRegistryName(args.registry);
        const resourceGroup = assertResourceGroup(args.resourceGroup);
        const after = decodeCursor(args.cursor, s => REGISTRY_NAME.test(s));
        const azure = await rt.azure();
        const all: RegistryInfo[] = registry
            ? [await azure.findRegistry(registry, { resourceGroup, abortSignal: rt.signal })]
            : await azure.listRegistries({ resourceGroup, abortSignal: rt.signal });
        const sorted = [...all].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
        const start = after ? sorted.findIndex(r => r.name.toLowerCase() > after.toLowerCase()) : 0;
        const page = start < 0 ? [] : sorted.slice(start, start + args.limit);
        const more = start >= 0 && start + args.limit < sorted.length;
        const registries = await mapLimit(page, 8, async reg => {
            const support = registrySupport(reg);
            return {
                name: reg.name,
                resourceGroup: reg.resourceGroup,
                loginServer: reg.loginServer,
                location: reg.location,
                sku: reg.sku,
                customerManagedKey: reg.customerManagedKey,
                replications: await azure.replicationLocations(reg, { abortSignal: rt.signal }),
                streamingSupported: support.supported,
                reasons: support.reasons
            };
        });
        const nextCursor = more ? encodeCursor(page[page.length - 1]!.name) : null;
        const lines = registries.map(r => `${r.name} (${r.sku}${r.customerManagedKey ? ', CMK' : ''}): streaming ${r.streamingSupported ? 'supported' : 'not supported'}`);
        const summary = registries.length === 0 ? `No registries found in subscription ${azure.subscriptionId}.` : `${registries.length} registr${registries.length === 1 ? 'y' : 'ies'}: ${lines.join('; ')}${nextCursor ? ' (more: pass nextCursor)' : ''}.`;
        return { data: { registries, nextCursor }, summary };
    }
});
