/**
 * docker-registry 2.8 has no referrers API (distribution 2.8, docs/sources.md), so referrers are read from the OCI 1.1
 * tag-schema fallback: an image index tagged `sha256-<hex of subject>` listing the referrers.
 */
import type { UpstreamClient } from './upstream-client.js';

export interface ReferrerDescriptor {
    mediaType: string;
    digest: string;
    size: number;
    artifactType?: string;
    annotations?: Record<string, string>;
}

export async function upstreamReferrers(client: UpstreamClient, repo: string, subjectDigest: string): Promise<ReferrerDescriptor[]> {
    const tag = subjectDigest.replace(':', '-');
    const res = await client.request('GET', `/v2/${repo}/manifests/${tag}`, { accept: 'application/vnd.oci.image.index.v1+json' });
    if (res.status !== 200) return [];
    try {
        const doc = JSON.parse(res.body.toString('utf8')) as { manifests?: unknown };
        return Array.isArray(doc.manifests) ? (doc.manifests as ReferrerDescriptor[]).filter(d => typeof d?.digest === 'string') : [];
    } catch {
        return [];
    }
}
