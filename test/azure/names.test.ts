import { describe, expect, it } from 'vitest';
import { CLOUDS } from '../../src/azure/cloud.js';
import { assertClusterName, assertDigest, assertNodePoolName, assertRegistryName, assertRepositoryName, assertRepositoryPrefix, assertResourceGroup, assertTag, isAcrLoginServer, parseImageRef } from '../../src/azure/names.js';
import { ToolError } from '../../src/tool-error.js';

const pub = CLOUDS.AzureCloud;
const HEX = 'a'.repeat(64);

function refusal(fn: () => unknown): ToolError {
    try {
        fn();
    } catch (e) {
        expect(e).toBeInstanceOf(ToolError);
        return e as ToolError;
    }
    throw new Error('expected a refusal');
}

describe('image references', () => {
    it('parses tag and digest forms', () => {
        expect(parseImageRef('contosoacr.azurecr.io/ml/trainer:v1', pub)).toEqual({
            registry: 'contosoacr',
            loginServer: 'contosoacr.azurecr.io',
            repository: 'ml/trainer',
            tag: 'v1',
            digest: undefined,
            text: 'contosoacr.azurecr.io/ml/trainer:v1'
        });
        const d = parseImageRef(`ContosoACR.azurecr.io/app@sha256:${HEX}`, pub);
        expect(d).toMatchObject({ loginServer: 'contosoacr.azurecr.io', repository: 'app', digest: `sha256:${HEX}` });
        expect(parseImageRef(`contosoacr.azurecr.io/app:v1@sha256:${HEX}`, pub)).toMatchObject({ tag: 'v1', digest: `sha256:${HEX}` });
    });

    it.each([
        ['another host', 'evil.example.com/a:1'],
        ['a look-alike suffix', 'x.azurecr.io.evil.example.com/a:1'],
        ['a too-short registry', 'abc.azurecr.io/a:1'],
        ['path traversal', 'contosoacr.azurecr.io/../a:1'],
        ['dot segments', 'contosoacr.azurecr.io/ml/./a:1'],
        ['a 10 KB string', 'contosoacr.azurecr.io/' + 'a'.repeat(10_240) + ':1'],
        ['a newline', 'contosoacr.azurecr.io/a:1\nHost: evil'],
        ['a NUL', 'contosoacr.azurecr.io/a\u0000:1'],
        ['a bad digest', 'contosoacr.azurecr.io/a@sha256:XYZ'],
        ['an upper-case digest', `contosoacr.azurecr.io/a@sha256:${'A'.repeat(64)}`],
        ['a short digest', `contosoacr.azurecr.io/a@sha256:${'a'.repeat(63)}`],
        ['userinfo', 'user@contosoacr.azurecr.io/a:1'],
        ['userinfo with password', 'user:pw@contosoacr.azurecr.io/a:1'],
        ['a port', 'contosoacr.azurecr.io:443/a:1'],
        ['a scheme', 'https://contosoacr.azurecr.io/a:1'],
        ['no tag or digest', 'contosoacr.azurecr.io/a'],
        ['no repository', 'contosoacr.azurecr.io/:1'],
        ['upper-case repository', 'contosoacr.azurecr.io/ML/a:1'],
        ['a bad tag', 'contosoacr.azurecr.io/a:-x'],
        ['no host', 'ml/trainer:v1'],
        ['another cloud', 'contosoacr.azurecr.cn/a:1'],
        ['empty', '']
    ])('refuses %s with an example of the right form', (_label, input) => {
        const e = refusal(() => parseImageRef(input, pub));
        expect(e.fix).toContain('contosoacr.azurecr.io/ml/trainer:v1');
        expect(e.toText().length).toBeLessThan(800);
        expect(e.toText()).not.toMatch(/[\u0000\n]Host/);
    });

    it('uses the suffix of the selected cloud', () => {
        expect(parseImageRef('contosoacr.azurecr.cn/a:1', CLOUDS.AzureChinaCloud).loginServer).toBe('contosoacr.azurecr.cn');
        expect(parseImageRef('contosoacr.azurecr.us/a:1', CLOUDS.AzureUSGovernment).loginServer).toBe('contosoacr.azurecr.us');
        expect(refusal(() => parseImageRef('contosoacr.azurecr.io/a:1', CLOUDS.AzureUSGovernment)).fix).toContain('azurecr.us');
    });
});

describe('names', () => {
    it('checks registry names, repositories and digests', () => {
        expect(assertRegistryName('contosoacr')).toBe('contosoacr');
        for (const bad of ['abc', 'contoso-acr', 'contosoacr.azurecr.io', 'a'.repeat(51)]) refusal(() => assertRegistryName(bad));
        expect(assertRepositoryName('ml/trainer')).toBe('ml/trainer');
        for (const bad of ['../x', 'a//b', '/a', 'A', 'a:b', 'a'.repeat(256)]) refusal(() => assertRepositoryName(bad));
        expect(assertDigest(`sha256:${HEX}`)).toBe(`sha256:${HEX}`);
        refusal(() => assertDigest('sha512:' + HEX));
    });

    it('recognises login servers of a cloud exactly', () => {
        expect(isAcrLoginServer('contosoacr.azurecr.io', pub)).toBe(true);
        expect(isAcrLoginServer('contosoacr.azurecr.io.evil.com', pub)).toBe(false);
        expect(isAcrLoginServer('a.b.azurecr.io', pub)).toBe(false);
        expect(isAcrLoginServer('ContosoACR.azurecr.io', pub)).toBe(false);
        expect(isAcrLoginServer('contosoacr.azurecr.io:443', pub)).toBe(false);
    });
});

describe('Azure resource names', () => {
    it('checks resource groups, clusters, node pools and tags with one grammar each', () => {
        expect(assertResourceGroup(undefined)).toBeUndefined();
        expect(assertResourceGroup('rg-registry_(1).x')).toBe('rg-registry_(1).x');
        for (const bad of ['', 'ends.', 'has space', 'a'.repeat(91), 'a/b']) expect(refusal(() => assertResourceGroup(bad)).code).toBe('INVALID_INPUT');
        expect(assertClusterName('aks-prod_2')).toBe('aks-prod_2');
        for (const bad of ['-aks', 'aks prod', 'a'.repeat(64), '']) expect(refusal(() => assertClusterName(bad)).code).toBe('INVALID_INPUT');
        expect(assertNodePoolName('gpupool')).toBe('gpupool');
        for (const bad of ['GpuPool', '1pool', 'pool-1', 'a'.repeat(13), '']) expect(refusal(() => assertNodePoolName(bad)).code).toBe('INVALID_INPUT');
        expect(assertTag('v1.2_rc-3')).toBe('v1.2_rc-3');
        for (const bad of ['.v1', '-v1', 'a'.repeat(129), 'v1@sha256:x']) expect(refusal(() => assertTag(bad)).code).toBe('INVALID_INPUT');
    });

    it('an image without tag or digest takes the default tag only when one is given', () => {
        expect(parseImageRef('contosoacr.azurecr.us/ml/trainer', CLOUDS.AzureUSGovernment, { defaultTag: 'latest' })).toMatchObject({ loginServer: 'contosoacr.azurecr.us', tag: 'latest' });
        refusal(() => parseImageRef('contosoacr.azurecr.us/ml/trainer', CLOUDS.AzureUSGovernment));
    });
});

describe('repository prefixes', () => {
    it('accept any start of a repository name, and refuse what no repository can start with', () => {
        for (const ok of ['', 'ml/', 'ml/tra', 'team_1.x-']) expect(assertRepositoryPrefix(ok)).toBe(ok);
        for (const bad of ['ML/', 'a b', 'a:b', '@', 'a'.repeat(256)]) expect(refusal(() => assertRepositoryPrefix(bad)).code).toBe('INVALID_INPUT');
    });
});
