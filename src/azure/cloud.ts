/**
 * The three Azure clouds the server can talk to. One table decides the ARM endpoint, the token audiences,
 * the Entra authority and the ACR login-server suffix, so no URL is spelled anywhere else.
 * Sources: azure-cli cloud definitions (`az cloud show`), @azure/identity AzureAuthorityHosts, and the ACR
 * Entra audiences used by the ACR credential helpers (containerregistry.azure.net / .cn / .us).
 */
export type CloudName = 'AzureCloud' | 'AzureChinaCloud' | 'AzureUSGovernment';

export interface CloudProfile {
    name: CloudName;
    /** Resource Manager origin, no trailing slash. */
    armEndpoint: string;
    /** Entra scope for ARM tokens (also the first audience tried for the ACR token exchange). */
    armScope: string;
    /** Entra scope for ACR-audience tokens (used when a registry refuses ARM-audience tokens). */
    acrScope: string;
    /** Login servers are `<registry>.<acrSuffix>`. */
    acrSuffix: string;
    authorityHost: string;
}

export const CLOUDS: Record<CloudName, CloudProfile> = {
    AzureCloud: {
        name: 'AzureCloud',
        armEndpoint: 'https://management.azure.com',
        armScope: 'https://management.azure.com/.default',
        acrScope: 'https://containerregistry.azure.net/.default',
        acrSuffix: 'azurecr.io',
        authorityHost: 'https://login.microsoftonline.com'
    },
    AzureChinaCloud: {
        name: 'AzureChinaCloud',
        armEndpoint: 'https://management.chinacloudapi.cn',
        armScope: 'https://management.chinacloudapi.cn/.default',
        acrScope: 'https://containerregistry.azure.cn/.default',
        acrSuffix: 'azurecr.cn',
        authorityHost: 'https://login.chinacloudapi.cn'
    },
    AzureUSGovernment: {
        name: 'AzureUSGovernment',
        armEndpoint: 'https://management.usgovcloudapi.net',
        armScope: 'https://management.usgovcloudapi.net/.default',
        acrScope: 'https://containerregistry.azure.us/.default',
        acrSuffix: 'azurecr.us',
        authorityHost: 'https://login.microsoftonline.us'
    }
};

export function cloudProfile(name: CloudName | undefined): CloudProfile {
    return CLOUDS[name ?? 'AzureCloud'];
}
