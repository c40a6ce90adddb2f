import { describe, expect, it } from 'vitest';
import { architectureOfVmSize, isConfidentialVmSize, parseVmSize } from '../../src/streaming/vm-size.js';

describe('VM size → architecture', () => {
    it.each([
        ['Standard_D4ps_v5', 'arm64'],
        ['Standard_E8pds_v5', 'arm64'],
        ['Standard_D16plds_v5', 'arm64'],
        ['Standard_B2pts_v2', 'arm64'],
        ['Standard_D4pds_v6', 'arm64'],
        ['Standard_D2pls_v5', 'arm64'],
        ['Standard_D16plds_v6', 'arm64'],
        // NVIDIA Grace (Arm64 CPU) sizes carry no "p" feature: the accelerator says it
        ['Standard_ND128isr_NDR_GB200_v6', 'arm64'],
        ['Standard_ND128isr_GB300_v6', 'arm64'],
        ['standard_d4ps_v5', 'arm64'],
        ['STANDARD_E8PDS_V5', 'arm64'],
        ['Standard_D4s_v5', 'amd64'],
        ['Standard_D4ds_v5', 'amd64'],
        ['Standard_NC24ads_A100_v4', 'amd64'],
        ['Standard_ND96isr_H100_v5', 'amd64'],
        ['Standard_NP10s', 'amd64'], // FPGA family "NP": the p is in the family, not a feature
        ['Standard_DS2_v2', 'amd64'],
        ['Standard_E4-2ds_v4', 'amd64'], // constrained vCPU
        ['Standard_M416ms_v2', 'amd64'],
        ['Standard_A2m_v2', 'amd64'],
        ['Standard_DC4as_v5', 'amd64'],
        ['Standard_NC40ads_H100_v5', 'amd64'],
        ['Standard_ND96amsr_A100_v4', 'amd64'],
        ['Standard_NV36ads_A10_v5', 'amd64'],
        ['Standard_M416s_8_v2', 'amd64'],
        ['Basic_A1', 'amd64'],
        ['not-a-size', 'unknown'],
        ['', 'unknown']
    ])('%s is %s', (size, arch) => {
        expect(architectureOfVmSize(size)).toBe(arch);
    });

    it('parses family, vCPUs, features, accelerator and version', () => {
        expect(parseVmSize('Standard_NC24ads_A100_v4')).toEqual({ family: 'NC', vcpus: 24, features: 'ads', accelerators: ['A100'], version: 4 });
        expect(parseVmSize('Standard_E4-2ds_v4')).toMatchObject({ family: 'E', vcpus: 4, features: 'ds', version: 4 });
        expect(parseVmSize('Standard_ND128isr_NDR_GB200_v6')).toEqual({ family: 'ND', vcpus: 128, features: 'isr', accelerators: ['NDR', 'GB200'], version: 6 });
    });

    it.each([
        ['Standard_DC4as_v5', true],
        ['Standard_EC8ads_v5', true],
        ['Standard_DC4es_v5', true],
        ['Standard_DC2s_v3', false], // SGX enclave size, not a confidential VM
        ['Standard_NCC40ads_H100_v5', true],
        ['Standard_D4as_v5', false]
    ])('%s confidential VM: %s', (size, cvm) => {
        expect(isConfidentialVmSize(size)).toBe(cvm);
    });
});
