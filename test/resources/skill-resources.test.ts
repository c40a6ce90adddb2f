import { SkillsClient } from '@modelcontextprotocol/client/ext/skills';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app-context.js';
import { connectV1, describeEachEra, testApp } from '../helpers/mcp.js';

const SKILL = 'skill://acr-artifact-streaming';
const TEMPLATE = `${SKILL}/references/{page}`;

let app: AppContext;
beforeAll(async () => {
    app = await testApp();
});

describeEachEra('skill resources', () => app, c => {

    it('lists SKILL.md and every reference page once, as markdown, pages with title and description', async () => {
        const { resources } = await c.client.listResources();
        const uris = resources.map(r => r.uri);
        expect(uris.sort()).toEqual(app.knowledge.pages.map(p => p.uri).sort());
        for (const r of resources) expect(r.mimeType).toBe('text/markdown');
        const skillMd = resources.find(r => r.uri === `${SKILL}/SKILL.md`)!;
        expect(skillMd).toMatchObject({ name: 'acr-artifact-streaming' });
        expect(skillMd.description).toMatch(/artifact streaming/i);
        for (const page of app.knowledge.pages.filter(p => p.path !== 'SKILL.md')) {
            expect(resources.find(r => r.uri === page.uri)).toMatchObject({ name: page.path, title: page.title, description: page.summary });
        }
    });

    it('reads every listed page back as the exact file text', async () => {
        for (const page of app.knowledge.pages) {
            const { contents } = await c.client.readResource({ uri: page.uri });
            expect(contents).toHaveLength(1);
            expect(contents[0]).toMatchObject({ uri: page.uri, mimeType: 'text/markdown', text: page.raw });
        }
    });

    it('offers the extension template and the page template, and completes page names', async () => {
        const { resourceTemplates } = await c.client.listResourceTemplates();
        expect(resourceTemplates.map(t => t.uriTemplate)).toEqual(expect.arrayContaining(['skill://{+path}', TEMPLATE]));
        const all = await c.client.complete({ ref: { type: 'ref/resource', uri: TEMPLATE }, argument: { name: 'page', value: '' } });
        expect(all.completion.values.sort()).toEqual(app.knowledge.pages.filter(p => p.path !== 'SKILL.md').map(p => p.path.slice('references/'.length)).sort());
        const tr = await c.client.complete({ ref: { type: 'ref/resource', uri: TEMPLATE }, argument: { name: 'page', value: 'tro' } });
        expect(tr.completion.values).toEqual(['troubleshooting.md']);
        // a completed value expands to a readable URI
        const read = await c.client.readResource({ uri: TEMPLATE.replace('{page}', tr.completion.values[0]!) });
        expect((read.contents[0] as { text: string }).text).toContain('title:');
    });

    it('answers an unknown page with a clean -32602 "Resource not found"', async () => {
        for (const uri of [`${SKILL}/references/no-such-page.md`, `${SKILL}/nothing`, 'skill://other-skill/SKILL.md']) {
            await expect(c.client.readResource({ uri })).rejects.toMatchObject({ code: -32602, message: expect.stringMatching(/Resource not found/) });
        }
        // the server is still fine afterwards
        expect((await c.client.listResources()).resources.length).toBe(app.knowledge.pages.length);
    });

    it('serves the skills extension: skills/list and verified reads', async () => {
        const skills = new SkillsClient(c.client);
        expect(skills.supported).toBe(true);
        const listing = await skills.list();
        expect(listing.invalid).toEqual([]);
        expect(listing.skills.map(s => s.uri)).toEqual([`${SKILL}/SKILL.md`]);
        const skill = listing.skills[0]!;
        expect(skill.frontmatter.name).toBe('acr-artifact-streaming');
        const manifest = await skills.read(skill);
        expect(manifest.verified).toBe(true);
        // reference pages are served by our static resources: the bytes must still match the published digest
        for (const page of app.knowledge.pages.filter(p => p.path !== 'SKILL.md')) {
            const file = await skills.read(skill, page.path);
            expect(file.verified).toBe(true);
        }
    });
});

describe('skill resources with a 2025-era v1 client', () => {
    it('lists and reads a reference page', async () => {
        const c = await connectV1(app);
        try {
            const { resources } = await c.client.listResources();
            const page = resources.find(r => r.uri === `${SKILL}/references/troubleshooting.md`);
            expect(page).toMatchObject({ mimeType: 'text/markdown', title: app.knowledge.page('references/troubleshooting.md')!.title });
            const { contents } = await c.client.readResource({ uri: page!.uri });
            expect((contents[0] as { text: string }).text).toBe(app.knowledge.page('references/troubleshooting.md')!.raw);
            const done = await c.client.complete({ ref: { type: 'ref/resource', uri: TEMPLATE }, argument: { name: 'page', value: 'req' } });
            expect(done.completion.values).toEqual(['requirements.md']);
        } finally {
            await c.close();
        }
    });
});
