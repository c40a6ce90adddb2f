/**
 * The emulated tenant's token-signing keys. Entra signs access tokens with RS256 and publishes the public
 * halves at its JWKS URI; it rotates them, publishing a new key before signing with it and keeping the old
 * one published while its tokens live (Learn: "Signing key rollover in the Microsoft identity platform").
 * `rotate()` does the same: a fresh key signs from then on, the previous ones stay in the JWKS until
 * `retire()` drops them.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { DEMO_SIGNING_KEY_PEM } from './demo-signing-key.js';

interface SigningKey {
    kid: string;
    privateKey: KeyObject;
    jwk: Record<string, unknown>;
}

function toSigningKey(privateKey: KeyObject): SigningKey {
    const { n, e } = privateKey.export({ format: 'jwk' }) as { n: string; e: string };
    // Entra's kids are opaque thumbprint-like strings; a hash of the modulus is stable per key.
    const kid = createHash('sha256').update(n).digest('base64url').slice(0, 27);
    return { kid, privateKey, jwk: { kty: 'RSA', use: 'sig', kid, n, e } };
}

export class EntraKeys {
    private keys: SigningKey[] = [toSigningKey(createPrivateKey(DEMO_SIGNING_KEY_PEM))];

    private get current(): SigningKey {
        return this.keys[this.keys.length - 1]!; // never empty: retire() keeps the current key
    }

    /** The JWKS document (public keys only). */
    jwks(): { keys: Record<string, unknown>[] } {
        return { keys: this.keys.map(k => k.jwk) };
    }

    /** A new key signs from now on; the old ones stay published. Returns the new kid. */
    rotate(): string {
        this.keys.push(toSigningKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey));
        return this.current.kid;
    }

    /** Unpublishes every key but the current one: tokens they signed no longer validate. */
    retire(): void {
        this.keys = [this.current];
    }

    get currentKid(): string {
        return this.current.kid;
    }

    /** The payload of a token signed by a published key (claims unchecked), else undefined. */
    verify(token: string): JWTPayload | undefined {
        const [header, body, signature, extra] = token.split('.');
        if (header === undefined || body === undefined || signature === undefined || extra !== undefined) return undefined;
        try {
            const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid?: string; alg?: string };
            const key = this.keys.find(k => k.kid === kid);
            if (!key || alg !== 'RS256') return undefined;
            const ok = verify('RSA-SHA256', Buffer.from(`${header}.${body}`), createPublicKey(key.privateKey), Buffer.from(signature, 'base64url'));
            return ok ? (JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as JWTPayload) : undefined;
        } catch {
            return undefined;
        }
    }

    sign(payload: JWTPayload): Promise<string> {
        const k = this.current;
        return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: k.kid }).sign(k.privateKey);
    }
}
