/**
 * Image eligibility, mirroring the conversion error codes the service documents
 * (troubleshoot-artifact-streaming.md), so the prediction names the code a conversion would fail with.
 */
import { manifestKind } from './media-types.js';
import { hasBlocker, reason, type Reason } from './reasons.js';

export interface PlatformFacts {
    os: string;
    architecture: string;
    variant?: string | null;
}

export interface ImageFacts {
    mediaType: string;
    /** Single manifest: exactly one entry; index: its entries (attestations already left out). */
    platforms: readonly PlatformFacts[];
    /** The image itself is a streaming artifact (artifactType application/vnd.azure.artifact.streaming.v1). */
    isStreamingArtifact: boolean;
}

export type FailureCode = 'UNSUPPORTED_MEDIATYPE' | 'UNSUPPORTED_ARTIFACT_TYPE' | 'UNSUPPORTED_PLATFORM' | 'NO_SUPPORTED_PLATFORM_FOUND';

export interface ImageVerdict {
    /** The image can be converted (registry rules are applied separately). */
    convertible: boolean;
    predictedFailureCode: FailureCode | null;
    reasons: Reason[];
}

const isLinuxAmd64 = (p: PlatformFacts) => p.os.toLowerCase() === 'linux' && p.architecture.toLowerCase() === 'amd64';
const label = (p: PlatformFacts) => `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;

export function imageEligibility(img: ImageFacts): ImageVerdict {
    const kind = manifestKind(img.mediaType);
    if (kind === 'unsupported') {
        return blocked('UNSUPPORTED_MEDIATYPE', reason('IMAGE_MEDIATYPE_UNSUPPORTED', `media type ${img.mediaType} is not an OCI/Docker image manifest or index`));
    }
    if (img.isStreamingArtifact) {
        return blocked('UNSUPPORTED_ARTIFACT_TYPE', reason('IMAGE_IS_STREAMING_ARTIFACT', 'this is already a streaming artifact; it cannot be converted again'));
    }
    if (kind === 'manifest') {
        const p = img.platforms[0];
        if (!p || !isLinuxAmd64(p)) {
            return blocked('UNSUPPORTED_PLATFORM', reason('IMAGE_PLATFORM_UNSUPPORTED', `platform is ${p ? label(p) : 'unknown'}; only linux/amd64 images stream`));
        }
        return { convertible: true, predictedFailureCode: null, reasons: [] };
    }
    if (!img.platforms.some(isLinuxAmd64)) {
        const seen = img.platforms.map(label).join(', ') || 'none';
        return blocked('NO_SUPPORTED_PLATFORM_FOUND', reason('IMAGE_NO_AMD64_IN_INDEX', `the index has no linux/amd64 entry (platforms: ${seen})`));
    }
    const reasons: Reason[] = [];
    const others = img.platforms.filter(p => !isLinuxAmd64(p));
    if (others.length > 0) {
        reasons.push(reason('IMAGE_MULTIARCH_PARTIAL', `only the linux/amd64 entry streams; ${others.map(label).join(', ')} pull normally`));
    }
    return { convertible: !hasBlocker(reasons), predictedFailureCode: null, reasons };
}

function blocked(code: FailureCode, r: Reason): ImageVerdict {
    return { convertible: false, predictedFailureCode: code, reasons: [r] };
}
