import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../src/log.js';

const jwt = 'eyJhbGciOiJub25lIn0.eyJleHAiOjE3OTk5OTk5OTl9.c2lnbmF0dXJl';

describe('redaction of secrets', () => {
    it.each([
        [`Authorization: Bearer ${jwt}`, 'Bearer [redacted]'],
        ['Authorization: Basic MDAwMDAwMDAtMDAwMDpzZWNyZXQ=', 'Basic [redacted]'],
        [`token ${jwt} expired`, '[redacted-jwt]'],
        ['grant_type=refresh_token&refresh_token=abc.def.ghi&service=x', 'refresh_token=[redacted]'],
        ['{"access_token": "opaque-value-123"}', '"access_token": "[redacted]'],
        ['password=hunter2hunter2', 'password=[redacted]']
    ])('masks %s', (input, expected) => {
        const out = redact(input);
        expect(out).toContain(expected);
        expect(out).not.toMatch(/eyJleHAi|hunter2|opaque-value|abc\.def|MDAwMDAw/);
    });

    it.each([
        'Basic and Standard tiers cannot stream; upgrade to Premium.',
        'a regcred secret holding a scope-map token or the admin user falls back to a normal pull',
        'The refresh token must be a 3-part JWT.',
        'grant_type=refresh_token is the second step of the exchange'
    ])('leaves prose intact: %s', text => {
        expect(redact(text)).toBe(text);
    });

    it('redacts what the logger writes to stderr', () => {
        const lines: string[] = [];
        createLogger('debug', l => lines.push(l)).info(`calling with Bearer ${jwt}`);
        expect(lines[0]).toMatch(/Bearer \[redacted\]/);
        expect(lines[0]).not.toContain(jwt.slice(0, 20));
    });
});
