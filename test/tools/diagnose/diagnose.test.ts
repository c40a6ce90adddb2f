/** streaming_diagnose through an MCP client against the demo world: pasted evidence, fix plans, bad input. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxApp, textOf, type SandboxApp } from '../../helpers/sandbox-app.js';

let t: SandboxApp;
beforeAll(async () => {
    t = await startSandboxApp({ sandbox: { behaviour: { conversionSeconds: 3600 } } });
});
afterAll(async () => t?.close());

type Out = {
    verdict: string;
    findings: { code: string; severity: string; evidence: string; fix: { tool?: { name: string; arguments: Record<string, unknown> }; azCommand?: string } }[];
    checked: { layer: string; status: string; note?: string }[];
    fixPlan: { step: number; code?: string; tool?: { name: string; arguments: Record<string, unknown> }; azCommand?: string }[];
    estimate: { fullPullSeconds: number[]; calibratedFrom: string | null; assumptions: Record<string, number> } | null;
};
const diagnose = async (args: Record<string, unknown>) => {
    const r = await t.call('streaming_diagnose', args);
    expect(r.isError, textOf(r)).toBeFalsy();
    return { out: r.structuredContent as Out, text: textOf(r) };
};
const codes = (o: Out) => o.findings.map(f => f.code);

describe('streaming_diagnose', () => {
    it('the slow trainer: a running conversion, the measured 3m32.4s pull, and a timeline scaled to it', async () => {
        const { out, text } = await diagnose({ image: 'contosoacr.azurecr.io/ml/trainer:v2', cluster: 'aks-prod', namespace: 'ml', pod: 'trainer-1' });
        expect(out.verdict).toBe('will_not_stream');
        expect(codes(out)).toEqual(['IMAGE_CONVERSION_RUNNING', 'POD_SLOW_PULL']);
        expect(out.findings[1]!.evidence).toContain('3m32.4s');
        expect(out.estimate).toMatchObject({ fullPullSeconds: [212.4, 212.4], calibratedFrom: 'pod events' });
        expect(text).toMatch(/full pull {2}█+ → start {2}3m32s \(measured: pod events\)\nstreaming {2}█+ → start ░+ \(rest on demand\)/);
    });

    it('pasted kubectl describe alone: the acr-mirror 503 is a blocker; the cluster side is not checked', async () => {
        const podDescription = readFileSync('test/fixtures/kubectl/describe-mirror-1.35.txt', 'utf8');
        const { out } = await diagnose({ image: 'contosoacr.azurecr.io/ml/trainer:v1', podDescription });
        expect(out.verdict).toBe('will_not_stream');
        expect(codes(out)).toEqual(['POD_MIRROR_UNAVAILABLE', 'POD_PULL_FAILING', 'FACT_UNAVAILABLE']);
        expect(out.findings[0]!.evidence).toMatch(/Warning Failed \(x4\): ".*localhost:8578.*503 Service Unavailable"/);
        expect(out.checked.find(c => c.layer === 'pod')).toMatchObject({ status: 'checked', note: 'from pasted kubectl output' });
        expect(out.checked.find(c => c.layer === 'cluster')).toMatchObject({ status: 'skipped' });
    });

    it('pasted text names the pod: with the cluster given, the Kubernetes API is read for it', async () => {
        const podDescription = 'Name:         frontend-0\nNamespace:    web\n';
        const { out } = await diagnose({ image: 'contosoacr.azurecr.io/web/frontend:1.4.0', cluster: 'aks-prod', podDescription });
        expect(codes(out)).toContain('POD_PULL_SECRET');
        expect(out.checked.find(c => c.layer === 'pod')?.note).toBeUndefined();
    });

    it('names a change tool in the fix plan only when this server registers it, and the az command always', async () => {
        const tools = new Set((await t.client.listTools()).tools.map(x => x.name));
        const { out } = await diagnose({ image: 'contosoacr.azurecr.io/ml/inference:v3', cluster: 'aks-prod', nodePool: 'cpupool' });
        expect(out.verdict).toBe('will_not_stream');
        const pool = out.fixPlan.find(s => s.code === 'NODEPOOL_STREAMING_DISABLED')!;
        const image = out.fixPlan.find(s => s.code === 'IMAGE_NOT_CONVERTED')!;
        expect(pool.azCommand).toBe('az aks nodepool update -g rg-aks-prod --cluster-name aks-prod -n cpupool --enable-artifact-streaming');
        expect(image.azCommand).toBe('az acr artifact-streaming create -n contosoacr --image ml/inference:v3');
        expect(pool.tool?.name).toBe(tools.has('aks_set_nodepool_streaming') ? 'aks_set_nodepool_streaming' : undefined);
        expect(image.tool?.name).toBe(tools.has('acr_create_streaming_artifact') ? 'acr_create_streaming_artifact' : undefined);
        expect(out.fixPlan.map(s => s.step)).toEqual(out.fixPlan.map((_, i) => i + 1));
    });

    it('every change tool a fix plan names accepts its arguments and answers with a plan', async () => {
        const { out } = await diagnose({ image: 'contosoacr.azurecr.io/ml/inference:v3', cluster: 'aks-prod', nodePool: 'cpupool' });
        const steps = out.fixPlan.filter(s => s.tool);
        expect(steps.length).toBeGreaterThan(0);
        for (const s of steps) {
            const tool = s.tool!;
            const r = await t.call(tool.name, tool.arguments);
            expect(r.isError, `${tool.name} ${JSON.stringify(tool.arguments)}: ${textOf(r)}`).toBeFalsy();
            expect((r.structuredContent as { status: string }).status).toBe('plan');
        }
    });

    it.each([
        [{ image: 'contosoacr.azurecr.io/ml/trainer:v1', pod: 'trainer-0' }, /A pod needs its cluster/],
        [{ image: 'contosoacr.azurecr.io/ml/trainer:v1', cluster: 'aks-prod', namespace: 'Not_A_Namespace', pod: 'x' }, /Namespace .* is not accepted/],
        [{ image: 'contosoacr.azurecr.io/ml/trainer:v1', cluster: 'aks prod' }, /Cluster name is not valid/],
        [{ image: 'contosoacr.azurecr.io/ml/trainer:v1', podDescription: 'nothing kubectl would print' }, /podDescription holds no pod or events/],
        [{ image: 'docker.io/library/nginx:latest' }, /INVALID_INPUT|not an Azure Container Registry|azurecr\.io/]
    ])('refuses %o with an actionable error', async (args, message) => {
        const r = await t.call('streaming_diagnose', args);
        expect(r.isError).toBe(true);
        expect(textOf(r)).toMatch(message);
        expect(textOf(r)).not.toMatch(/\n\s+at /);
    });
});
