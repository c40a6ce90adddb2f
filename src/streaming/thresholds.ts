/**
 * The numbers the rules compare against, each with where it comes from. docs/performance.md explains
 * them together with the startup estimate.
 */

/**
 * Below this compressed size an image has little to gain: with the estimate's default assumptions
 * (estimate.ts) a 200 MB image pulls in about 5-8 s and streaming saves about 3-6 s of it. A project
 * choice derived from the estimate model (docs/performance.md), not an Azure limit.
 */
export const SMALL_IMAGE_BYTES = 200_000_000;

/**
 * Above this size the AKS overview advises moving large files into volumes ("put large files (>30 GB) in
 * volumes", Learn (AKS): artifact-streaming-overview.md). Decimal gigabytes, as the page writes "30 GB".
 */
export const VERY_LARGE_IMAGE_BYTES = 30_000_000_000;

/**
 * A pull longer than a minute is what streaming is for: the pre-GA AKS page promised "reductions in pod
 * start-up times ... from minutes to seconds" (Learn (AKS): artifact-streaming.md, pre-GA revision).
 */
export const SLOW_PULL_SECONDS = 60;

/** AKS docs: Kubernetes 1.25+ (artifact-streaming.md, GA 2026). */
export const MIN_KUBERNETES_AKS = [1, 25] as const;
/** ACR docs: Kubernetes 1.26+ (container-registry-artifact-streaming.md); 1.25 is therefore borderline. */
export const MIN_KUBERNETES_ACR = [1, 26] as const;
