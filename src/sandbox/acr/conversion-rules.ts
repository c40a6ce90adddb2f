/**
 * Whether the conversion service would accept an image, decided from the stored manifest exactly as
 * the Learn troubleshooting page documents the codes (Learn: troubleshooting in docs/sources.md; docs/sandbox-world.md).
 */
import type { FAILURE_CODES } from '../world/schema.js';
import type { Descriptor } from './content-builder.js';
import { CONVERTIBLE_MEDIA_TYPES, INDEX_MEDIA_TYPES, STREAMING_ARTIFACT_TYPE, OCI_CONFIG, DOCKER_CONFIG } from './media-types.js';
import type { RegistryState, RepoState, StoredManifest } from './registry-state.js';

export type FailureCode = (typeof FAILURE_CODES)[number];

export interface ConversionFailure {
    code: FailureCode;
    message: string;
}

export type ConversionDecision =
    | { ok: true; subject: Descriptor; amd64: StoredManifest }
    | { ok: false; failure: ConversionFailure };

export const FAILURE_MESSAGES: Record<FailureCode, string> = {
    UNKNOWN_ERROR: 'An unknown error occurred during conversion; retry the operation',
    RESOURCE_NOT_FOUND: 'The image was not found (typo in the digest, deleted, or not yet replicated to this region)',
    UNSUPPORTED_PLATFORM: 'Only linux/amd64 images can be converted',
    NO_SUPPORTED_PLATFORM_FOUND: 'The image index has no linux/amd64 manifest',
    UNSUPPORTED_MEDIATYPE: 'Only OCI manifests/indexes and Docker v2 manifests/manifest lists can be converted',
    UNSUPPORTED_ARTIFACT_TYPE: `The artifact is already a streaming artifact (${STREAMING_ARTIFACT_TYPE}) and cannot be converted again`,
    IMAGE_NOT_RUNNABLE: 'The artifact is not a runnable container image'
};

const fail = (code: FailureCode, extra?: string): ConversionDecision => ({
    ok: false,
    failure: { code, message: extra ? `${FAILURE_MESSAGES[code]}: ${extra}` : FAILURE_MESSAGES[code] }
});

const isAmd64Linux = (m: { os?: string; architecture?: string }): boolean => m.os === 'linux' && m.architecture === 'amd64';

function checkSingle(m: StoredManifest): ConversionDecision | undefined {
    // An artifact (signature, SBOM, chart) is not an image: its config is not an image config.
    if (m.configMediaType !== OCI_CONFIG && m.configMediaType !== DOCKER_CONFIG) {
        return fail('IMAGE_NOT_RUNNABLE', `config media type ${m.configMediaType ?? '(none)'}`);
    }
    if (!isAmd64Linux(m)) return fail('UNSUPPORTED_PLATFORM', `the image is ${m.os ?? '?'}/${m.architecture ?? '?'}`);
    return undefined;
}

export function decideConversion(state: RegistryState, repo: RepoState | undefined, digest: string): ConversionDecision {
    const m = repo?.manifests.get(digest);
    if (!repo || !m) return fail('RESOURCE_NOT_FOUND', `${repo?.name ?? '?'}@${digest}`);
    if (m.artifactType === STREAMING_ARTIFACT_TYPE) return fail('UNSUPPORTED_ARTIFACT_TYPE');
    if (!CONVERTIBLE_MEDIA_TYPES.has(m.mediaType)) return fail('UNSUPPORTED_MEDIATYPE', m.mediaType);
    const subject: Descriptor = { mediaType: m.mediaType, digest: m.digest, size: m.bytes.length };
    if (INDEX_MEDIA_TYPES.has(m.mediaType)) {
        // Only the amd64 entry of a multi-arch image streams (Learn: artifact streaming, docs/sources.md).
        const entry = m.references.find(r => r.platform?.os === 'linux' && r.platform.architecture === 'amd64');
        if (!entry) return fail('NO_SUPPORTED_PLATFORM_FOUND');
        const child = state.resolve(repo, entry.digest);
        if (!child) return fail('RESOURCE_NOT_FOUND', `child manifest ${entry.digest}`);
        return checkSingle(child) ?? { ok: true, subject, amd64: child };
    }
    return checkSingle(m) ?? { ok: true, subject, amd64: m };
}
