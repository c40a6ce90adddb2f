import { describe, expect, it } from 'vitest';
import { estimateStartup } from '../../src/streaming/estimate.js';
import { pageAfter, position, pullTag, rankImages, type ListedImageFacts } from '../../src/streaming/scan-ranking.js';

const LOGIN = 'reg.azurecr.io';
const GB = 1e9;
const img = (repository: string, sizeBytes: number, extra: Partial<ListedImageFacts> = {}): ListedImageFacts => ({
    repository,
    digest: `sha256:${repository.length.toString(16).padStart(64, '0')}`,
    tags: ['v1'],
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    sizeBytes,
    platforms: [{ os: 'linux', architecture: 'amd64', sizeBytes }],
    ...extra
});

describe('scan ranking', () => {
    it('ranks streamable images by seconds saved and leaves the others out, counted', () => {
        const images = [
            img('small', 0.1 * GB),
            img('big', 20 * GB),
            img('arm', 30 * GB, { platforms: [{ os: 'linux', architecture: 'arm64', sizeBytes: 30 * GB }] }),
            img('chart', 40 * GB, { mediaType: 'application/vnd.example.other.v1+json' }),
            // An index: what an amd64 node pulls is its amd64 entry, not the sum of the index.
            img('multi', 9 * GB, {
                mediaType: 'application/vnd.oci.image.index.v1+json',
                platforms: [
                    { os: 'linux', architecture: 'amd64', sizeBytes: 4 * GB },
                    { os: 'linux', architecture: 'arm64', sizeBytes: 5 * GB }
                ]
            }),
            img('mid', 5 * GB)
        ];
        const { rows, ineligible } = rankImages(LOGIN, images, b => estimateStartup(b));
        expect(rows.map(r => r.image.repository)).toEqual(['big', 'mid', 'multi', 'small']);
        expect(ineligible).toBe(2);
        expect(rows.find(r => r.image.repository === 'multi')!.pullBytes).toBe(4 * GB);
    });

    it('pages after a position, so a row is never repeated even when the ranking changed in between', () => {
        const images = Array.from({ length: 7 }, (_, i) => img(`r${i}`, (i % 3) * GB + GB));
        const { rows } = rankImages(LOGIN, images, b => estimateStartup(b));
        const at = (r: (typeof rows)[number]) => position(LOGIN, r);
        const first = pageAfter(rows, at, 3);
        expect(first.more).toBe(true);
        const rest = pageAfter(rows, at, 10, at(first.page[2]!));
        expect([...first.page, ...rest.page].map(r => r.image.repository)).toEqual(rows.map(r => r.image.repository));
        expect(rest.more).toBe(false);
        // The row the cursor names is gone: the page still starts right after where it was.
        const without = rows.filter(r => r !== first.page[2]);
        expect(pageAfter(without, at, 10, at(first.page[2]!)).page).toEqual(rest.page);
    });

    it('names an image by a tag other than latest when it has one (only pulls by tag stream)', () => {
        expect([pullTag(['latest', 'v1']), pullTag(['latest']), pullTag(['a', 'b'])]).toEqual(['v1', 'latest', 'a']);
    });
});
