/**
 * Fills a registry's store from the world: content for each image, its tags, and its streaming
 * history (`converted` → referrer + Succeeded op, `converting` → Running op started now, `failed` →
 * Failed op with the world's failureCode). The repository flag `convertPushedImages` is copied but
 * never applied to these images: only later pushes are auto-converted.
 */
import type { AcrContext } from './acr-context.js';
import { buildWorldImage } from './content-builder.js';
import { decideConversion, FAILURE_MESSAGES } from './conversion-rules.js';

export function loadRegistryContent(ctx: AcrContext): void {
    const nowMs = ctx.now();
    const loadIso = new Date(nowMs).toISOString();
    for (const repoDef of ctx.registry.repositories) {
        const pushed = repoDef.images.map(i => i.pushedAt).filter((t): t is string => !!t).sort();
        const repo = ctx.state.ensureRepo(repoDef.name, pushed[0] ? new Date(pushed[0]).toISOString() : loadIso);
        repo.convertPushedImages = repoDef.convertPushedImages;
        repoDef.images.forEach((image, i) => {
            const created = image.pushedAt ? new Date(image.pushedAt).toISOString() : loadIso;
            const built = buildWorldImage(`${ctx.loginServer}/${repoDef.name}/${i}`, image);
            for (const b of built.blobs) repo.blobs.set(b.digest, { size: b.size, bytes: b.bytes });
            for (const m of built.manifests) ctx.state.putManifest(repo, m.digest, m.bytes, m.mediaType, created);
            for (const tag of image.tags) ctx.state.putManifest(repo, built.top.digest, built.top.bytes, built.top.mediaType, created, tag);
            const digest = built.top.digest;
            if (image.conversionSeconds !== undefined) ctx.ops.setDuration(repo.name, digest, image.conversionSeconds * 1000);
            if (image.streaming === 'converted') {
                // The world is authoritative: even an image the rules would refuse gets its referrer.
                const d = decideConversion(ctx.state, repo, digest);
                const top = repo.manifests.get(digest);
                const first = top?.references[0];
                const source = d.ok ? d.amd64 : first ? repo.manifests.get(first.digest) : top;
                if (source) ctx.attachStreamingArtifact(repo, digest, source, created);
                ctx.ops.recordTerminal(repo.name, digest, nowMs);
            } else if (image.streaming === 'converting') {
                ctx.ops.startConversion(repo.name, digest, nowMs, true);
            } else if (image.streaming === 'failed') {
                const code = image.failureCode ?? 'UNKNOWN_ERROR';
                ctx.ops.recordTerminal(repo.name, digest, nowMs, { code, message: FAILURE_MESSAGES[code] });
            }
        });
    }
}
