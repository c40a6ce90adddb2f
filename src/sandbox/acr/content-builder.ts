/**
 * Deterministic OCI/Docker content for world images: real manifest and config JSON whose digests are
 * the sha256 of the exact bytes served. Layer bytes are never materialised (a world may declare
 * 8 GiB layers): their digests are sha256 of a seed string, so they are stable across runs but do not
 * match any real bytes. That is why GET of a layer blob answers BLOB_UNKNOWN (see blob-routes.ts).
 */
import { createHash } from 'node:crypto';
import type { WorldImage, WorldPlatform } from '../world/schema.js';
import * as mt from './media-types.js';

export interface Descriptor {
    mediaType: string;
    digest: string;
    size: number;
    platform?: { architecture: string; os: string; variant?: string };
    annotations?: Record<string, string>;
    artifactType?: string;
}

export interface BuiltBlob {
    digest: string;
    size: number;
    /** Only config blobs carry bytes; layers are size-only. */
    bytes?: Buffer;
}

export interface BuiltManifest {
    bytes: Buffer;
    mediaType: string;
    /** sha256 of `bytes`. */
    digest: string;
}

/** Everything one world image needs in the store: children first, the tagged manifest last. */
export interface BuiltImage {
    manifests: BuiltManifest[];
    blobs: BuiltBlob[];
    top: BuiltManifest;
}

export const sha256 = (data: Buffer | string): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** Stable JSON bytes (no whitespace): the digest is over exactly these bytes. */
export const jsonBytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/**
 * The config's `created`, fixed like a reproducible build (SOURCE_DATE_EPOCH=0): the core fills a
 * missing `pushedAt` with the load time, and a time inside the bytes would change every digest per run.
 * The push time still shows where ACR shows it (createdTime in /acr/v1 metadata).
 */
export const CONTENT_CREATED = '1970-01-01T00:00:00Z';

type Style = 'oci' | 'docker' | 'other';

function platformOf(p: WorldPlatform): Descriptor['platform'] {
    return p.variant ? { architecture: p.architecture, os: p.os, variant: p.variant } : { architecture: p.architecture, os: p.os };
}

function buildSingle(seed: string, p: WorldPlatform, style: Style, blobs: BuiltBlob[]): BuiltManifest {
    const created = CONTENT_CREATED;
    const layerType = style === 'docker' ? mt.DOCKER_LAYER : mt.OCI_LAYER_GZIP;
    const layers: Descriptor[] = p.layerSizes.map((size, j) => ({ mediaType: layerType, digest: sha256(`${seed}/layer/${j}`), size }));
    const config = jsonBytes({
        created,
        architecture: p.architecture,
        os: p.os,
        ...(p.variant ? { variant: p.variant } : {}),
        config: {
            Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
            Cmd: ['/bin/sh'],
            // The seed label keeps two otherwise identical world images from sharing a digest.
            Labels: { 'sandbox.seed': seed }
        },
        rootfs: { type: 'layers', diff_ids: p.layerSizes.map((_, j) => sha256(`${seed}/diff/${j}`)) },
        history: p.layerSizes.map((_, j) => ({ created, created_by: `sandbox layer ${j}` }))
    });
    const configDesc: Descriptor = { mediaType: style === 'docker' ? mt.DOCKER_CONFIG : mt.OCI_CONFIG, digest: sha256(config), size: config.length };
    blobs.push({ digest: configDesc.digest, size: config.length, bytes: config }, ...layers.map(l => ({ digest: l.digest, size: l.size })));
    const mediaType = style === 'docker' ? mt.DOCKER_MANIFEST : style === 'other' ? mt.OTHER_MANIFEST : mt.OCI_MANIFEST;
    const bytes = jsonBytes({ schemaVersion: 2, mediaType, config: configDesc, layers });
    return { bytes, mediaType, digest: sha256(bytes) };
}

/**
 * Builds one world image. `mediaType: other` becomes a single manifest of type
 * application/vnd.example.other.v1+json built from the first platform (extra platforms are ignored).
 */
export function buildWorldImage(seed: string, image: WorldImage): BuiltImage {
    const blobs: BuiltBlob[] = [];
    const kind = image.mediaType;
    if (kind === 'oci-manifest' || kind === 'docker-manifest' || kind === 'other') {
        const style: Style = kind === 'docker-manifest' ? 'docker' : kind === 'other' ? 'other' : 'oci';
        // The world schema requires at least one platform (and exactly one for a single manifest).
        const top = buildSingle(seed, image.platforms[0]!, style, blobs);
        return { manifests: [top], blobs, top };
    }
    const style: Style = kind === 'docker-manifest-list' ? 'docker' : 'oci';
    const children = image.platforms.map((p, k) => ({ p, m: buildSingle(`${seed}/${k}`, p, style, blobs) }));
    const mediaType = mt.manifestTypeOf(kind);
    const bytes = jsonBytes({
        schemaVersion: 2,
        mediaType,
        manifests: children.map(({ p, m }) => ({ mediaType: m.mediaType, digest: m.digest, size: m.bytes.length, platform: platformOf(p) }))
    });
    const top = { bytes, mediaType, digest: sha256(bytes) };
    return { manifests: [...children.map(c => c.m), top], blobs, top };
}

/**
 * The streaming (overlaybd) artifact of a converted image: an OCI manifest with
 * artifactType application/vnd.azure.artifact.streaming.v1, a `subject` pointing at the converted
 * digest and the four annotations reported on real artifacts (AgentBaker e2e, docs/sources.md). Built only from the
 * subject and its amd64 layers, so converting the same image twice yields the same digest.
 */
export function buildStreamingArtifact(subject: Descriptor, sourceLayers: Descriptor[]): BuiltImage {
    const seed = `${subject.digest}/overlaybd`;
    const layers: Descriptor[] = sourceLayers.map((l, j) => {
        const digest = sha256(`${seed}/layer/${j}`);
        return {
            mediaType: mt.OCI_LAYER_TAR,
            digest,
            size: l.size,
            annotations: { 'containerd.io/snapshot/overlaybd/blob-digest': digest, 'containerd.io/snapshot/overlaybd/blob-size': String(l.size) }
        };
    });
    const config = jsonBytes({
        architecture: 'amd64',
        os: 'linux',
        config: { Labels: { 'sandbox.streaming-source': subject.digest } },
        rootfs: { type: 'layers', diff_ids: layers.map(l => l.digest) }
    });
    const blobs: BuiltBlob[] = [{ digest: sha256(config), size: config.length, bytes: config }, ...layers.map(l => ({ digest: l.digest, size: l.size }))];
    const bytes = jsonBytes({
        schemaVersion: 2,
        mediaType: mt.OCI_MANIFEST,
        artifactType: mt.STREAMING_ARTIFACT_TYPE,
        config: { mediaType: mt.OCI_CONFIG, digest: sha256(config), size: config.length },
        layers,
        subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
        annotations: {
            'streaming.format': 'overlaybd',
            'streaming.platform.arch': 'amd64',
            'streaming.platform.os': 'linux',
            'streaming.version': 'v1'
        }
    });
    const top = { bytes, mediaType: mt.OCI_MANIFEST, digest: sha256(bytes) };
    return { manifests: [top], blobs, top };
}
