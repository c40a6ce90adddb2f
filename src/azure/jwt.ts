/** Reads claims from a JWT payload without verifying it: only to learn `exp` (cache lifetime) and `tid`. */
export interface JwtClaims {
    exp?: number;
    tid?: string;
}

export function jwtClaims(token: string): JwtClaims {
    const part = token.split('.')[1];
    if (!part) return {};
    try {
        const json = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
        return {
            ...(typeof json.exp === 'number' ? { exp: json.exp } : {}),
            ...(typeof json.tid === 'string' ? { tid: json.tid } : {})
        };
    } catch {
        return {};
    }
}

/** Expiry in epoch ms, or `fallbackMs` from now when the token carries no readable `exp`. */
export function expiresAtMs(token: string, now: number, fallbackMs: number): number {
    const exp = jwtClaims(token).exp;
    return exp !== undefined ? exp * 1000 : now + fallbackMs;
}
