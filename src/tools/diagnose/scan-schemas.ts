/** Schemas the two scans share beyond streaming-schemas.ts. */
import * as z from 'zod/v4';
import { fixSchema } from '../streaming-schemas.js';

/** A blocker as the scans report it: its finding code and the fix (tools.md: `firstBlocker: { code, fix }`). */
export const blockerSchema = z.object({ code: z.string(), fix: fixSchema });
