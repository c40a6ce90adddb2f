/**
 * The output schemas the diagnosis tools share (streaming_diagnose, the scans, acr_inspect_image's estimate):
 * one finding schema and one estimate schema, so `tools/list` describes them once in the same words.
 * The shapes are those of src/streaming/ (findings.ts, estimate.ts, verdict.ts, fix-plan.ts).
 */
import * as z from 'zod/v4';
import { FINDING_CODES } from '../streaming/findings.js';

export const severitySchema = z.enum(['blocker', 'warning', 'info']);
export const verdictSchema = z.enum(['streams', 'will_not_stream', 'unknown']);

const toolCallSchema = z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()) });

export const fixSchema = z.object({
    explanation: z.string(),
    azCommand: z.string().optional(),
    kubectlCommand: z.string().optional(),
    tool: toolCallSchema.optional().describe('The change tool that applies the fix (plans first, then asks to confirm)')
});

export const findingSchema = z.object({
    code: z.enum(FINDING_CODES as [string, ...string[]]),
    severity: severitySchema,
    title: z.string(),
    evidence: z.string().describe('What was seen (a field value, an event message)'),
    fix: fixSchema,
    source: z.string().describe('Where the rule comes from')
});

export const checkedSchema = z.object({
    layer: z.enum(['registry', 'repository', 'image', 'conversion', 'cluster', 'acrPull', 'nodePool', 'pod']),
    subject: z.string(),
    status: z.enum(['checked', 'unavailable', 'not_found', 'skipped']),
    note: z.string().optional()
});

export const fixStepSchema = z.object({
    step: z.number().int(),
    code: z.string().optional(),
    explanation: z.string(),
    tool: toolCallSchema.optional(),
    azCommand: z.string().optional(),
    kubectlCommand: z.string().optional()
});

const range = z.tuple([z.number(), z.number()]).describe('[low, high] seconds');

export const estimateSchema = z.object({
    sizeBytes: z.number().describe('Compressed bytes the node pulls'),
    fullPullSeconds: range,
    streamingStartSeconds: range,
    savedSeconds: range,
    assumptions: z.object({
        bandwidthMBps: z.number(),
        extractMBps: z.number(),
        fractionReadAtStart: z.number(),
        firstByteSeconds: z.number(),
        measuredPullSeconds: z.number().optional()
    }),
    calibratedFrom: z.enum(['pod events']).nullable(),
    sources: z.array(z.string())
});

/** Optional overrides of the estimate's assumptions, as a tool argument. */
export const assumptionsArg = z
    .object({
        bandwidthMBps: z.number().positive().max(100_000).optional(),
        extractMBps: z.number().positive().max(100_000).optional(),
        fractionReadAtStart: z.number().min(0).max(1).optional(),
        firstByteSeconds: z.number().min(0).max(3600).optional()
    })
    .describe('Override the start-up estimate\'s assumptions (MB/s, fraction, seconds)');
