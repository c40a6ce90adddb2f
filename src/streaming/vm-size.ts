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
    /** Suffixes between the features and the version, e.g. ["A100"], ["NDR", "GB200"], ["cc"]. */
    accelerators: string[];
    version?: number;
}

const VM_SIZE = /^(?:standard|basic)_([a-z]+)(\d+)(?:-\d+)?([a-z]*)((?:_[a-z0-9]+)*)$/i;

export function parseVmSize(size: string): VmSize | undefined {
    const m = VM_SIZE.exec(size.trim());
    if (!m) return undefined;
    const suffixes = m[4]!.split('_').filter(Boolean);
    const versionPart = suffixes.find(s => /^v\d+$/i.test(s));
    const accelerators = suffixes.filter(s => !/^v\d+$/i.test(s));
    return {
        family: m[1]!.toUpperCase(),
        vcpus: Number(m[2]),
        features: m[3]!.toLowerCase(),
        accelerators,
        ...(versionPart ? { version: Number(versionPart.slice(1)) } : {})
    };
}

/**
 * NVIDIA Grace superchips (GB200, GB300, GH200) pair the GPU with an Arm64 CPU, and their sizes carry no `p`
 * feature: Standard_ND128isr_NDR_GB200_v6 ("ND GB200 v6 ... NVIDIA Grace CPU", Learn: nd-gb200-v6-series).
 */
const GRACE_ACCELERATOR = /^G[BH]\d{3}$/i;

export function architectureOfVmSize(size: string): Architecture {
    const parsed = parseVmSize(size);
    if (!parsed) return 'unknown';
    if (parsed.features.includes('p') || parsed.accelerators.some(a => GRACE_ACCELERATOR.test(a))) return 'arm64';
    return 'amd64';
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
