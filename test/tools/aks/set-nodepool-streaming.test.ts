/** aks_set_nodepool_streaming through an MCP client against the sandbox: plan, confirm, apply, watch, read back. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxApp, textOf, type SandboxApp } from '../../helpers/sandbox-app.js';
import { waitFor } from '../../helpers/wait-for.js';
import { aksClient } from '../../sandbox/sandbox-clients.js';
import { changeWorld } from '../change/change-world.js';

const TOOL = 'aks_set_nodepool_streaming';
const open: SandboxApp[] = [];
afterEach(async () => {
    await Promise.all(open.splice(0).map(t => t.close()));
});
async function sandboxApp(world = changeWorld()): Promise<SandboxApp> {
    const t = await startSandboxApp({ sandbox: { world } });
    open.push(t);
    return t;
}

const poolPuts = (t: SandboxApp, pool: string) => t.sb.requestLog.entries(e => e.listener === 'arm' && e.method === 'PUT' && e.path.endsWith(`/agentPools/${pool}`));
const okPuts = (t: SandboxApp, pool: string) => poolPuts(t, pool).filter(e => e.status === 200 && e.fault === undefined).length;
const args = (nodePool: string, enabled = true) => ({ cluster: 'aks-change', nodePool, enabled });

async function poolStatus(t: SandboxApp, name: string) {
    const s = (await t.call('aks_get_streaming_status', { cluster: 'aks-change' })).structuredContent as { nodePools: { name: string; artifactStreaming: boolean; provisioningState: string | null }[] };
    return s.nodePools.find(p => p.name === name)!;
}

describe('aks_set_nodepool_streaming', () => {
    it('plans (nodes reimaged, how many, the az command), applies with If-Match, and the read tool shows the pool settle', async () => {
        const t = await sandboxApp();
        const plan = (await t.call(TOOL, args('gpupool'))).structuredContent as any;
        expect(plan).toMatchObject({
            status: 'plan',
            plan: {
                current: { enabled: false, provisioningState: 'Succeeded' },
                desired: { enabled: true },
                azCommand: 'az aks nodepool update --resource-group rg-change --cluster-name aks-change --name gpupool --enable-artifact-streaming',
                requiredRole: expect.stringMatching(/Azure Kubernetes Service Contributor/)
            }
        });
        expect(plan.plan.sideEffects.join(' ')).toMatch(/All 3 node\(s\) of gpupool are reimaged/);
        expect(poolPuts(t, 'gpupool')).toHaveLength(0);

        const applied = (await t.call(TOOL, { ...args('gpupool'), confirmationToken: plan.confirmationToken })).structuredContent as any;
        expect(applied).toMatchObject({ status: 'applied', result: { enabled: true, provisioningState: 'Updating', settled: false, operationId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
        expect(okPuts(t, 'gpupool')).toBe(1);
        expect(await poolStatus(t, 'gpupool')).toMatchObject({ artifactStreaming: true });
        await waitFor(async () => (await poolStatus(t, 'gpupool')).provisioningState === 'Succeeded', 20_000, 'the pool to settle');

        // The same token again: the pool (and its ETag) changed since the plan.
        const replay = await t.call(TOOL, { ...args('gpupool'), confirmationToken: plan.confirmationToken });
        expect(textOf(replay)).toMatch(/state changed since this plan/);
        expect((await t.call(TOOL, args('gpupool'))).structuredContent).toMatchObject({ status: 'no_change' });
        expect(okPuts(t, 'gpupool')).toBe(1);
    });

    it('with wait, sends provisioning-state progress in order until the pool settles', async () => {
        const t = await sandboxApp();
        // `wait` only shapes the call: a plan made without it confirms a call with it.
        const plan = (await t.call(TOOL, args('gpupool'))).structuredContent as any;
        const progress: { progress: number; message?: string }[] = [];
        const r = (await t.client.callTool(
            { name: TOOL, arguments: { ...args('gpupool'), wait: true, confirmationToken: plan.confirmationToken } },
            { onprogress: p => void progress.push(p) }
        )) as any;
        expect(r.structuredContent).toMatchObject({ status: 'applied', result: { provisioningState: 'Succeeded', settled: true } });
        expect(progress.length).toBeGreaterThanOrEqual(1);
        expect(progress.map(p => p.progress)).toEqual([...progress.map(p => p.progress)].sort((a, b) => a - b));
        expect(progress.at(-1)?.message).toBe('provisioningState Succeeded');
    });

    it('refuses a Windows pool before any ARM write', async () => {
        const t = await sandboxApp();
        const r = await t.call(TOOL, args('npwin'));
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(/Windows pool[\s\S]*Linux node pools only/);
        expect(poolPuts(t, 'npwin')).toHaveLength(0);
    });

    it('warns on Arm64 pools and OS SKUs that cannot stream, without refusing', async () => {
        const t = await sandboxApp();
        const arm = (await t.call(TOOL, args('armpool'))).structuredContent as any;
        expect(arm.status).toBe('plan');
        expect(arm.plan.warnings.join(' ')).toMatch(/Arm64/);
        const flatcar = (await t.call(TOOL, args('flatcar'))).structuredContent as any;
        expect(flatcar.plan.warnings.join(' ')).toMatch(/Flatcar/);
    });

    it('a change someone made to the pool after the plan makes the token stale', async () => {
        const t = await sandboxApp();
        const plan = (await t.call(TOOL, args('gpupool'))).structuredContent as any;
        const aks = aksClient(t.sb);
        const pool = await aks.agentPools.get('rg-change', 'aks-change', 'gpupool');
        await aks.agentPools.createOrUpdate('rg-change', 'aks-change', 'gpupool', { ...pool, count: 4 }, { updateIntervalInMs: 20 });
        const r = await t.call(TOOL, { ...args('gpupool'), confirmationToken: plan.confirmationToken });
        expect(textOf(r)).toMatch(/state changed since this plan/);
        expect(t.sb.world.clusters[0]?.agentPools.find(p => p.name === 'gpupool')).toMatchObject({ count: 4, artifactStreaming: false });
    });

    it('the write carries the ETag read: a concurrent change in between is refused by Azure (412), not reverted', async () => {
        const t = await sandboxApp();
        const azure = await t.app.azure();
        const o = { abortSignal: new AbortController().signal };
        const cluster = await azure.findCluster('aks-change', o);
        const read = await azure.getPoolForChange(cluster, 'gpupool', o);
        const aks = aksClient(t.sb);
        await aks.agentPools.createOrUpdate('rg-change', 'aks-change', 'gpupool', { ...read.raw, count: 5 }, { updateIntervalInMs: 20 });
        await expect(azure.setPoolStreaming(cluster, read, true, { ...o, requiredRole: 'x' })).rejects.toMatchObject({ code: 'CONCURRENT_CHANGE' });
        expect(poolPuts(t, 'gpupool').map(e => e.status)).toEqual([200, 412]);
        expect(t.sb.world.clusters[0]?.agentPools.find(p => p.name === 'gpupool')).toMatchObject({ count: 5, artifactStreaming: false });
    });

    it('without a pool-writing role the error names the role and nothing changes', async () => {
        const t = await sandboxApp(changeWorld({ clusterRoles: ['Reader'] }));
        const plan = (await t.call(TOOL, args('gpupool'))).structuredContent as any;
        const r = await t.call(TOOL, { ...args('gpupool'), confirmationToken: plan.confirmationToken });
        expect(textOf(r)).toMatch(/permission denied[\s\S]*Azure Kubernetes Service Contributor Role/);
        expect(okPuts(t, 'gpupool')).toBe(0);
    });

    it('5xx during apply: a clear error; retrying with the same token applies once', async () => {
        const t = await sandboxApp();
        const plan = (await t.call(TOOL, args('gpupool'))).structuredContent as any;
        t.sb.faults.add({ method: 'PUT', path: '/subscriptions/*/agentPools/gpupool', status: 503, times: 10 });
        const failed = await t.call(TOOL, { ...args('gpupool'), confirmationToken: plan.confirmationToken });
        expect(textOf(failed)).toMatch(/server error/);
        t.sb.faults.clear();
        expect((await t.call(TOOL, { ...args('gpupool'), confirmationToken: plan.confirmationToken })).structuredContent).toMatchObject({ status: 'applied' });
        expect((await t.call(TOOL, { ...args('gpupool'), confirmationToken: plan.confirmationToken })).isError).toBe(true);
        expect(okPuts(t, 'gpupool')).toBe(1);
    });
});
