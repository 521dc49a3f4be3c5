// DPoP proofs signed in Node, as a client would sign them, for the server-side tests.
import { createHash, randomBytes, webcrypto } from 'node:crypto';

const { subtle } = webcrypto;
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const sha256 = (text) => createHash('sha256').update(text).digest('base64url');

/** A client's DPoP key as the library makes it: P-256, the private key not extractable (unless asked). */
export async function newDpopKey({ extractable = false } = {}) {
  const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, extractable, ['sign', 'verify']);
  const { kty, crv, x, y } = await subtle.exportKey('jwk', pair.publicKey);
  return { pair, jwk: { kty, crv, x, y } };
}

/**
 * A compact-JWS proof; `header` and `claims` override or add members (a member set to
 * `undefined` is left out), `signWith` signs with another private key than `key`'s.
 */
export async function signDpopProof(key, { htm, htu, iat, accessToken, nonce, header = {}, claims = {}, signWith = key.pair.privateKey }) {
  const protectedHeader = { typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk, ...header };
  const payload = {
    jti: randomBytes(32).toString('base64url'),
    htm,
    htu,
    iat: iat ?? Math.floor(Date.now() / 1000),
    ...(accessToken === undefined ? {} : { ath: sha256(accessToken) }),
    ...(nonce === undefined ? {} : { nonce }),
    ...claims,
  };
  const input = `${b64(protectedHeader)}.${b64(payload)}`;
  const signature = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, signWith, Buffer.from(input));
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}
