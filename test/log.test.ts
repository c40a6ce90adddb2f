import { describe, expect, it } from 'vitest';
import { createLogger, oneLine, redact } from '../src/log.js';

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

describe('redaction leaves placeholders of our own pages alone', () => {
    it.each([
        '--data-urlencode "access_token=$ENTRA"',
        '--data-urlencode "refresh_token=${REFRESH}"',
        'password=$(az acr credential show -n myreg --query "passwords[0].value" -o tsv)',
        'client_secret=<your-client-secret>',
        '{"refresh_token": "…"}',
        '{"access_token": "..."}',
        'token=%ACR_TOKEN%',
        'token={{ token }}'
    ])('keeps %s', text => {
        expect(redact(text)).toBe(text);
    });

    it('still masks a literal value next to those forms', () => {
        expect(redact('access_token=$ENTRA&refresh_token=r3fr3sh-v4lue')).toBe('access_token=$ENTRA&refresh_token=[redacted]');
    });
});

describe('neutralising characters that hide or rewrite text', () => {
    const hostile = 'a\u0000b\rc\u202Ed\u200Be\u2066f\uFEFFg\uD800h\uDC00i\u0085j\u{E0041}k\u2028l';

    it('escapes control, bidi, zero-width and tag characters and lone surrogates, and keeps newlines and tabs of our own text', () => {
        const out = redact(`${hostile}\n\tnext line`);
        expect(out).toBe('a\\u0000b\\u000Dc\\u202Ed\\u200Be\\u2066f\\uFEFFg\\uD800h\\uDC00i\\u0085j\\u{E0041}k\\u2028l\n\tnext line');
    });

    it('leaves ordinary text, valid emoji and non-Latin scripts alone', () => {
        const text = 'Pull läuft 🚀 — 拉取镜像 (arm64, 25 GiB)';
        expect(redact(text)).toBe(text);
    });

    it('escapes newlines too when asked for one line', () => {
        expect(oneLine('a\nb\tc\u202E')).toBe('a\\u000Ab\\u0009c\\u202E');
    });

    it('writes one log line per entry, whatever the message holds', () => {
        const lines: string[] = [];
        createLogger('debug', l => lines.push(l)).warn('first\nforged: error: second\u202E');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toBe('[acr-streaming-mcp] warn: first\\u000Aforged: error: second\\u202E');
    });
});
