/** The media types artifact streaming accepts (troubleshoot-artifact-streaming.md, UNSUPPORTED_MEDIATYPE). */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** artifactType of the streaming referrer (azure-cli artifact_streaming.py). */
export const STREAMING_ARTIFACT_TYPE = 'application/vnd.azure.artifact.streaming.v1';

export type ManifestKind = 'manifest' | 'index' | 'unsupported';

export function manifestKind(mediaType: string): ManifestKind {
    const mt = mediaType.split(';')[0]!.trim().toLowerCase();
    if (mt === OCI_MANIFEST || mt === DOCKER_MANIFEST) return 'manifest';
    if (mt === OCI_INDEX || mt === DOCKER_MANIFEST_LIST) return 'index';
    return 'unsupported';
}
