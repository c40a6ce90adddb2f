/**
 * Conversion operations, simulated from the clock instead of timers: an operation's status is a pure
 * function of `now()` (NotStarted for the first 20 % of behaviour.conversionSeconds, then Running with
 * rising progress, then terminal). The outcome is decided when the end time has passed (`settle`),
 * which the handler calls before serving every request, so no background work is ever needed.
 */
import { randomUUID } from 'node:crypto';
import type { ConversionFailure } from './conversion-rules.js';

export type OpStatus = 'NotStarted' | 'Running' | 'Succeeded' | 'Failed' | 'Canceled';
export const ONGOING: ReadonlySet<OpStatus> = new Set(['NotStarted', 'Running']);

export interface Operation {
    id: string;
    kind: 'conversion' | 'settings';
    repo: string;
    /** Conversion: the image digest. Settings: undefined. */
    digest?: string;
    startMs: number;
    runningFromMs: number;
    endMs: number;
    canceledAtMs?: number;
    /** Set once terminal: failure undefined means Succeeded. */
    outcome?: { failure?: ConversionFailure };
    /** Settings operations only: the value written. */
    convertPushedImages?: boolean;
}

export interface OperationView {
    name: string;
    resource: string;
    status: OpStatus;
    startTime: string;
    progress: string;
    details: string;
    /** Sandbox assumption: the real field carrying the failure code is not publicly known. */
    error?: { code: string; message: string };
}

export class OperationStore {
    private readonly ops = new Map<string, Operation>();
    private readonly lastByImage = new Map<string, string>();
    /** Operations not yet decided: settle() runs before every request, so it must not walk a large registry's history. */
    private readonly pending = new Set<Operation>();
    /** Images whose world entry sets its own `conversionSeconds` (ms). */
    private readonly ownDuration = new Map<string, number>();

    /** Read on every start so a test may change behaviour.conversionSeconds at runtime. */
    constructor(private readonly duration: () => number) {}

    private get durationMs(): number {
        return this.duration();
    }

    /** Every conversion of this image (including one running at load) takes `ms` instead of the world-wide duration. */
    setDuration(repo: string, digest: string, ms: number): void {
        this.ownDuration.set(`${repo}@${digest}`, ms);
    }

    /** `alreadyRunning`: the op is Running from its start (world images with streaming "converting"). */
    startConversion(repo: string, digest: string, nowMs: number, alreadyRunning = false): Operation {
        const durationMs = this.ownDuration.get(`${repo}@${digest}`) ?? this.durationMs;
        const op: Operation = {
            id: randomUUID(),
            kind: 'conversion',
            repo,
            digest,
            startMs: nowMs,
            runningFromMs: alreadyRunning ? nowMs : nowMs + durationMs * 0.2,
            endMs: nowMs + durationMs
        };
        this.ops.set(op.id, op);
        this.pending.add(op);
        this.lastByImage.set(`${repo}@${digest}`, op.id);
        return op;
    }

    /** A terminal op as of load time (world images with streaming "converted" / "failed"). */
    recordTerminal(repo: string, digest: string, nowMs: number, failure?: ConversionFailure): Operation {
        const op = this.startConversion(repo, digest, nowMs - this.durationMs, true);
        op.endMs = nowMs;
        op.outcome = { failure };
        this.pending.delete(op);
        return op;
    }

    recordSettings(repo: string, convertPushedImages: boolean, nowMs: number): Operation {
        const op: Operation = { id: randomUUID(), kind: 'settings', repo, startMs: nowMs, runningFromMs: nowMs, endMs: nowMs, outcome: {}, convertPushedImages };
        this.ops.set(op.id, op);
        return op;
    }

    get(repo: string, id: string): Operation | undefined {
        const op = this.ops.get(id);
        // Operation ids are scoped to the repository they were started in.
        return op && op.repo === repo ? op : undefined;
    }

    lastFor(repo: string, digest: string): Operation | undefined {
        const id = this.lastByImage.get(`${repo}@${digest}`);
        return id ? this.ops.get(id) : undefined;
    }

    /** Decides every op whose end time has passed; `decide` returns the failure, or undefined for success. */
    settle(nowMs: number, decide: (op: Operation) => ConversionFailure | undefined): void {
        for (const op of this.pending) {
            if (op.outcome || op.canceledAtMs !== undefined) this.pending.delete(op);
            else if (op.endMs <= nowMs) {
                this.pending.delete(op);
                op.outcome = { failure: decide(op) };
            }
        }
    }

    status(op: Operation, nowMs: number): OpStatus {
        if (op.canceledAtMs !== undefined) return 'Canceled';
        if (op.outcome) return op.outcome.failure ? 'Failed' : 'Succeeded';
        return nowMs < op.runningFromMs ? 'NotStarted' : 'Running';
    }

    cancel(op: Operation, nowMs: number): void {
        op.canceledAtMs = nowMs;
    }

    view(op: Operation, nowMs: number): OperationView {
        const status = this.status(op, nowMs);
        const startTime = new Date(op.startMs).toISOString();
        if (op.kind === 'settings') {
            // Assumption: the id returned by POST /_streaming is readable as an already-succeeded operation.
            return {
                name: 'ArtifactStreamingRepositoryUpdate',
                resource: op.repo,
                status,
                startTime,
                progress: '100%',
                details: `Auto-conversion (convertPushedImages=${String(op.convertPushedImages)}) set for repository ${op.repo}`
            };
        }
        const resource = `${op.repo}@${op.digest}`;
        const base = { name: 'ArtifactStreamingConversion', resource, status, startTime };
        switch (status) {
            case 'NotStarted':
                return { ...base, progress: '0%', details: `Conversion started for resource ${resource}` };
            case 'Running': {
                const span = Math.max(1, op.endMs - op.runningFromMs);
                const pct = Math.min(99, Math.max(1, Math.floor(((nowMs - op.runningFromMs) / span) * 100)));
                return { ...base, progress: `${pct}%`, details: `Conversion ongoing for resource ${resource}` };
            }
            case 'Succeeded':
                return { ...base, progress: '100%', details: `Conversion succeeded for resource ${resource}` };
            case 'Canceled':
                return { ...base, progress: '0%', details: `Conversion canceled for resource ${resource}` };
            case 'Failed': {
                const f = op.outcome?.failure ?? { code: 'UNKNOWN_ERROR', message: '' };
                return { ...base, progress: '0%', details: `Conversion failed for resource ${resource}: ${f.code}: ${f.message}`, error: { code: f.code, message: f.message } };
            }
        }
    }
}
