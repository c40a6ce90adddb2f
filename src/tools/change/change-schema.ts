/**
 * The one plan/result shape every change tool returns (issue 8; docs/tools.md), shared so that tools/list
 * carries it once in spirit and the model learns one pattern. Tool-specific detail lives in `current`,
 * `desired` and `result`, whose shapes each tool documents in its description.
 */
import * as z from 'zod/v4';

/** Field names say what they hold; descriptions are left out to keep tools/list small (5 tools share it). */
export const planSchema = z.object({
    action: z.string(),
    target: z.string(),
    current: z.unknown(),
    desired: z.unknown(),
    sideEffects: z.array(z.string()),
    warnings: z.array(z.string()).optional(),
    requiredRole: z.string(),
    azCommand: z.string()
});

export const changeOutput = z.object({
    status: z.enum(['plan', 'applied', 'no_change', 'declined', 'cancelled']),
    plan: planSchema,
    confirmationToken: z.string().optional(),
    expiresAt: z.string().optional(),
    /** With status applied: what was done (operation ids, states); tool-specific. */
    result: z.unknown().optional()
});

export type PublicPlan = z.input<typeof planSchema>;
export type ChangeOutput = z.input<typeof changeOutput>;

export const confirmationTokenArg = z
    .string()
    .max(2048)
    .optional()
    .describe('Omit for a plan; pass its token once the user agreed');

/** The elicitation form: one checkbox under the plan text. */
export const confirmFormSchema = z.object({ confirm: z.boolean().meta({ title: 'Apply this change' }) });
