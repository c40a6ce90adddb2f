/**
 * --confirm values, in a leaf module so config.ts can validate them without loading any tool:
 * `auto` asks the user through an elicitation form when the client can, else returns a plan + token;
 * `token` always returns a plan + token; `elicit` accepts only the user's form answer.
 */
export const CONFIRM_MODES = ['auto', 'token', 'elicit'] as const;
export type ConfirmMode = (typeof CONFIRM_MODES)[number];
