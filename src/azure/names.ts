/**
 * Strict parsing of every name that reaches a URL or decides where a token goes. Everything here runs
 * before any network call, so hostile input (other hosts, look-alike suffixes, userinfo, ports, path
 * tricks, control characters, huge strings) is refused with an example of the right form.
 */
import { ToolError } from '../tool-error.js';
import type { CloudProfile } from './cloud.js';

/** ACR registry names: 5-50 alphanumerics (Microsoft.ContainerRegistry naming rules). */
export const REGISTRY_NAME = /^[a-zA-Z0-9]{5,50}$/;
/** OCI distribution spec, `<name>` grammar (path components separated by `/`). */
const REPO_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
export const REPOSITORY_NAME = new RegExp(`^${REPO_COMPONENT}(?:/${REPO_COMPONENT})*$`);
/** OCI distribution spec, `<reference>` as a tag. */
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** Only sha256 digests, lower-case hex, as ACR produces. */
export const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** Many clients cap `<host>/<name>` at 255 characters (OCI distribution spec); we cap the whole reference. */
export const MAX_REFERENCE_LENGTH = 512;
export const MAX_REPOSITORY_LENGTH = 255;

export interface ImageRef {
    registry: string;
    loginServer: string;
    repository: string;
    tag?: string;
    digest?: string;
    /** The reference as given (normalised host), for display. */
    text: string;
}

function example(cloud: CloudProfile): string {
    return `contosoacr.${cloud.acrSuffix}/ml/trainer:v1 or contosoacr.${cloud.acrSuffix}/ml/trainer@sha256:<64 lowercase hex>`;
}

/** Shows a short, printable excerpt of hostile input instead of echoing 10 KB or control characters back. */
export function excerpt(input: string): string {
    const printable = input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
    return printable.length > 60 ? `${printable.slice(0, 60)}… (${input.length} characters)` : printable;
}

function refuse(what: string, input: string, why: string, fix: string): never {
    throw new ToolError(`${what} "${excerpt(input)}" is not accepted`, why, fix, 'INVALID_INPUT');
}

export function assertRegistryName(name: string): string {
    if (!REGISTRY_NAME.test(name)) {
        refuse('Registry name', name, 'ACR registry names are 5-50 letters or digits, without the login-server suffix', 'pass the short name, e.g. "contosoacr"');
    }
    return name;
}

export function assertRepositoryName(name: string): string {
    if (name.length > MAX_REPOSITORY_LENGTH || !REPOSITORY_NAME.test(name)) {
        refuse(
            'Repository name',
            name,
            'repository names are lower-case path components of letters and digits joined by ".", "_", "__" or "-", separated by "/"',
            'pass e.g. "ml/trainer" (no registry host, no tag)'
        );
    }
    return name;
}

/**
 * The start of a repository name, to filter a listing: the characters of the repository grammar, possibly cut
 * anywhere (so "ml/" and "ml/tra" pass); empty means every repository.
 */
export function assertRepositoryPrefix(prefix: string): string {
    if (!/^[a-z0-9._/-]*$/.test(prefix) || prefix.length > MAX_REPOSITORY_LENGTH) {
        throw new ToolError('The repository prefix is not valid', 'repository names use lowercase letters, digits, ".", "_", "-" and "/"', 'pass e.g. "ml/" or omit repositoryPrefix', 'INVALID_INPUT');
    }
    return prefix;
}

export function assertDigest(digest: string): string {
    if (!DIGEST.test(digest)) refuse('Digest', digest, 'a digest is "sha256:" followed by 64 lower-case hex characters', 'copy the digest exactly, e.g. from acr_inspect_image');
    return digest;
}

/** ACR operation ids (GUIDs in every answer seen); anything else never becomes part of a URL. */
export const OPERATION_ID = /^[A-Za-z0-9-]{1,100}$/;

export function assertOperationId(id: string): string {
    if (!OPERATION_ID.test(id)) refuse('Operation id', id, 'operation ids are 1-100 letters, digits or "-"', 'pass the id exactly as the registry returned it (acr_inspect_image shows the last one)');
    return id;
}

/** ARM resource group names: 1-90 of letters, digits, `_`, `-`, `.`, `(`, `)`, not ending in `.` (Learn: resource naming rules). */
export const RESOURCE_GROUP_NAME = /^[-\w.()]{1,90}$/;
/** AKS cluster names: 1-63 letters, digits, `_` or `-`, starting with a letter or digit (Learn: resource naming rules). */
export const CLUSTER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/;
/**
 * AKS node pool names: lower-case letters and digits, starting with a letter; at most 12 characters for Linux
 * pools (6 for Windows ones, which AKS checks when the pool is created). Learn: "Create node pools in AKS".
 */
export const NODE_POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;

/** An optional resource group: undefined passes, anything else must be a valid name. */
export function assertResourceGroup(rg: string | undefined): string | undefined {
    if (rg === undefined) return undefined;
    if (!RESOURCE_GROUP_NAME.test(rg) || rg.endsWith('.')) {
        throw new ToolError('Resource group name is not valid', 'resource group names are 1-90 letters, digits, "_", "-", ".", "(" or ")"', 'pass e.g. "rg-registry", or omit resourceGroup', 'INVALID_INPUT');
    }
    return rg;
}

export function assertClusterName(name: string): string {
    if (!CLUSTER_NAME.test(name)) {
        throw new ToolError('Cluster name is not valid', 'AKS cluster names are 1-63 letters, digits, "_" or "-", starting with a letter or digit', 'pass e.g. "aks-prod"', 'INVALID_INPUT');
    }
    return name;
}

export function assertNodePoolName(name: string): string {
    if (!NODE_POOL_NAME.test(name)) {
        refuse('Node pool name', name, 'AKS node pool names are 1-12 lower-case letters or digits, starting with a letter', 'pass e.g. "gpupool" (as `az aks nodepool list` shows it)');
    }
    return name;
}

export function assertTag(tag: string): string {
    if (!TAG.test(tag)) refuse('Tag', tag, 'a tag is 1-128 letters, digits, "_", "." or "-" and cannot start with "." or "-"', 'pass e.g. "v1" (no repository, no "@sha256:")');
    return tag;
}

/** Login server of a registry in this cloud: `<name lowercased>.<suffix>`. */
export function loginServerFor(registry: string, cloud: CloudProfile): string {
    return `${registry.toLowerCase()}.${cloud.acrSuffix}`;
}

/** True when `host` is exactly `<5-50 alphanumerics>.<this cloud's ACR suffix>` (no port, no extra labels). */
export function isAcrLoginServer(host: string, cloud: CloudProfile): boolean {
    const suffix = '.' + cloud.acrSuffix;
    if (host !== host.toLowerCase() || !host.endsWith(suffix)) return false;
    return REGISTRY_NAME.test(host.slice(0, -suffix.length));
}

export interface ParseImageOptions {
    /** Used when the reference names neither a tag nor a digest (the prompts assume `latest`, as docker does). */
    defaultTag?: string;
}

export function parseImageRef(input: string, cloud: CloudProfile, opts: ParseImageOptions = {}): ImageRef {
    const fix = `use ${example(cloud)}`;
    if (input.length > MAX_REFERENCE_LENGTH) refuse('Image reference', input, `it is longer than ${MAX_REFERENCE_LENGTH} characters`, fix);
    if (/[\u0000-\u0020\u007f-\u009f]/.test(input)) refuse('Image reference', input, 'it contains spaces or control characters', fix);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) refuse('Image reference', input, 'an image reference has no scheme (https://)', fix);
    const slash = input.indexOf('/');
    if (slash <= 0) refuse('Image reference', input, `it must start with the registry login server (<registry>.${cloud.acrSuffix}/)`, fix);
    const host = input.slice(0, slash).toLowerCase();
    if (host.includes('@')) refuse('Image reference', input, 'user information (user@host) is not allowed', fix);
    if (host.includes(':')) refuse('Image reference', input, 'a port is not allowed: ACR login servers use the default HTTPS port', fix);
    if (!isAcrLoginServer(host, cloud)) {
        refuse('Image reference', input, `"${excerpt(host)}" is not an Azure Container Registry login server of this cloud (<registry>.${cloud.acrSuffix})`, fix);
    }
    let rest = input.slice(slash + 1);
    let digest: string | undefined;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest)) refuse('Image reference', input, 'the digest after "@" must be "sha256:" followed by 64 lower-case hex characters', fix);
    }
    let tag: string | undefined;
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag)) refuse('Image reference', input, 'a tag is 1-128 letters, digits, "_", "." or "-" and cannot start with "." or "-"', fix);
    }
    if (rest.length > MAX_REPOSITORY_LENGTH || !REPOSITORY_NAME.test(rest)) {
        refuse('Image reference', input, 'the repository part must be lower-case path components (e.g. "ml/trainer"); ".." and empty components are not allowed', fix);
    }
    if (!tag && !digest && opts.defaultTag) tag = opts.defaultTag;
    if (!tag && !digest) refuse('Image reference', input, 'it names neither a tag nor a digest', `add ":<tag>" or "@sha256:<digest>", e.g. ${example(cloud)}`);
    const registry = host.slice(0, -(cloud.acrSuffix.length + 1));
    const text = `${host}/${rest}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
    return { registry, loginServer: host, repository: rest, tag, digest, text };
}

/** Kubernetes namespaces: a DNS-1123 label (1-63 lower-case letters, digits, "-", alphanumeric at both ends). */
export const NAMESPACE_NAME = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
/** Pod names: a DNS-1123 subdomain (up to 253 characters of labels joined by "."). */
export const POD_NAME = /^(?=.{1,253}$)[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

export function assertNamespace(name: string): string {
    if (!NAMESPACE_NAME.test(name)) refuse('Namespace', name, 'Kubernetes namespaces are 1-63 lower-case letters, digits or "-", starting and ending with a letter or digit', 'pass e.g. "default" or "ml"');
    return name;
}

export function assertPodName(name: string): string {
    if (!POD_NAME.test(name)) refuse('Pod name', name, 'Kubernetes pod names are lower-case letters, digits, "-" and ".", up to 253 characters', 'pass the name `kubectl get pods` shows, e.g. "trainer-0"');
    return name;
}
