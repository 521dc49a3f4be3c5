import { base64urlDecode } from './base64url.js';
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
  const claims = decodeJwtPayload(idToken);
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

function decodeJwtPayload(jwt: string): Record<string, unknown> | null {
  const parts = jwt.split('.');
  if (parts.length !== 3) return null;
  try {
    const payload = JSON.parse(new TextDecoder().decode(base64urlDecode(parts[1]))) as unknown;
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
