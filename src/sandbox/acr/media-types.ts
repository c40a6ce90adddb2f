/** OCI / Docker media types the data plane serves, plus the streaming artifact type (docs/sources.md). */
import type { WorldImage } from '../world/schema.js';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
/** overlaybd layers are uncompressed block-device blobs published as plain tar layers. */
export const OCI_LAYER_TAR = 'application/vnd.oci.image.layer.v1.tar';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
/** `mediaType: other` in a world: a manifest type the conversion service does not accept. */
export const OTHER_MANIFEST = 'application/vnd.example.other.v1+json';
export const STREAMING_ARTIFACT_TYPE = 'application/vnd.azure.artifact.streaming.v1';

/** The four manifest types the conversion service accepts (Learn troubleshooting, UNSUPPORTED_MEDIATYPE). */
export const CONVERTIBLE_MEDIA_TYPES = new Set([OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST]);
export const INDEX_MEDIA_TYPES = new Set([OCI_INDEX, DOCKER_LIST]);
/** Types a manifest PUT may carry; anything else still stores (ACR accepts artifacts) if it parses as JSON. */
export const KNOWN_MANIFEST_TYPES = new Set([...CONVERTIBLE_MEDIA_TYPES, OTHER_MANIFEST]);

export function manifestTypeOf(kind: WorldImage['mediaType']): string {
    switch (kind) {
        case 'oci-manifest':
            return OCI_MANIFEST;
        case 'oci-index':
            return OCI_INDEX;
        case 'docker-manifest':
            return DOCKER_MANIFEST;
        case 'docker-manifest-list':
            return DOCKER_LIST;
        case 'other':
            return OTHER_MANIFEST;
    }
}

export const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
export const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
