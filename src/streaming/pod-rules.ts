/**
 * What the pod's spec, conditions and events say about streaming (AKS artifact-streaming.md limitations,
 * ACR troubleshoot-artifact-streaming.md signals). The events are the kubelet's own wording.
 */
import type { ImageTarget, PodFacts, PullRecord } from './facts.js';
import { finding, type Finding } from './findings.js';
import { fixes, sh } from './fixes.js';
import { formatSeconds } from './go-duration.js';
import { SLOW_PULL_SECONDS } from './thresholds.js';

/** Registry host and repository of a reference, lowercased, without tag or digest. */
export function imageRepo(ref: string): string {
    const noDigest = ref.split('@')[0]!;
    const slash = noDigest.indexOf('/');
    const lastColon = noDigest.lastIndexOf(':');
    const repo = lastColon > slash ? noDigest.slice(0, lastColon) : noDigest;
    return repo.toLowerCase();
}

export const sameRepository = (a: string, b: string) => imageRepo(a) === imageRepo(b);

const MIRROR = /(localhost|127\.0\.0\.1):8578/i;
const PULL_FAILURE = new Set(['ErrImagePull', 'ImagePullBackOff']);

/** The last pull of `image`'s repository, from the kubelet's Pulled events. */
export function lastPull(pod: PodFacts, image: string): PullRecord | undefined {
    return [...pod.pulls].reverse().find(p => sameRepository(p.image, image));
}

export interface PodRuleContext {
    cluster?: string;
    resourceGroup?: string;
}

export function podFindings(pod: PodFacts, t: ImageTarget, ctx: PodRuleContext = {}): Finding[] {
    const out: Finding[] = [];
    const who = pod.name ? `pod ${pod.namespace ? `${pod.namespace}/` : ''}${pod.name}` : 'the pod';
    const containers = pod.containers.filter(c => sameRepository(c.image, t.text));
    if (containers.length === 0 && pod.containers.length > 0) {
        out.push(finding('POD_IMAGE_MISMATCH', `${who} runs ${pod.containers.map(c => c.image).join(', ')}, not ${t.repository}`, fixes.info('Diagnose the image the pod runs, or name the pod that runs this image.')));
    }

    const fromSa = pod.serviceAccountPullSecrets ?? [];
    const secrets = [...new Set([...pod.imagePullSecrets, ...fromSa])];
    if (secrets.length > 0) {
        const viaSa = pod.serviceAccount && fromSa.length > 0 ? ` (from service account ${pod.serviceAccount}: ${fromSa.join(', ')})` : '';
        const ns = pod.namespace ? ` -n ${sh(pod.namespace)}` : '';
        out.push(
            finding('POD_PULL_SECRET', `${who} has imagePullSecrets: ${secrets.join(', ')}${viaSa}`, {
                explanation:
                    'Remove imagePullSecrets from the workload (its Deployment/StatefulSet spec' +
                    (viaSa ? ' and the service account' : '') +
                    ") and let the node pull with the kubelet identity (AcrPull): pulls with a pull secret fall back to a normal pull.",
                ...(viaSa ? { kubectlCommand: `kubectl${ns} patch serviceaccount ${sh(pod.serviceAccount!)} --type json -p '[{"op":"remove","path":"/imagePullSecrets"}]'` } : {})
            })
        );
    }

    const byDigest = containers.filter(c => c.image.includes('@sha256:'));
    if (byDigest.length > 0) {
        out.push(
            finding('POD_IMAGE_BY_DIGEST', `container ${byDigest[0]!.name} uses image "${byDigest[0]!.image}"`, fixes.info(`Reference the image by tag (e.g. ${t.tag ? `${t.loginServer}/${t.repository}:${t.tag}` : `${t.loginServer}/${t.repository}:<tag>`}); pulls by digest never stream.`))
        );
    }

    const mirror = pod.events.find(e => MIRROR.test(e.message) && /\b503\b/.test(e.message));
    if (mirror) out.push(finding('POD_MIRROR_UNAVAILABLE', quote(mirror), fixes.checkAcr(ctx.cluster, ctx.resourceGroup, t.loginServer)));

    const failing = pod.events.find(
        e => PULL_FAILURE.has(e.reason) || (e.reason === 'Failed' && /Failed to pull image|ErrImagePull|ImagePullBackOff/.test(e.message)) || (e.reason === 'BackOff' && /Back-off pulling image/.test(e.message))
    );
    const waiting = pod.waitingReasons.find(r => PULL_FAILURE.has(r));
    if (failing || waiting) {
        out.push(finding('POD_PULL_FAILING', failing ? quote(failing) : `container state waiting: ${waiting}`, fixes.info('Read the pull error in the events: an authorization error points at the kubelet identity\'s pull permission, a not-found error at the tag.')));
    }

    const pull = lastPull(pod, t.text);
    if (pull && pull.seconds > SLOW_PULL_SECONDS) {
        out.push(finding('POD_SLOW_PULL', `the last pull took ${formatSeconds(pull.seconds)}: "${pull.message}"`, fixes.info('This is the time streaming can save; the findings above say what stops it.')));
    }

    const cond = pod.conditions.find(c => c.type === 'UpgradeIfStreamableDisabled' && c.status.toLowerCase() === 'true');
    if (cond) {
        out.push(finding('POD_UPGRADE_IF_STREAMABLE_DISABLED', `${who} has condition UpgradeIfStreamableDisabled=True`, fixes.info('The troubleshooting page says only: check that the image comes from an Azure Container Registry. Check the image reference and the registry.')));
    }
    return out;
}

function quote(e: { type: string; reason: string; message: string; count: number }): string {
    return `${e.type} ${e.reason}${e.count > 1 ? ` (x${e.count})` : ''}: "${e.message}"`;
}
