/**
 * Artifact streaming endpoints (undocumented; shapes from the azure-cli recording, docs/sources.md):
 * `GET|POST /acr/v1/{repo}/_streaming`, `GET|POST /acr/v1/{repo}/_streaming/{digest}`,
 * `GET /acr/v1/{repo}/_operations/{id}` and `POST …/_operations/{id}:cancel`.
 */
import { json, type SandboxRequest, type SandboxResponse } from '../http/types.js';
import type { AcrContext } from './acr-context.js';
import { acrError, nameUnknown, operationUnknown } from './acr-errors.js';
import { DIGEST_RE } from './media-types.js';
import { ONGOING, type Operation } from './operations.js';

function opHeaders(ctx: AcrContext, op: Operation): { location: string; 'operation-location': string; 'operation-id': string } {
    const url = `${ctx.origin}/acr/v1/${op.repo}/_operations/${op.id}`;
    return { location: url, 'operation-location': url, 'operation-id': op.id };
}

function readJson(req: SandboxRequest): Record<string, unknown> | undefined | 'invalid' {
    if (req.body.length === 0) return undefined;
    try {
        const v: unknown = JSON.parse(req.body.toString('utf8'));
        return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : 'invalid';
    } catch {
        return 'invalid';
    }
}

/** The CLI always sends overlaybd/v1; anything else is refused rather than silently accepted. */
function badFormat(body: Record<string, unknown>): SandboxResponse | undefined {
    if (body.conversionFormat !== undefined && body.conversionFormat !== 'overlaybd') {
        return acrError(400, 'INVALID_REQUEST', `conversionFormat must be "overlaybd", got ${JSON.stringify(body.conversionFormat)}`);
    }
    if (body.conversionVersion !== undefined && body.conversionVersion !== 'v1') {
        return acrError(400, 'INVALID_REQUEST', `conversionVersion must be "v1", got ${JSON.stringify(body.conversionVersion)}`);
    }
    return undefined;
}

export function streamingSetting(ctx: AcrContext, req: SandboxRequest, repoName: string): SandboxResponse {
    const repo = ctx.state.repo(repoName);
    if (!repo) return nameUnknown(repoName);
    if (req.method !== 'POST') return json(200, { convertPushedImages: repo.convertPushedImages });
    const denied = ctx.policyRefusal(repo.name, req);
    if (denied) return denied;
    const body = readJson(req);
    if (body === undefined || body === 'invalid' || typeof body.convertPushedImages !== 'boolean') {
        return acrError(400, 'INVALID_REQUEST', 'expected a JSON body {"convertPushedImages": true|false, "conversionFormat": "overlaybd", "conversionVersion": "v1"}');
    }
    const refused = badFormat(body);
    if (refused) return refused;
    // Enabling never converts existing images (Learn): only later pushes are affected.
    repo.convertPushedImages = body.convertPushedImages;
    const op = ctx.ops.recordSettings(repo.name, repo.convertPushedImages, ctx.now());
    return json(
        202,
        { convertPushedImages: repo.convertPushedImages, conversionFormat: 'overlaybd', conversionVersion: 'v1', status: 'Succeeded', id: op.id },
        opHeaders(ctx, op)
    );
}

/**
 * `POST /_streaming/{digest}` assumptions: an unknown digest is accepted (202) and the operation then
 * fails with RESOURCE_NOT_FOUND, matching the troubleshooting text ("typo in digest, deleted, or not
 * yet replicated"); while an operation for the same image is NotStarted/Running it is returned again
 * (202, same id, current status) instead of starting a second one.
 */
export function imageStreaming(ctx: AcrContext, req: SandboxRequest, repoName: string, digest: string): SandboxResponse {
    if (!DIGEST_RE.test(digest)) return acrError(400, 'DIGEST_INVALID', 'invalid digest', { digest });
    const repo = ctx.state.repo(repoName);
    if (!repo) return nameUnknown(repoName);
    const last = ctx.ops.lastFor(repo.name, digest);
    if (req.method !== 'POST') {
        if (!last) return operationUnknown();
        const op = opHeaders(ctx, last);
        return json(200, { id: last.id, status: ctx.ops.status(last, ctx.now()) }, { 'operation-location': op['operation-location'] });
    }
    const body = readJson(req);
    if (body === 'invalid') return acrError(400, 'INVALID_REQUEST', 'the request body is not a JSON object');
    const refused = body ? badFormat(body) : undefined;
    if (refused) return refused;
    if (last && ONGOING.has(ctx.ops.status(last, ctx.now()))) {
        return json(202, { id: last.id, status: ctx.ops.status(last, ctx.now()) }, opHeaders(ctx, last));
    }
    const op = ctx.ops.startConversion(repo.name, digest, ctx.now());
    return json(202, { id: op.id, status: 'NotStarted' }, opHeaders(ctx, op));
}

/**
 * Assumption: cancelling an operation that is already terminal answers 409 OPERATION_NOT_CANCELABLE
 * (the CLI refuses client-side for --image; the service's answer is not documented).
 */
export function operation(ctx: AcrContext, repoName: string, id: string, cancel: boolean): SandboxResponse {
    const op = ctx.ops.get(repoName, id);
    if (!op) return operationUnknown();
    const now = ctx.now();
    if (!cancel) return json(200, ctx.ops.view(op, now));
    const status = ctx.ops.status(op, now);
    if (!ONGOING.has(status)) {
        return acrError(409, 'OPERATION_NOT_CANCELABLE', `The operation is already ${status} and cannot be canceled`, { id, status });
    }
    ctx.ops.cancel(op, now);
    return json(200, { ...ctx.ops.view(op, now), name: 'Cancel: ArtifactStreamingConversion' });
}
