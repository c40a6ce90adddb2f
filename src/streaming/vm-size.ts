/**
 * Azure VM size names: `<tier>_<family><vCPUs>[-<constrained vCPUs>]<additive features>[_<accelerator>][_<version>]`
 * (Learn: "Azure virtual machine sizes naming conventions"). The family letters come before the vCPU count and
 * the additive features after it, so the parse works whatever the case: a `p` among the features means an
 * Arm64 (Ampere Altra / Cobalt) size, e.g. Standard_D4ps_v5, Standard_E8pds_v5, Standard_B2pts_v2; a `p` in
 * the family (Standard_NP10s, an FPGA size) does not.
 */
export type Architecture = 'amd64' | 'arm64' | 'unknown';

export interface VmSize {
    family: string;
    vcpus: number;
    features: string;
    accelerator?: string;
    version?: number;
}

const VM_SIZE = /^(?:standard|basic)_([a-z]+)(\d+)(?:-\d+)?([a-z]*)((?:_[a-z0-9]+)*)$/i;

export function parseVmSize(size: string): VmSize | undefined {
    const m = VM_SIZE.exec(size.trim());
    if (!m) return undefined;
    const suffixes = m[4]!.split('_').filter(Boolean);
    const versionPart = suffixes.find(s => /^v\d+$/i.test(s));
    const accelerator = suffixes.find(s => !/^v\d+$/i.test(s));
    return {
        family: m[1]!.toUpperCase(),
        vcpus: Number(m[2]),
        features: m[3]!.toLowerCase(),
        ...(accelerator ? { accelerator } : {}),
        ...(versionPart ? { version: Number(versionPart.slice(1)) } : {})
    };
}

export function architectureOfVmSize(size: string): Architecture {
    const parsed = parseVmSize(size);
    if (!parsed) return 'unknown';
    return parsed.features.includes('p') ? 'arm64' : 'amd64';
}

/**
 * Confidential VM sizes (AMD SEV-SNP `a`, Intel TDX `e`) in the DC/EC/NCC families from v5 on, e.g.
 * Standard_DC4as_v5, Standard_EC8ads_v5, Standard_DC4es_v5. Older DCsv2/DCsv3 sizes are SGX enclaves, not CVMs.
 */
export function isConfidentialVmSize(size: string): boolean {
    const parsed = parseVmSize(size);
    if (!parsed || !['DC', 'EC', 'NCC'].includes(parsed.family)) return false;
    return (parsed.version ?? 0) >= 5 && /[ae]/.test(parsed.features);
}
