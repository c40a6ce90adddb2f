/** streaming_scan_registry through an MCP client against the demo world: "which images should we convert first?" */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxApp, textOf, type SandboxApp } from '../../helpers/sandbox-app.js';
import { scanRegistryTool } from '../../../src/tools/diagnose/scan-registry.js';
import { structuredOf } from '../../helpers/structured.js';
import { must } from '../../helpers/must.js';

let t: SandboxApp;
beforeAll(async () => {
    // A long conversion keeps ml/trainer:v2 converting however slow the machine is.
    t = await startSandboxApp({ sandbox: { behaviour: { conversionSeconds: 3600 } } });
});
afterAll(async () => t?.close());

const scan = async (args: Record<string, unknown>) => {
    const r = await t.call('streaming_scan_registry', args);
    expect(r.isError, textOf(r)).toBeFalsy();
    return { out: structuredOf(scanRegistryTool, r), text: textOf(r) };
};
const registryLog = (name: string) => t.sb.requestLog.entries(e => e.listener === `registry:${name}`);

describe('streaming_scan_registry', () => {
    it('ranks the images that can stream by seconds saved, with streaming state, auto-conversion flag and the fix', async () => {
        const { out, text } = await scan({ registry: 'contosoacr', limit: 50 });
        expect(out.candidates.map(c => c.image)).toEqual([
            'contosoacr.azurecr.io/data/warehouse:2025.10',
            'contosoacr.azurecr.io/ml/trainer:v2',
            'contosoacr.azurecr.io/ml/trainer:v1',
            'contosoacr.azurecr.io/ml/inference:v4',
            'contosoacr.azurecr.io/ml/inference:v3',
            'contosoacr.azurecr.io/web/frontend:1.4.0',
            'contosoacr.azurecr.io/tools/busybox:1.37'
        ]);
        const saved = out.candidates.map(c => c.estimate.savedSeconds[0] + c.estimate.savedSeconds[1]);
        expect([...saved].sort((a, b) => b - a)).toEqual(saved);
        const by = (image: string) => out.candidates.find(c => c.image.endsWith(image))!;
        expect([by('trainer:v1').streaming, by('trainer:v2').streaming, by('inference:v3').streaming, by('inference:v4').streaming]).toEqual(['converted', 'converting', 'none', 'failed']);
        expect([by('trainer:v1').autoConversion, by('inference:v3').autoConversion]).toEqual([true, false]);
        // What an amd64 node pulls: the amd64 entry of the index, not the whole index.
        expect(by('frontend:1.4.0').platforms).toEqual(['linux/amd64', 'linux/arm64']);
        expect(by('frontend:1.4.0').sizeBytes).toBe(by('frontend:1.4.0').estimate.sizeBytes);
        expect(by('frontend:1.4.0').sizeBytes).toBeLessThan(200 * 1024 ** 2 + 4096);
        expect(by('trainer:v1').fix).toBeNull();
        expect(by('trainer:v2').fix).toBeNull();
        expect(must(by('inference:v3').fix, 'the fix for inference:v3').azCommand).toBe('az acr artifact-streaming create -n contosoacr --image ml/inference:v3');
        expect(must(by('inference:v3').fix, 'the fix for inference:v3').explanation).toContain('az acr artifact-streaming update -n contosoacr --repository ml/inference --enable-streaming true');
        // The change tool that applies the fix, with its arguments (it plans first and asks for confirmation).
        expect(must(by('inference:v3').fix, 'the fix for inference:v3').tool).toEqual({ name: 'acr_create_streaming_artifact', arguments: { image: 'contosoacr.azurecr.io/ml/inference:v3' } });
        expect(out.scanned).toEqual({ repositories: 9, images: 11, eligible: 7, unreadRepositories: 0, truncated: false });
        expect(out).toMatchObject({ supported: true, blockers: [], nextCursor: null });
        expect(text).toContain('1. contosoacr.azurecr.io/data/warehouse:2025.10');
    });

    it('names the change tool only when this server registers it (--read-only)', async () => {
        const ro = await startSandboxApp({ config: { readOnly: true } });
        try {
            const r = await ro.call('streaming_scan_registry', { registry: 'contosoacr', limit: 50 });
            const v3 = structuredOf(scanRegistryTool, r).candidates.find(c => c.image.endsWith('inference:v3'));
            expect(v3?.fix?.azCommand).toBe('az acr artifact-streaming create -n contosoacr --image ml/inference:v3');
            expect(v3?.fix?.tool).toBeUndefined();
        } finally {
            await ro.close();
        }
    });

    it('pages with an opaque cursor: every row once, in ranking order, and the later pages cost no listing', async () => {
        const all = (await scan({ registry: 'contosoacr', limit: 50 })).out.candidates.map(c => c.image);
        t.sb.requestLog.clear();
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
            const { out } = await scan({ registry: 'contosoacr', limit: 3, ...(cursor ? { cursor } : {}) });
            seen.push(...out.candidates.map(c => c.image));
            cursor = out.nextCursor ?? undefined;
            pages++;
        } while (cursor);
        expect(pages).toBe(3);
        expect(seen).toEqual(all);
        // The listing snapshot of the first call serves the next ones.
        expect(registryLog('contosoacr').filter(e => e.path.endsWith('/_manifests') || e.path === '/acr/v1/_catalog')).toEqual([]);
    });

    it('is cheap: one listing call per repository, streaming lookups only for the rows returned, one token exchange', async () => {
        const fresh = await startSandboxApp({ sandbox: { behaviour: { conversionSeconds: 3600 } } });
        try {
            const r = await fresh.call('streaming_scan_registry', { registry: 'contosoacr', limit: 2 });
            expect(r.isError, textOf(r)).toBeFalsy();
            const log = fresh.sb.requestLog.entries(e => e.listener === 'registry:contosoacr');
            const count = (p: (path: string) => boolean) => log.filter(e => p(e.path)).length;
            expect(count(p => p.endsWith('/_manifests'))).toBe(9);
            expect(count(p => p.includes('/referrers/'))).toBe(2);
            expect(count(p => /\/v2\/.+\/(manifests|blobs)\//.test(p))).toBe(0);
            expect(count(p => p === '/oauth2/exchange')).toBe(1);
            // Metadata scopes for the listing and pull scopes for the page: one token request each.
            expect(count(p => p === '/oauth2/token')).toBe(3);
        } finally {
            await fresh.close();
        }
    });

    it('a registry that cannot stream: the blocker and its fix, no streaming endpoint called, nothing to convert', async () => {
        t.sb.requestLog.clear();
        const { out, text } = await scan({ registry: 'fabrikamstd' });
        expect(out.supported).toBe(false);
        expect(out.blockers.map(b => b.code)).toEqual(['REGISTRY_NOT_PREMIUM']);
        expect(out.blockers[0]!.fix.azCommand).toBe('az acr update -n fabrikamstd -g rg-fabrikam --sku Premium');
        expect(out.candidates).toMatchObject([{ image: 'fabrikamstd.azurecr.io/api/orders:v1', streaming: 'none', autoConversion: null, fix: null }]);
        expect(registryLog('fabrikamstd').filter(e => e.path.includes('_streaming'))).toEqual([]);
        expect(text).toContain('cannot stream');
    });

    it('narrows to a repository prefix', async () => {
        const { out } = await scan({ registry: 'contosoacr', repositoryPrefix: 'ml/' });
        expect(out.candidates.map(c => c.image.split('/').slice(1, 3).join('/').split(':')[0])).toEqual(['ml/trainer', 'ml/trainer', 'ml/inference', 'ml/inference']);
        expect(out.scanned.repositories).toBe(2);
    });

    it('refuses bad input with an actionable error', async () => {
        const bad = async (args: Record<string, unknown>, what: RegExp) => {
            const r = await t.call('streaming_scan_registry', args);
            expect(r.isError).toBe(true);
            expect(textOf(r)).toMatch(what);
        };
        await bad({ registry: 'contosoacr', repositoryPrefix: 'ML/../' }, /repository prefix is not valid/);
        await bad({ registry: 'contosoacr', cursor: 'not-a-cursor' }, /cursor is not valid/);
        const { out } = await scan({ registry: 'contosoacr', limit: 1 });
        await bad({ registry: 'contosoacr', repositoryPrefix: 'ml/', cursor: out.nextCursor }, /cursor belongs to another scan/);
        await bad({ registry: 'nosuchregistry' }, /nosuchregistry/);
        await bad({ registry: 'x' }, /registry/i);
    });
});
