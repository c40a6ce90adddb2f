/**
 * The image a per-image change tool acts on (create, cancel, remove): the reference parsed by the one grammar
 * before any network call, the registry checked for streaming (Premium, no CMK) and for the login server
 * Resource Manager reports, and the image inspected (digest, streaming referrer, last conversion).
 */
import type { AzureAccess, RegistryInfo } from '../../azure/azure-access.js';
import { parseImageRef, type ImageRef } from '../../azure/names.js';
import type { ImageInspection } from '../../azure/types.js';
import { ToolError } from '../../tool-error.js';
import { registryForChange } from '../change/registry-preconditions.js';
import type { ToolRuntime } from '../define-tool.js';

export interface ImageForChange {
    azure: AzureAccess;
    ref: ImageRef;
    reg: RegistryInfo;
    found: ImageInspection;
    /** `repo:tag` or `repo@sha256:…`, as `az acr … --image` takes it. */
    cliImage: string;
}

export async function imageForChange(image: string, rt: ToolRuntime): Promise<ImageForChange> {
    const ref = parseImageRef(image, rt.cloud);
    const azure = await rt.azure();
    const reg = await registryForChange(azure, ref.registry, undefined, rt.signal);
    if (reg.loginServer !== ref.loginServer) {
        throw new ToolError(`Registry ${reg.name} is served at ${reg.loginServer}`, `Resource Manager reports a different login server than ${ref.loginServer}`, `use ${reg.loginServer}/${ref.repository}…`, 'HOST_NOT_ALLOWED');
    }
    const found = await azure.inspectImage(reg, ref, { abortSignal: rt.signal });
    const cliImage = ref.digest ? `${ref.repository}@${ref.digest}` : `${ref.repository}:${ref.tag}`;
    return { azure, ref, reg, found, cliImage };
}

/** A tool name for a hint, only when this server registered it (--read-only, --toolsets). */
export function toolHint(rt: Pick<ToolRuntime, 'registeredTools'>, tool: string, withTool: string, otherwise: string): string {
    return rt.registeredTools.has(tool) ? withTool : otherwise;
}
