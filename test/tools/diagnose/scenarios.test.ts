/**
 * The scenario worlds (test/worlds/, one table in scenarios.json): each world through streaming_diagnose over
 * MCP against the sandbox, with exactly the expected verdict and finding codes: every code appears when its
 * condition holds in the world, and no other code appears.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../../../src/streaming/findings.js';
import { startSandboxApp, textOf } from '../../helpers/sandbox-app.js';

interface Scenario {
    world: string;
    description: string;
    call: Record<string, unknown>;
    verdict: 'streams' | 'will_not_stream' | 'unknown';
    codes: string[];
}

const dir = 'test/worlds';
const scenarios = JSON.parse(readFileSync(join(dir, 'scenarios.json'), 'utf8')) as Scenario[];

describe('scenario worlds', () => {
    it('are at least 30, and together produce every finding code', () => {
        expect(scenarios.length).toBeGreaterThanOrEqual(30);
        // IMAGE_IS_STREAMING_ARTIFACT needs the streaming artifact's digest, which only the registry knows: the last test.
        expect(new Set([...scenarios.flatMap(s => s.codes), 'IMAGE_IS_STREAMING_ARTIFACT'])).toEqual(new Set(FINDING_CODES));
    });

    it('the streaming artifact itself, referenced by digest: IMAGE_IS_STREAMING_ARTIFACT', async () => {
        const t = await startSandboxApp({ sandbox: { world: join(dir, '01-healthy.json') } });
        try {
            const inspected = (await t.call('acr_inspect_image', { image: 'contosoacr.azurecr.io/ml/trainer:v1' })).structuredContent as { streamingArtifact: { digest: string } };
            const r = await t.call('streaming_diagnose', { image: `contosoacr.azurecr.io/ml/trainer@${inspected.streamingArtifact.digest}`, cluster: 'aks-prod', nodePool: 'gpupool' });
            const out = r.structuredContent as { verdict: string; findings: { code: string }[] };
            expect({ verdict: out.verdict, codes: out.findings.map(f => f.code) }).toEqual({ verdict: 'will_not_stream', codes: ['IMAGE_IS_STREAMING_ARTIFACT'] });
        } finally {
            await t.close();
        }
    });

    it.each(scenarios.map(s => [s.world, s] as const))('%s', async (_name, s) => {
        const t = await startSandboxApp({ sandbox: { world: join(dir, s.world) } });
        try {
            const r = await t.call('streaming_diagnose', s.call);
            expect(r.isError, textOf(r)).toBeFalsy();
            const out = r.structuredContent as { verdict: string; findings: { code: string; evidence: string; fix: { explanation: string } }[]; checked: { status: string }[] };
            expect({ verdict: out.verdict, codes: [...new Set(out.findings.map(f => f.code))].sort() }, `${s.description}\n${textOf(r)}`).toEqual({ verdict: s.verdict, codes: s.codes });
            for (const f of out.findings) expect(f.evidence.length, f.code).toBeGreaterThan(5);
            if (s.verdict === 'unknown') expect(out.checked.some(c => c.status !== 'checked')).toBe(true);
            expect(textOf(r)).toContain(s.verdict === 'streams' ? 'streams' : s.verdict === 'unknown' ? 'unknown' : 'will NOT stream');
        } finally {
            await t.close();
        }
    });
});
