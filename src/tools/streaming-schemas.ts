/**
 * The output schemas the diagnosis tools share (streaming_diagnose, the scans, acr_inspect_image's estimate):
 * one finding schema and one estimate schema, so `tools/list` describes them once, in few bytes (tools/list
 * is the model's context). The shapes are those of src/streaming/ (findings.ts, estimate.ts, verdict.ts,
 * fix-plan.ts); docs/tools.md lists the finding codes.
 */
import * as z from 'zod/v4';

export const severitySchema = z.enum(['blocker', 'warning', 'info']);
export const verdictSchema = z.enum(['streams', 'will_not_stream', 'unknown']);

/** `{ explanation, azCommand?, kubectlCommand?, tool?: { name, arguments } }`; only the required field is spelled out (bytes). */
export const fixSchema = z.looseObject({ explanation: z.string() }).describe('+ azCommand, kubectlCommand, tool');

export const findingSchema = z.looseObject({ code: z.string(), severity: severitySchema, evidence: z.string(), fix: fixSchema }).describe('+ title, source');

/** `{ layer, subject, status: checked | unavailable | not_found | skipped, note? }`. */
export const checkedSchema = z.looseObject({ layer: z.string(), status: z.string() });

export const fixStepSchema = z.looseObject({ step: z.number(), explanation: z.string() }).describe('+ code, commands, tool');

const range = z.tuple([z.number(), z.number()]);

/** estimate.ts's Estimate: the three ranges spelled out; calibratedFrom (null | "pod events") and the rest named only. */
export const estimateSchema = z
    .looseObject({ fullPullSeconds: range, streamingStartSeconds: range, savedSeconds: range })
    .describe('[low, high] s; + calibratedFrom, sizeBytes, assumptions, sources');
