/**
 * The per-registry store: repositories, manifests (exact bytes as served or pushed), tags and blobs.
 * Manifest metadata (platform, size, subject, artifactType) is always derived from the stored bytes,
 * so world-built and pushed manifests are treated the same way by every route.
 */
import type { Hash } from 'node:crypto';
import type { Descriptor } from './content-builder.js';
import { DIGEST_RE, INDEX_MEDIA_TYPES } from './media-types.js';

export interface StoredManifest {
    digest: string;
    bytes: Buffer;
    mediaType: string;
    createdTime: string;
    lastUpdateTime: string;
    imageSize: number;
    architecture?: string;
    os?: string;
    configMediaType?: string;
    /** Child manifests of an index. */
    references: Descriptor[];
    layers: Descriptor[];
    subject?: Descriptor;
    artifactType?: string;
    annotations?: Record<string, string>;
}

export interface StoredBlob {
    size: number;
    /** Absent for world layers and large pushed blobs (see blob-routes.ts). */
    bytes?: Buffer;
}

export interface TagState {
    name: string;
    digest: string;
    createdTime: string;
    lastUpdateTime: string;
}

export interface RepoState {
    name: string;
    createdTime: string;
    lastUpdateTime: string;
    convertPushedImages: boolean;
    manifests: Map<string, StoredManifest>;
    tags: Map<string, TagState>;
    blobs: Map<string, StoredBlob>;
}

/**
 * An unfinished blob upload (`POST …/blobs/uploads/` until the final `PUT ?digest=`). The digest is
 * hashed as chunks arrive and bytes are kept only while they fit MAX_KEPT_BLOB_BYTES, so a large
 * chunked push costs no memory beyond its chunk.
 */
export interface UploadSession {
    repo: string;
    hash: Hash;
    /** undefined once the upload outgrew the kept-bytes limit. */
    chunks: Buffer[] | undefined;
    size: number;
}

type Json = Record<string, unknown>;
const asObj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

function asDescriptor(v: unknown): Descriptor | undefined {
    const o = asObj(v);
    if (!o || typeof o.digest !== 'string' || typeof o.size !== 'number') return undefined;
    return o as unknown as Descriptor;
}

export function parseManifestJson(bytes: Buffer): Json | undefined {
    try {
        return asObj(JSON.parse(bytes.toString('utf8')));
    } catch {
        return undefined;
    }
}

export class RegistryState {
    readonly repos = new Map<string, RepoState>();
    readonly uploads = new Map<string, UploadSession>();

    repo(name: string): RepoState | undefined {
        return this.repos.get(name);
    }

    ensureRepo(name: string, nowIso: string): RepoState {
        let repo = this.repos.get(name);
        if (!repo) {
            repo = { name, createdTime: nowIso, lastUpdateTime: nowIso, convertPushedImages: false, manifests: new Map(), tags: new Map(), blobs: new Map() };
            this.repos.set(name, repo);
        }
        return repo;
    }

    /** A tag or a digest reference. */
    resolve(repo: RepoState, reference: string): StoredManifest | undefined {
        if (DIGEST_RE.test(reference)) return repo.manifests.get(reference);
        const tag = repo.tags.get(reference);
        return tag ? repo.manifests.get(tag.digest) : undefined;
    }

    tagsOf(repo: RepoState, digest: string): string[] {
        return [...repo.tags.values()].filter(t => t.digest === digest).map(t => t.name).sort();
    }

    /** Stores bytes under their digest (idempotent) and optionally points `tag` at them. */
    putManifest(repo: RepoState, digest: string, bytes: Buffer, mediaType: string, nowIso: string, tag?: string): StoredManifest {
        let stored = repo.manifests.get(digest);
        if (!stored) {
            stored = { ...this.describe(repo, bytes), digest, bytes, mediaType, createdTime: nowIso, lastUpdateTime: nowIso };
            repo.manifests.set(digest, stored);
        }
        if (tag) {
            const prev = repo.tags.get(tag);
            repo.tags.set(tag, { name: tag, digest, createdTime: prev?.createdTime ?? nowIso, lastUpdateTime: nowIso });
        }
        repo.lastUpdateTime = nowIso;
        return stored;
    }

    /** Metadata ACR reports in /acr/v1/{repo}/_manifests, read from the manifest and its config blob. */
    private describe(repo: RepoState, bytes: Buffer): Omit<StoredManifest, 'digest' | 'bytes' | 'mediaType' | 'createdTime' | 'lastUpdateTime'> {
        const doc = parseManifestJson(bytes) ?? {};
        const config = asDescriptor(doc.config);
        const layers = Array.isArray(doc.layers) ? doc.layers.map(asDescriptor).filter((d): d is Descriptor => d !== undefined) : [];
        const references = Array.isArray(doc.manifests) ? doc.manifests.map(asDescriptor).filter((d): d is Descriptor => d !== undefined) : [];
        const subject = asDescriptor(doc.subject);
        const annotations = asObj(doc.annotations) as Record<string, string> | undefined;
        const artifactType = typeof doc.artifactType === 'string' ? doc.artifactType : subject ? config?.mediaType : undefined;
        let architecture: string | undefined;
        let os: string | undefined;
        const configBytes = config ? repo.blobs.get(config.digest)?.bytes : undefined;
        const configDoc = configBytes ? parseManifestJson(configBytes) : undefined;
        if (configDoc && typeof configDoc.architecture === 'string') architecture = configDoc.architecture;
        if (configDoc && typeof configDoc.os === 'string') os = configDoc.os;
        // Assumption: an index's imageSize is the sum of its children's sizes (what a full pull moves).
        const imageSize = INDEX_MEDIA_TYPES.has(String(doc.mediaType))
            ? references.reduce((sum, r) => sum + (repo.manifests.get(r.digest)?.imageSize ?? r.size), 0)
            : (config?.size ?? 0) + layers.reduce((sum, l) => sum + l.size, 0);
        return { imageSize, architecture, os, configMediaType: config?.mediaType, references, layers, subject, artifactType, annotations };
    }

    /** Manifests whose `subject` is `digest`, oldest first (the OCI referrers list). */
    referrersOf(repo: RepoState, digest: string): StoredManifest[] {
        return [...repo.manifests.values()].filter(m => m.subject?.digest === digest).sort((a, b) => a.createdTime.localeCompare(b.createdTime));
    }

    /**
     * Deletes a manifest, its tags and (recursively) its referrers: Learn says deleting an artifact
     * deletes its streaming version too. Returns false when the digest is unknown.
     */
    deleteManifest(repo: RepoState, digest: string): boolean {
        if (!repo.manifests.delete(digest)) return false;
        for (const [name, tag] of repo.tags) if (tag.digest === digest) repo.tags.delete(name);
        for (const ref of this.referrersOf(repo, digest)) this.deleteManifest(repo, ref.digest);
        return true;
    }
}
