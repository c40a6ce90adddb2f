/**
 * OCI 1.1 referrers API: `GET /v2/{repo}/referrers/{digest}[?artifactType=…]`, answered as recorded
 * (azure-cli recording, docs/sources.md): 200, `application/vnd.oci.image.index.v1+json`,
 * `OCI-Filters-Applied: artifactType` when filtered. An unknown subject gets an empty index (OCI spec), an
 * unknown repository NAME_UNKNOWN.
 * With an upstream, referrers from its `sha256-<hex>` tag-schema index are merged in.
 */
import type { SandboxRequest, SandboxResponse } from '../http/types.js';
import { upstreamReferrers, type ReferrerDescriptor } from '../upstream/upstream-referrers.js';
import type { AcrContext } from './acr-context.js';
import { acrError, nameUnknown } from './acr-errors.js';
import { DIGEST_RE, OCI_INDEX } from './media-types.js';
import { V2_HEADERS } from './manifest-routes.js';

export async function listReferrers(ctx: AcrContext, req: SandboxRequest, repoName: string, digest: string): Promise<SandboxResponse> {
    if (!DIGEST_RE.test(digest)) return acrError(400, 'DIGEST_INVALID', 'invalid digest', { digest });
    const repo = ctx.state.repo(repoName);
    if (!repo && !ctx.upstream) return nameUnknown(repoName);
    const local: ReferrerDescriptor[] = repo
        ? ctx.state.referrersOf(repo, digest).map(m => ({
              mediaType: m.mediaType,
              digest: m.digest,
              size: m.bytes.length,
              ...(m.artifactType ? { artifactType: m.artifactType } : {}),
              ...(m.annotations ? { annotations: m.annotations } : {})
          }))
        : [];
    const remote = ctx.upstream ? await upstreamReferrers(ctx.upstream, repoName, digest) : [];
    const seen = new Set<string>();
    let manifests = [...local, ...remote].filter(d => !seen.has(d.digest) && seen.add(d.digest));
    const filter = req.url.searchParams.get('artifactType');
    const headers: Record<string, string> = { ...V2_HEADERS, 'content-type': OCI_INDEX };
    if (filter) {
        manifests = manifests.filter(d => d.artifactType === filter);
        headers['oci-filters-applied'] = 'artifactType';
    }
    const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
    return { status: 200, headers: { ...headers, 'content-length': String(body.length) }, body };
}
