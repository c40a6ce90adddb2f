/**
 * The ordered fix plan: one step per actionable finding, in the order the changes must happen (the registry
 * first, then cluster permissions and node pools, then the image's conversion, auto-conversion for new
 * pushes, the pod's spec), then a fresh pull. Each step names the change tool that applies it when this
 * server registers that tool, and the az/kubectl command either way.
 */
import type { PodFacts } from './facts.js';
import { FINDINGS, SEVERITY_RANK, type Finding, type FindingCode, type Layer, type ToolCall } from './findings.js';
import { sh } from './fixes.js';

export type FixStep = {
    step: number;
    /** The finding this step fixes; absent for the closing "pull again" step. */
    code?: FindingCode;
    explanation: string;
    tool?: ToolCall;
    azCommand?: string;
    kubectlCommand?: string;
};

const FIX_ORDER: Record<Layer, number> = { registry: 0, cluster: 1, nodePool: 2, image: 3, repository: 4, pod: 5, diagnosis: 6 };

export function fixPlan(findings: readonly Finding[], registeredTools?: ReadonlySet<string>, pod?: PodFacts): FixStep[] {
    // Every blocker is a step (some fixes are a change to the workload, with no command); other findings only
    // when something can be run.
    const actionable = findings.filter(f => f.severity === 'blocker' || (f.severity === 'warning' && (f.fix.azCommand || f.fix.kubectlCommand)) || f.fix.tool);
    const ordered = [...actionable].sort(
        (a, b) => FIX_ORDER[FINDINGS[a.code].layer] - FIX_ORDER[FINDINGS[b.code].layer] || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]
    );
    const steps: FixStep[] = [];
    const seen = new Set<string>();
    for (const f of ordered) {
        const tool = f.fix.tool && (!registeredTools || registeredTools.has(f.fix.tool.name)) ? f.fix.tool : undefined;
        const key = JSON.stringify([tool, f.fix.azCommand, f.fix.kubectlCommand]);
        if (seen.has(key)) continue;
        seen.add(key);
        steps.push({
            step: steps.length + 1,
            code: f.code,
            explanation: f.fix.explanation,
            ...(tool ? { tool } : {}),
            ...(f.fix.azCommand ? { azCommand: f.fix.azCommand } : {}),
            ...(f.fix.kubectlCommand ? { kubectlCommand: f.fix.kubectlCommand } : {})
        });
    }
    if (steps.length > 0 && pod?.name) {
        const ns = pod.namespace ? ` -n ${sh(pod.namespace)}` : '';
        steps.push({
            step: steps.length + 1,
            explanation:
                'Once the changes above have finished (conversion Succeeded, node pool Succeeded), start the pod again so it pulls by tag; then diagnose again.',
            kubectlCommand: `kubectl${ns} delete pod ${sh(pod.name)}`
        });
    }
    return steps;
}
