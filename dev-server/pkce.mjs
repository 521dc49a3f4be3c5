import { createHash, timingSafeEqual } from 'node:crypto';

// RFC 7636 §4.2: an S256 challenge is BASE64URL(SHA256(verifier)) without padding, 43 chars.
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
// RFC 7636 §4.1: 43 to 128 unreserved characters.
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export const isS256Challenge = (challenge) => S256_CHALLENGE.test(challenge);

export function verifierMatches(verifier, challenge) {
  if (typeof verifier !== 'string' || !VERIFIER.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier, 'ascii').digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
