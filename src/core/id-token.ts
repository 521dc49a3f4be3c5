import { base64url, base64urlDecode } from './base64url.js';
import { OAuthError } from './errors.js';

export interface IdTokenExpectations {
  issuer?: string;
  clientId: string;
  nonce?: string;
  now: number;
}

/**
 * Checks the claims of an ID token received straight from the token endpoint over TLS,
 * where OpenID Connect Core §3.1.3.7 lets a client skip the signature: `iss`, `aud`,
 * `exp` and the `nonce` this sign-in sent (which binds the token to this request).
 */
export function checkIdToken(idToken: string, expected: IdTokenExpectations): void {
  const claims = decodeJwtPart(idToken, 1);
  const fail = (why: string) => {
    throw new OAuthError('invalid_response', `The ID token ${why}`);
  };
  if (!claims) return fail('is not a JWT');
  if (expected.issuer !== undefined && claims.iss !== expected.issuer) fail('is from another issuer');
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(expected.clientId)) fail('is for another client');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= expected.now) fail('has expired');
  if (expected.nonce !== undefined && claims.nonce !== expected.nonce) fail('has the wrong nonce');
}

/**
 * The checks of an ID token that came from the authorization endpoint beside an access
 * token (OpenID Connect Core §3.2.2.9, §3.2.2.11): besides {@link checkIdToken} with a
 * nonce (required there), `at_hash` must be the left half of the hash of the access token,
 * which ties the two together so an access token swapped into the fragment is refused. An
 * unsigned (`alg: none`) ID token is never acceptable from the front channel. The signature
 * itself is not checked here (see the README).
 */
export async function checkFrontChannelIdToken(
  subtle: SubtleCrypto,
  idToken: string,
  accessToken: string,
  expected: IdTokenExpectations & { nonce: string },
): Promise<void> {
  checkIdToken(idToken, expected);
  const alg = decodeJwtPart(idToken, 0)?.alg;
  const atHash = decodeJwtPart(idToken, 1)?.at_hash;
  if (typeof alg !== 'string' || alg === 'none') throw new OAuthError('invalid_response', 'The ID token is unsigned');
  if (typeof atHash !== 'string') throw new OAuthError('invalid_response', 'The ID token has no at_hash');
  // The hash of the signature algorithm: SHA-384 for RS384/ES384/PS384, SHA-512 for *512 and EdDSA, else SHA-256.
  const bits = alg === 'EdDSA' ? '512' : (/(384|512)$/.exec(alg)?.[1] ?? '256');
  const digest = new Uint8Array(await subtle.digest(`SHA-${bits}`, new TextEncoder().encode(accessToken)));
  if (base64url(digest.slice(0, digest.length / 2)) !== atHash) {
    throw new OAuthError('invalid_response', 'The ID token’s at_hash does not match the access token');
  }
}

function decodeJwtPart(jwt: string, index: 0 | 1): Record<string, unknown> | null {
  const parts = jwt.split('.');
  if (parts.length !== 3) return null;
  try {
    const payload = JSON.parse(new TextDecoder().decode(base64urlDecode(parts[index]))) as unknown;
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
