/**
 * Image eligibility, mirroring the conversion error codes the service documents
 * (troubleshoot-artifact-streaming.md), so the prediction names the code a conversion would fail with;
 * then the image's streaming state (artifact, running or failed conversion) and its size.
 */
import type { ConversionFacts, ImageFacts, ImageTarget, PlatformFacts } from './facts.js';
import { finding, hasBlocker, type Finding } from './findings.js';
import { fixes } from './fixes.js';
import { manifestKind } from './media-types.js';
import { support, type Support } from './registry-rules.js';
import { SMALL_IMAGE_BYTES, VERY_LARGE_IMAGE_BYTES } from './thresholds.js';

export type { ImageFacts, PlatformFacts } from './facts.js';

export type FailureCode = 'UNSUPPORTED_MEDIATYPE' | 'UNSUPPORTED_ARTIFACT_TYPE' | 'UNSUPPORTED_PLATFORM' | 'NO_SUPPORTED_PLATFORM_FOUND';

/** The conversion error codes of troubleshoot-artifact-streaming.md, as they may appear in an operation's details. */
export const CONVERSION_ERROR_CODES = [
    'UNKNOWN_ERROR',
    'RESOURCE_NOT_FOUND',
    'UNSUPPORTED_PLATFORM',
    'NO_SUPPORTED_PLATFORM_FOUND',
    'UNSUPPORTED_MEDIATYPE',
    'UNSUPPORTED_ARTIFACT_TYPE',
    'IMAGE_NOT_RUNNABLE'
] as const;

export interface ImageVerdict extends Support {
    /** The image can be converted (registry rules are applied separately). */
    convertible: boolean;
    predictedFailureCode: FailureCode | null;
}

export const isLinuxAmd64 = (p: PlatformFacts) => p.os.toLowerCase() === 'linux' && p.architecture.toLowerCase() === 'amd64';
export const platformLabel = (p: PlatformFacts) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;

export function imageEligibility(img: ImageFacts): ImageVerdict {
    const kind = manifestKind(img.mediaType);
    if (kind === 'unsupported') {
        return blocked('UNSUPPORTED_MEDIATYPE', finding('IMAGE_MEDIATYPE_UNSUPPORTED', `mediaType is "${img.mediaType}"`, fixes.info('Push the image as an OCI or Docker v2 image manifest (or index), then convert it.')));
    }
    if (img.isStreamingArtifact) {
        return blocked(
            'UNSUPPORTED_ARTIFACT_TYPE',
            finding('IMAGE_IS_STREAMING_ARTIFACT', 'the manifest is an artifact of type application/vnd.azure.artifact.streaming.v1', fixes.info('Reference the original image by its tag; the node picks its streaming artifact by itself.'))
        );
    }
    if (kind === 'manifest') {
        const p = img.platforms[0];
        if (!p || !isLinuxAmd64(p)) {
            return blocked('UNSUPPORTED_PLATFORM', finding('IMAGE_PLATFORM_UNSUPPORTED', `the image's platform is ${p ? platformLabel(p) : 'unknown'}`, fixes.rebuildAmd64('Only linux/amd64 images stream.')));
        }
        return { convertible: true, predictedFailureCode: null, ...support([]) };
    }
    if (!img.platforms.some(isLinuxAmd64)) {
        const seen = img.platforms.map(platformLabel).join(', ') || 'none';
        return blocked('NO_SUPPORTED_PLATFORM_FOUND', finding('IMAGE_NO_AMD64_IN_INDEX', `the index lists: ${seen}`, fixes.rebuildAmd64('The index needs a linux/amd64 entry.')));
    }
    const out: Finding[] = [];
    const others = img.platforms.filter(p => !isLinuxAmd64(p));
    if (others.length > 0) {
        out.push(finding('IMAGE_MULTIARCH_PARTIAL', `the index also lists ${others.map(platformLabel).join(', ')}; those pull normally`, fixes.info('Nothing to change: nodes that are linux/amd64 stream the amd64 entry.')));
    }
    return { convertible: !hasBlocker(out), predictedFailureCode: null, ...support(out) };
}

function blocked(code: FailureCode, f: Finding): ImageVerdict {
    return { convertible: false, predictedFailureCode: code, ...support([f]) };
}

/** Bytes of what streams: the linux/amd64 platform when there is one, else the whole image. */
export function streamedSizeBytes(img: ImageFacts): number | undefined {
    const amd64 = img.platforms.find(isLinuxAmd64);
    if (amd64?.sizeBytes !== undefined) return amd64.sizeBytes;
    const sizes = img.platforms.map(p => p.sizeBytes);
    return sizes.every((s): s is number => s !== undefined) && sizes.length > 0 ? sizes.reduce((a, b) => a + b, 0) : undefined;
}

const ONGOING = new Set(['notstarted', 'running']);

/** The failure code in an operation's details, when one of the documented codes appears there. */
export function failureCodeOf(details: string | null | undefined): string | undefined {
    return CONVERSION_ERROR_CODES.find(c => new RegExp(`\\b${c}\\b`).test(details ?? ''));
}

/**
 * The image's streaming state. `convertible` is false when eligibility already blocks it: the image then still
 * has no streaming artifact (IMAGE_NOT_CONVERTED holds), but the fix is the eligibility one, not a conversion.
 */
export function conversionFindings(c: ConversionFacts, t: ImageTarget, convertible: boolean): Finding[] {
    if (c.artifactPresent) return [];
    const op = c.lastOperation;
    const status = op?.status ?? '';
    if (op && ONGOING.has(status.toLowerCase())) {
        return [finding('IMAGE_CONVERSION_RUNNING', `operation ${op.id} is ${status}${op.progress ? ` (${op.progress})` : ''}`, fixes.waitForConversion(t))];
    }
    if (op && status.toLowerCase() === 'failed') {
        const code = failureCodeOf(op.details);
        const evidence = `operation ${op.id} failed${code ? ` with ${code}` : ''}${op.details ? `: "${op.details}"` : ''}`;
        const retry = code === undefined || code === 'UNKNOWN_ERROR' || code === 'RESOURCE_NOT_FOUND';
        const why =
            code === 'RESOURCE_NOT_FOUND'
                ? 'Retry the conversion once the image has replicated to every region of the registry (RESOURCE_NOT_FOUND).'
                : 'Retry the conversion (UNKNOWN_ERROR is transient per the troubleshooting page).';
        return [finding('IMAGE_CONVERSION_FAILED', evidence, retry && convertible ? fixes.convert(t, why) : fixes.info(`Fix what the failure code ${code} names (see the other findings), then convert again.`))];
    }
    const fix = convertible ? fixes.convert(t) : fixes.info('A conversion would fail; fix the blocker the other image findings name first.');
    const last = op ? ` (last operation ${op.id}: ${status})` : '';
    return [finding('IMAGE_NOT_CONVERTED', `no referrer of type application/vnd.azure.artifact.streaming.v1 and no conversion under way${last}`, fix)];
}

export function sizeFindings(sizeBytes: number | undefined): Finding[] {
    if (sizeBytes === undefined) return [];
    const gb = (sizeBytes / 1e9).toFixed(sizeBytes < 1e9 ? 2 : 1);
    if (sizeBytes < SMALL_IMAGE_BYTES) {
        return [finding('IMAGE_SMALL', `${gb} GB compressed (under ${SMALL_IMAGE_BYTES / 1e6} MB)`, fixes.info('Streaming still works, but the pull is already short: expect a few seconds saved at most.'))];
    }
    if (sizeBytes > VERY_LARGE_IMAGE_BYTES) {
        return [finding('IMAGE_VERY_LARGE', `${gb} GB compressed (over ${VERY_LARGE_IMAGE_BYTES / 1e9} GB)`, fixes.info('Consider moving large files (models, datasets) out of the image into volumes; files read at start-up are fetched before the container starts.'))];
    }
    return [];
}
