/**
 * The change-tool framework: every tool that changes Azure is a defineChangeTool({ …, plan, apply }).
 * The framework owns the rules of issue 8 so no tool can skip them:
 * - `plan` reads the current state and checks preconditions (throwing ToolErrors); it changes nothing.
 * - Without a valid confirmation the call returns the plan (and a token, or an elicitation form).
 * - With a token, the state is read again (a fresh `plan`) and the token must match the tool, the
 *   arguments, the state fingerprint and the expiry; only then does `apply` run.
 * - Changing to the current state is `no_change` (a tool may add what is already under way: `unchanged`);
 *   every applied change writes one audit line.
 */
import type * as z from 'zod/v4';
import { ToolError } from '../../tool-error.js';
import { defineTool, type ToolDefinition, type ToolOutput, type ToolRuntime } from '../define-tool.js';
import type { Toolset } from '../toolsets.js';
import { changeOutput, confirmationTokenArg, type ChangeOutput, type PublicPlan } from './change-schema.js';
import { writeAudit } from './change-runtime.js';

export interface Planned<S = unknown> extends PublicPlan {
    /** Desired equals current: nothing to do. */
    noChange: boolean;
    /** The facts the plan depends on (JSON-able); a token confirms only while they are unchanged. */
    fingerprint: unknown;
    /** What apply needs (looked-up resources); never shown. */
    context: S;
}

export interface Applied {
    /** The state after the change, for the result and the audit line. */
    after: unknown;
    operationId?: string | null;
    result: Record<string, unknown>;
    summary: string;
}

export interface ChangeToolSpec<I extends z.ZodObject, S> {
    name: string;
    title: string;
    description: string;
    toolset: Toolset;
    kind: 'change' | 'destructive';
    /** The tool's own arguments; `confirmationToken` is added by the framework. */
    input: I;
    /**
     * Arguments that shape how the call runs, not what it changes (e.g. `wait`): left out of the token, so a
     * plan made without them can be applied with them.
     */
    notConfirmed?: readonly (keyof z.output<I> & string)[];
    /** Reads the state and checks every precondition (ToolErrors with specific codes); writes nothing. */
    plan(args: z.output<I>, rt: ToolRuntime): Promise<Planned<S>>;
    /**
     * Writes (through AzureAccess's write methods, passing `planned.requiredRole`). Once a write was accepted,
     * return rather than throw, also when a following wait is cancelled (catch the abort and say so in the
     * result), so the audit line is written; when several writes are made, stop at the first failure and put
     * what was and was not done in the result.
     */
    apply(args: z.output<I>, planned: Planned<S>, rt: ToolRuntime): Promise<Applied>;
    /**
     * Optional: what a `no_change` result reports besides the plan, e.g. the id of a change already under way
     * (and, when asked to, waiting for it). Runs without confirmation, so it must not change anything.
     */
    unchanged?(args: z.output<I>, planned: Planned<S>, rt: ToolRuntime): Promise<Pick<Applied, 'result' | 'summary'>>;
}

const publicPlan = ({ noChange: _n, fingerprint: _f, context: _c, ...plan }: Planned): PublicPlan => plan;

function show(value: unknown): string {
    return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The plan as text: the summary of a plan result and the message of the confirmation form. */
export function planText(p: PublicPlan): string {
    return [
        `${p.action} (${p.target}).`,
        `Now: ${show(p.current)}. After: ${show(p.desired)}.`,
        ...(p.sideEffects.length ? [`Side effects: ${p.sideEffects.join(' ')}`] : []),
        ...(p.warnings?.length ? [`Warnings: ${p.warnings.join(' ')}`] : []),
        `Needs: ${p.requiredRole}.`,
        `Equivalent: ${p.azCommand}`
    ].join('\n');
}

export function defineChangeTool<I extends z.ZodObject, S>(spec: ChangeToolSpec<I, S>): ToolDefinition {
    const input = spec.input.extend({ confirmationToken: confirmationTokenArg });
    const out = (data: ChangeOutput, summary: string): ToolOutput<ChangeOutput> => ({ data, summary });

    async function applyNow(args: z.output<I>, planned: Planned<S>, rt: ToolRuntime, by: 'token' | 'elicitation') {
        const applied = await spec.apply(args, planned, rt);
        writeAudit(rt.changes, {
            time: new Date().toISOString(),
            tool: spec.name,
            target: planned.target,
            before: planned.current,
            after: applied.after,
            operationId: applied.operationId ?? null,
            session: rt.changes.session ?? null,
            confirmedBy: by,
            ...(rt.changes.user ? { oid: rt.changes.user.oid, upn: rt.changes.user.upn } : {})
        });
        return out({ status: 'applied', plan: publicPlan(planned), result: applied.result }, applied.summary);
    }

    async function noChange(args: z.output<I>, planned: Planned<S>, rt: ToolRuntime) {
        const plan = publicPlan(planned);
        const extra = await spec.unchanged?.(args, planned, rt);
        if (!extra) return out({ status: 'no_change', plan }, `Nothing to change: ${planned.target} is already as requested.`);
        return out({ status: 'no_change', plan, result: extra.result }, extra.summary);
    }

    const def = defineTool({
        name: spec.name,
        title: spec.title,
        description: spec.description,
        toolset: spec.toolset,
        kind: spec.kind,
        openWorld: true,
        input,
        output: changeOutput,
        async handler(all, rt) {
            const { confirmationToken, ...rest } = all as z.output<I> & { confirmationToken?: string };
            const args = rest as z.output<I>;
            const c = rt.changes;
            const planned = await spec.plan(args, rt);
            const plan = publicPlan(planned);
            const user = c.user?.oid;
            const confirmed = Object.fromEntries(Object.entries(args).filter(([k]) => !spec.notConfirmed?.includes(k as never)));
            const verify = (token: string) => c.signer.verify(token, spec.name, confirmed, planned.fingerprint, user);

            if (confirmationToken !== undefined) {
                if (c.mode === 'elicit') {
                    throw new ToolError(
                        'This server accepts confirmations only from the user',
                        'it runs with --confirm elicit: changes are confirmed in a form the client shows the user, not with a token',
                        'call the tool without confirmationToken from a client that supports elicitation',
                        'CONFIRMATION_NEEDS_USER'
                    );
                }
                verify(confirmationToken);
                if (planned.noChange) return noChange(args, planned, rt);
                return applyNow(args, planned, rt, 'token');
            }
            if (planned.noChange) return noChange(args, planned, rt);

            if (c.answer) {
                if (c.answer.action !== 'accept' || !c.answer.confirmed) {
                    const status = c.answer.action === 'cancel' ? 'cancelled' : 'declined';
                    const message = `The user ${status === 'cancelled' ? 'cancelled the confirmation' : 'did not confirm'}; nothing was changed.`;
                    return out({ status, plan }, message);
                }
                // The form showed the plan made from this state: refuse if it changed while the user read it.
                if (!c.answer.state) throw new ToolError('The confirmation arrived without its plan', 'the client did not return the request state', 'call the tool again', 'CONFIRMATION_INVALID');
                verify(c.answer.state);
                return applyNow(args, planned, rt, 'elicitation');
            }

            const issued = c.signer.issue(spec.name, confirmed, planned.fingerprint, user);
            if (c.mode !== 'token' && c.canElicit) {
                return { ...out({ status: 'plan', plan }, planText(plan)), elicit: { message: planText(plan), state: issued.token } };
            }
            if (c.mode === 'elicit') {
                throw new ToolError(
                    'This client cannot ask the user to confirm',
                    'the server runs with --confirm elicit, and this client did not declare the elicitation capability (or its transport cannot carry it)',
                    'use a client with elicitation support, or run the server with --confirm auto',
                    'CONFIRMATION_NEEDS_USER'
                );
            }
            return out(
                { status: 'plan', plan, confirmationToken: issued.token, expiresAt: issued.expiresAt },
                `PLAN (nothing changed yet):\n${planText(plan)}\nShow this plan to the user. Only after they agree, call ${spec.name} again with the same arguments and confirmationToken "${issued.token}" (valid until ${issued.expiresAt}).`
            );
        }
    });
    return def as unknown as ToolDefinition;
}
