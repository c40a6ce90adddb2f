/**
 * Prompt argument completion on the team server: with per-user identity (on-behalf-of), the live lists
 * (registries, clusters, repositories, tags) are read as the signed-in user, as the tools act, so no user is
 * offered names only the server's own identity can see, and no user's list is served from another's cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsRequest } from '../helpers/https.js';
import { startTeamServer, type TeamServer } from '../helpers/team-server.js';
import { teamWorld } from './team-world.js';

let ts: TeamServer;
beforeAll(async () => {
    ts = await startTeamServer({ sandbox: { world: teamWorld() } });
});
afterAll(() => ts.close());

async function registriesOffered(user: string, era: 'modern' | 'legacy'): Promise<{ values: string[]; callers: Set<string | undefined> }> {
    const client = await ts.connectAs(user, era);
    const mark = ts.sb.requestLog.mark();
    const r = await client.complete({ ref: { type: 'ref/prompt', name: 'enable_artifact_streaming' }, argument: { name: 'registry', value: '' } });
    const arm = ts.sb.requestLog.since(mark).filter(e => e.listener === 'arm');
    return { values: r.completion.values, callers: new Set(arm.map(e => e.caller)) };
}

describe('prompt completion as the signed-in user', () => {
    for (const [era, first, second] of [
        ['modern', 'operator', 'auditor'],
        ['legacy', 'operator2', 'reader']
    ] as const) {
        it(`looks up with each user's own token and never serves one user's list to another (${era} era)`, async () => {
            for (const user of [first, second]) {
                const offered = await registriesOffered(user, era);
                expect(offered.values).toContain('changeacr');
                // Its own ARM lookup (not a hit on the previous user's list), every request with this user's
                // on-behalf-of token, none with the server's own identity.
                expect(offered.callers).toEqual(new Set([`${user}@contoso.example`]));
            }
            const obo = ts.sb.entra.issued.filter(i => i.grant === 'on_behalf_of').map(i => i.upn);
            expect(obo).toEqual(expect.arrayContaining([`${first}@contoso.example`, `${second}@contoso.example`]));
        });
    }

    it('offers a user without an Azure read role nothing, even right after another user listed', async () => {
        expect((await registriesOffered('operator', 'modern')).values).toContain('changeacr');
        const nobody = await registriesOffered('nobody', 'modern');
        expect(nobody.values).toEqual([]);
        expect(nobody.callers).toEqual(new Set(['nobody@contoso.example']));
    });
});

describe("the sandbox's ARM reads for a signed-in user", () => {
    it('lists only what the user may read and refuses a GET of one registry with AuthorizationFailed', async () => {
        const armToken = (user: string) => ts.sb.entra.userToken(user, { audience: 'https://management.azure.com' });
        const get = async (user: string, path: string) =>
            httpsRequest(`${ts.sb.armEndpoint}${path}?api-version=2025-04-01`, 'GET', { ca: ts.sb.caPem, headers: { authorization: `Bearer ${await armToken(user)}` } });
        const sub = `/subscriptions/${ts.sb.subscriptionId}`;
        const listed = await get('nobody', `${sub}/providers/Microsoft.ContainerRegistry/registries`);
        expect(listed.status).toBe(200);
        expect(JSON.parse(listed.text)).toEqual({ value: [] });
        const one = await get('nobody', `${sub}/resourceGroups/rg-change/providers/Microsoft.ContainerRegistry/registries/changeacr`);
        expect(one.status).toBe(403);
        expect(JSON.parse(one.text).error).toMatchObject({ code: 'AuthorizationFailed', message: expect.stringContaining("'Microsoft.ContainerRegistry/registries/read'") });
        // A Reader reads both.
        expect(JSON.parse((await get('reader', `${sub}/providers/Microsoft.ContainerRegistry/registries`)).text).value.length).toBeGreaterThan(0);
        expect((await get('reader', `${sub}/resourceGroups/rg-change/providers/Microsoft.ContainerRegistry/registries/changeacr`)).status).toBe(200);
    });
});
