import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

const ID_TOKEN_LIFETIME_SECONDS = 600;
const base64urlJson = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The left half of the SHA-256 hash of the access token, base64url (OpenID Connect Core
 * §3.2.2.9, for ES256): what ties an ID token to the access token issued beside it.
 */
export const atHashOf = (accessToken) => createHash('sha256').update(accessToken, 'ascii').digest().subarray(0, 16).toString('base64url');

/**
 * ID tokens for `response_type=id_token token` (OpenID Connect Core §3.2.2.10), signed
 * ES256 with a P-256 key made when the server starts; its public half is `jwks`, served at
 * the discovery document's `jwks_uri`. `kid` is the key's RFC 7638 thumbprint.
 *
 * `faults` is for tests only, set on the server object and never from HTTP: `wrongNonce`
 * or `wrongAtHash` makes every ID token carry a nonce or at_hash that does not match,
 * still validly signed, as a mixed-up or tampered response would.
 */
export function createIdTokenIssuer({ issuer, now, lifetimeSeconds = ID_TOKEN_LIFETIME_SECONDS }) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  // RFC 7638 §3.2: the required members, in lexicographic order, no whitespace.
  const kid = createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
  const faults = { wrongNonce: false, wrongAtHash: false };
  const anotherValue = () => randomBytes(16).toString('base64url');

  return {
    jwks: { keys: [{ kty, crv, x, y, kid, use: 'sig', alg: 'ES256' }] },
    faults,
    issue({ clientId, subject, nonce, accessToken }) {
      const iat = Math.floor(now() / 1000);
      const header = { alg: 'ES256', typ: 'JWT', kid };
      const claims = {
        iss: issuer,
        sub: subject,
        aud: clientId,
        exp: iat + lifetimeSeconds,
        iat,
        nonce: faults.wrongNonce ? anotherValue() : nonce,
        at_hash: atHashOf(faults.wrongAtHash ? anotherValue() : accessToken),
      };
      const signingInput = `${base64urlJson(header)}.${base64urlJson(claims)}`;
      // JWS (RFC 7518 §3.4) wants the raw r || s, not the DER that node signs by default.
      const signature = sign('sha256', Buffer.from(signingInput), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      return `${signingInput}.${signature.toString('base64url')}`;
    },
  };
}
