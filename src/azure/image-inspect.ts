/**
 * Gathers everything about one image: its manifest (an index's children fetched in parallel, bounded),
 * platform and size per platform, the streaming referrer and the last conversion. Independent calls run
 * in parallel once the digest is known.
 */
import { ToolError } from '../tool-error.js';
import { manifestKind, STREAMING_ARTIFACT_TYPE } from '../streaming/media-types.js';
import { descriptors, type AcrClient, type Descriptor, type FetchedManifest } from './acr-client.js';
import { mapLimit } from './concurrency.js';
import { DIGEST, type ImageRef } from './names.js';
import type { CallOptions, ImageInspection, ManifestInfo, Platform, StreamingOperation } from './types.js';

/** Children of an index fetched at once; indexes rarely exceed a dozen platforms. */
export const INDEX_CONCURRENCY = 4;
/** Bound on the platforms of one index we will read (a hostile index could list thousands). */
export const MAX_INDEX_ENTRIES = 64;

const layerSize = (l: unknown) => {
    const size = (l as { size?: unknown } | null)?.size;
    return typeof size === 'number' && size >= 0 ? size : 0;
};

/** Image size of one platform: the sum of its (compressed) layer sizes, as the registry stores them. */
const sumLayers = (body: Record<string, unknown>) => {
    const layers: unknown[] = Array.isArray(body.layers) ? body.layers : [];
    return { sizeBytes: layers.reduce<number>((n, l) => n + layerSize(l), 0), layers: layers.length };
};

export function isStreamingArtifact(body: Record<string, unknown>): boolean {
    const config = body.config as Descriptor | undefined;
    const annotations = (body.annotations ?? {}) as Record<string, string>;
    return body.artifactType === STREAMING_ARTIFACT_TYPE || config?.mediaType === STREAMING_ARTIFACT_TYPE || annotations['streaming.format'] !== undefined;
}

/**
 * Attestation and unknown/unknown entries (BuildKit provenance) are not runnable platforms. Entries whose
 * digest is not a sha256 digest are skipped too: the digest becomes part of a URL.
 */
function isRunnableEntry(d: Descriptor): boolean {
    if (!DIGEST.test(d.digest)) return false;
    if (d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return false;
    return d.platform?.os !== 'unknown' && d.platform?.architecture !== 'unknown';
}

async function singlePlatform(client: AcrClient, repo: string, m: FetchedManifest, opts: CallOptions): Promise<Platform> {
    const config = m.body.config as Descriptor | undefined;
    let os = 'unknown';
    let architecture = 'unknown';
    let variant: string | null = null;
    // Only a JSON config (an image config) says os/architecture; anything else is not worth a download.
    const jsonConfig = config?.mediaType === undefined || /\+json$|\/json$/.test(config.mediaType);
    if (typeof config?.digest === 'string' && DIGEST.test(config.digest) && jsonConfig) {
        const c = await client.blobJson(repo, config.digest, opts);
        os = typeof c.os === 'string' ? c.os : os;
        architecture = typeof c.architecture === 'string' ? c.architecture : architecture;
        variant = typeof c.variant === 'string' ? c.variant : null;
    }
    return { os, architecture, variant, ...sumLayers(m.body), digest: m.digest };
}

export async function describeManifest(client: AcrClient, repo: string, top: FetchedManifest, opts: CallOptions): Promise<ManifestInfo> {
    const kind = manifestKind(top.mediaType);
    let platforms: Platform[] = [];
    if (kind === 'index') {
        const entries = descriptors(top.body.manifests).filter(isRunnableEntry).slice(0, MAX_INDEX_ENTRIES);
        platforms = await mapLimit(entries, INDEX_CONCURRENCY, async d => {
            const child = await client.manifest(repo, d.digest, opts);
            const size = child ? sumLayers(child.body) : { sizeBytes: 0, layers: 0 };
            return {
                os: d.platform?.os ?? 'unknown',
                architecture: d.platform?.architecture ?? 'unknown',
                variant: d.platform?.variant ?? null,
                ...size,
                digest: d.digest
            };
        });
    } else if (Array.isArray(top.body.layers)) {
        // Unsupported media types that still look like an image manifest are described the same way.
        platforms = [await singlePlatform(client, repo, top, opts)];
    }
    return {
        digest: top.digest,
        mediaType: top.mediaType,
        kind,
        platforms,
        sizeBytes: platforms.reduce((n, p) => n + p.sizeBytes, 0),
        isStreamingArtifact: isStreamingArtifact(top.body)
    };
}

/** The last conversion of `digest`; when its operation record is gone, what `_streaming/{digest}` said about it. */
async function lastOperation(client: AcrClient, repo: string, digest: string, opts: CallOptions, detailsOf: (status: string) => boolean): Promise<StreamingOperation | null> {
    const last = await client.lastOperation(repo, digest, opts);
    if (!last) return null;
    if (!detailsOf(last.status)) return { id: last.id, status: last.status, progress: null, details: null };
    const op = await client.operation(repo, last.id, opts);
    return { id: last.id, status: op?.status ?? last.status, progress: op?.progress ?? null, details: op?.details ?? null };
}

export interface InspectOptions {
    /** Read the last conversion (`_streaming/{digest}`); registries that cannot stream refuse that endpoint. */
    operations?: boolean;
    /**
     * Read the operation record (progress, details) only for these statuses of the last conversion (default: all).
     * The diagnosis needs it only for a failure's code, and skipping it saves a round trip on its critical path.
     */
    operationDetailsFor?: readonly string[];
}

export async function inspectImage(client: AcrClient, ref: ImageRef, opts: CallOptions & InspectOptions): Promise<ImageInspection> {
    const call = { abortSignal: opts.abortSignal };
    const top = await client.manifest(ref.repository, ref.digest ?? ref.tag!, call);
    if (!top) {
        throw new ToolError(
            `Image ${ref.text} was not found`,
            `${ref.loginServer} has no manifest for ${ref.digest ? `digest ${ref.digest}` : `tag "${ref.tag}"`} in repository ${ref.repository}`,
            `check the tag: \`az acr repository show-tags -n ${ref.registry} --repository ${ref.repository}\``,
            'IMAGE_NOT_FOUND'
        );
    }
    const [manifest, referrers, op] = await Promise.all([
        describeManifest(client, ref.repository, top, call),
        client.referrers(ref.repository, top.digest, STREAMING_ARTIFACT_TYPE, call),
        opts.operations === false
            ? Promise.resolve(null)
            : lastOperation(client, ref.repository, top.digest, call, status => !opts.operationDetailsFor || opts.operationDetailsFor.includes(status))
    ]);
    return {
        manifest,
        streamingArtifact: { present: referrers.length > 0, digest: referrers[0]?.digest ?? null },
        lastOperation: op
    };
}
