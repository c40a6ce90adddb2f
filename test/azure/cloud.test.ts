import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAzureAccess } from '../../src/azure/azure-access.js';
import { parseBearerChallenge } from '../../src/azure/challenge.js';
import { cloudProfile } from '../../src/azure/cloud.js';
import { jwtClaims } from '../../src/azure/jwt.js';
import { resolveSubscription } from '../../src/azure/subscription.js';
import { ToolError } from '../../src/tool-error.js';

const SUB = '11111111-2222-3333-4444-555555555555';

describe('cloud selection', () => {
    it.each([
        ['AzureCloud', 'https://management.azure.com', 'azurecr.io', 'https://containerregistry.azure.net/.default'],
        ['AzureChinaCloud', 'https://management.chinacloudapi.cn', 'azurecr.cn', 'https://containerregistry.azure.cn/.default'],
        ['AzureUSGovernment', 'https://management.usgovcloudapi.net', 'azurecr.us', 'https://containerregistry.azure.us/.default']
    ] as const)('%s', async (name, arm, suffix, acrScope) => {
        const c = cloudProfile(name);
        expect(c.armEndpoint).toBe(arm);
        expect(c.armScope).toBe(`${arm}/.default`);
        expect(c.acrSuffix).toBe(suffix);
        expect(c.acrScope).toBe(acrScope);
        const access = await createAzureAccess({ cloud: name, subscription: SUB, env: {} });
        expect(access.cloud.name).toBe(name);
        expect(access.parseImage(`contosoacr.${suffix}/a:1`).loginServer).toBe(`contosoacr.${suffix}`);
    });

    it('defaults to the public cloud', () => {
        expect(cloudProfile(undefined).name).toBe('AzureCloud');
    });
});

describe('subscription resolution', () => {
    const profileDir = (content: string) => {
        const dir = mkdtempSync(join(tmpdir(), 'azprofile-'));
        writeFileSync(join(dir, 'azureProfile.json'), content);
        return dir;
    };
    const profile = JSON.stringify({
        subscriptions: [
            { id: '99999999-2222-3333-4444-555555555555', isDefault: false, tenantId: 't0' },
            { id: SUB, isDefault: true, tenantId: 't1' }
        ]
    });

    it('prefers --subscription, then AZURE_SUBSCRIPTION_ID, then the CLI default (with a BOM)', () => {
        const dir = profileDir('\uFEFF' + profile);
        const other = '22222222-2222-3333-4444-555555555555';
        expect(resolveSubscription(other, { AZURE_SUBSCRIPTION_ID: SUB, AZURE_CONFIG_DIR: dir })).toEqual({ id: other, source: '--subscription' });
        expect(resolveSubscription(undefined, { AZURE_SUBSCRIPTION_ID: other, AZURE_CONFIG_DIR: dir })).toEqual({ id: other, source: 'AZURE_SUBSCRIPTION_ID' });
        expect(resolveSubscription(undefined, { AZURE_CONFIG_DIR: dir })).toEqual({ id: SUB, tenantId: 't1', source: 'azureProfile.json' });
    });

    it('explains what was tried when nothing is set', () => {
        const dir = mkdtempSync(join(tmpdir(), 'azprofile-empty-'));
        try {
            resolveSubscription(undefined, { AZURE_CONFIG_DIR: dir }, 'contoso.onmicrosoft.com');
            throw new Error('expected a ToolError');
        } catch (e) {
            expect(e).toBeInstanceOf(ToolError);
            const text = (e as ToolError).toText();
            expect(text).toContain('AZURE_SUBSCRIPTION_ID');
            expect(text).toContain('az login --tenant contoso.onmicrosoft.com');
        }
    });

    it('refuses a malformed AZURE_SUBSCRIPTION_ID', () => {
        expect(() => resolveSubscription(undefined, { AZURE_SUBSCRIPTION_ID: 'nope' })).toThrow(ToolError);
    });
});

describe('small parsers', () => {
    it('reads exp and tid from a JWT payload and tolerates garbage', () => {
        const token = `x.${Buffer.from(JSON.stringify({ exp: 123, tid: 'tt' })).toString('base64url')}.y`;
        expect(jwtClaims(token)).toEqual({ exp: 123, tid: 'tt' });
        expect(jwtClaims('not-a-jwt')).toEqual({});
        expect(jwtClaims('a.%%%.b')).toEqual({});
    });

    it('parses the ACR challenge', () => {
        expect(parseBearerChallenge('Bearer realm="https://r.azurecr.io/oauth2/token",service="r.azurecr.io",scope="repository:a:pull"')).toEqual({
            realm: 'https://r.azurecr.io/oauth2/token',
            service: 'r.azurecr.io',
            scope: 'repository:a:pull'
        });
        expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
        expect(parseBearerChallenge(undefined)).toBeUndefined();
    });
});

describe('through a tool', () => {
    it('no subscription anywhere → a ToolError with the fix, and nothing was called', async () => {
        const { testApp, connect } = await import('../helpers/mcp.js');
        const dir = mkdtempSync(join(tmpdir(), 'azprofile-none-'));
        const app = await testApp({}, { azure: () => createAzureAccess({ cloud: 'AzureCloud', env: { AZURE_CONFIG_DIR: dir } }) });
        const { client, close } = await connect(app);
        try {
            const r = (await client.callTool({ name: 'acr_list_registries', arguments: {} })) as { isError?: boolean; content: { text?: string }[] };
            expect(r.isError).toBe(true);
            expect(r.content[0]!.text).toMatch(/No Azure subscription selected[\s\S]*Fix: run `az login`[\s\S]*AZURE_SUBSCRIPTION_ID/);
        } finally {
            await close();
        }
    });
});
