import { createHash, randomBytes, webcrypto } from 'node:crypto';

const IAT_WINDOW_SECONDS = 60;
const NONCE_LIFETIME_SECONDS = 300;
const SIGNATURE = { name: 'ECDSA', hash: 'SHA-256' };
const B64URL = /^[A-Za-z0-9_-]+$/;

export const sha256 = (text) => createHash('sha256').update(text).digest('base64url');

/** RFC 7638 thumbprint of a P-256 public JWK: SHA-256 of its required members in order. */
export const jwkThumbprint = ({ crv, kty, x, y }) => sha256(JSON.stringify({ crv, kty, x, y }));

/** A refusal: `use_dpop_nonce` (retry with the nonce sent alongside) or `invalid_dpop_proof`. */
export class DpopError extends Error {
  constructor(code, description) {
    super(description);
    this.code = code;
  }
}

/**
 * Checks DPoP proofs (RFC 9449 §4.3) for both the token endpoint and the API: one JWS in one
 * header, `typ: dpop+jwt`, ES256 only, a public P-256 `jwk` (no private member), a
 * signature by that key, `htm` and `htu` of this very request, `iat` within ±60 s, a `jti`
 * never seen before, `ath` of the access token, and (when demanded) a nonce of ours.
 *
 * The replay cache is bounded: when it is full the oldest `jti` goes, and from then on no
 * proof issued at or before that one's `iat` is accepted, so an evicted `jti` cannot come
 * back. Nonces rotate; the current and the previous one are accepted.
 */
export function createDpopVerifier({ now = Date.now, requireNonce = false, replayCacheSize = 10_000 } = {}) {
  const seen = new Map();
  let oldestAcceptableIat = -Infinity;
  let nonces = { current: newNonce(), previous: undefined, rotatesAt: now() + NONCE_LIFETIME_SECONDS * 1000 };

  function currentNonce() {
    if (now() >= nonces.rotatesAt) {
      nonces = { current: newNonce(), previous: nonces.current, rotatesAt: now() + NONCE_LIFETIME_SECONDS * 1000 };
    }
    return nonces.current;
  }

  function remember(jti, iat) {
    const nowSeconds = now() / 1000;
    for (const [key, expiresAt] of seen) {
      if (expiresAt >= nowSeconds) break;
      seen.delete(key);
    }
    while (seen.size >= replayCacheSize) {
      const [oldest, expiresAt] = seen.entries().next().value;
      seen.delete(oldest);
      oldestAcceptableIat = Math.max(oldestAcceptableIat, expiresAt - IAT_WINDOW_SECONDS + 1);
    }
    // Kept until the proof could no longer pass the iat check anyway.
    seen.set(jti, iat + IAT_WINDOW_SECONDS);
  }

  return {
    requireNonce,
    /** The nonce to send in `DPoP-Nonce` now (RFC 9449 §8.1). */
    currentNonce,

    /**
     * Verifies the request's proof; resolves with the key's thumbprint (`jkt`) and the
     * proof's claims, or rejects with a {@link DpopError}. `proofs` is every DPoP header
     * value the request carried; `url` the request's URL as the client addressed it.
     */
    async verify(proofs, { method, url, accessToken }) {
      if (proofs.length !== 1) throw invalid(proofs.length === 0 ? 'A DPoP proof is required' : 'Exactly one DPoP header is allowed');
      const parts = proofs[0].split('.');
      if (parts.length !== 3 || !parts.every((part) => B64URL.test(part))) throw invalid('The DPoP proof is not a compact JWS');
      const header = parseJson(parts[0]);
      const claims = parseJson(parts[1]);
      if (header?.typ !== 'dpop+jwt') throw invalid('The DPoP proof typ must be dpop+jwt');
      if (header.alg !== 'ES256') throw invalid('The DPoP proof alg must be ES256');
      const jwk = header.jwk;
      if (!isPublicP256Jwk(jwk)) throw invalid('The DPoP proof jwk must be a public P-256 key and nothing else');
      if (!(await signatureVerifies(jwk, parts))) throw invalid('The DPoP proof signature does not verify');
      if (claims === null || typeof claims !== 'object') throw invalid('The DPoP proof claims are not a JSON object');
      if (claims.htm !== method) throw invalid(`The DPoP proof is for ${String(claims.htm)}, not ${method}`);
      if (typeof claims.htu !== 'string' || withoutQuery(claims.htu) !== withoutQuery(url)) {
        throw invalid('The DPoP proof is for another URL');
      }
      const nowSeconds = now() / 1000;
      if (!Number.isFinite(claims.iat) || Math.abs(claims.iat - nowSeconds) > IAT_WINDOW_SECONDS) {
        throw invalid('The DPoP proof iat is not within 60 seconds of now');
      }
      if (typeof claims.jti !== 'string' || claims.jti.length < 16 || claims.jti.length > 256) {
        throw invalid('The DPoP proof needs a jti of 16 to 256 characters');
      }
      if (accessToken !== undefined && claims.ath !== sha256(accessToken))
        throw invalid('The DPoP proof ath is not the hash of the access token');
      if (accessToken === undefined && claims.ath !== undefined) throw invalid('The DPoP proof has an ath but no access token came');
      if (requireNonce && (typeof claims.nonce !== 'string' || ![currentNonce(), nonces.previous].includes(claims.nonce))) {
        throw new DpopError('use_dpop_nonce', 'This server requires a DPoP nonce; use the one in DPoP-Nonce');
      }
      // Replay last: a proof refused for another reason has not been used.
      if (seen.has(claims.jti) || claims.iat < oldestAcceptableIat) throw invalid('The DPoP proof was already used');
      remember(claims.jti, claims.iat);
      return { jkt: jwkThumbprint(jwk), claims };
    },
  };
}

/** Every value of the DPoP header (Node joins repeated unknown headers, so read the raw list). */
export function dpopHeaders(req) {
  const values = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i].toLowerCase() === 'dpop') values.push(req.rawHeaders[i + 1]);
  }
  return values;
}

/** The URL the client addressed: the Host it named and the path it asked for. */
export const requestUrl = (req) => `${req.protocol}://${req.get('host')}${req.originalUrl}`;

const invalid = (description) => new DpopError('invalid_dpop_proof', description);

function newNonce() {
  return randomBytes(16).toString('base64url');
}

function parseJson(part) {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

function isPublicP256Jwk(jwk) {
  if (jwk === null || typeof jwk !== 'object' || Array.isArray(jwk)) return false;
  // A `d` would mean the client sent its private key: it is leaked, and binding to it proves nothing.
  if ('d' in jwk) return false;
  return jwk.kty === 'EC' && jwk.crv === 'P-256' && B64URL.test(jwk.x) && B64URL.test(jwk.y);
}

async function signatureVerifies(jwk, [header, payload, signature]) {
  try {
    const key = await webcrypto.subtle.importKey(
      'jwk',
      { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    return await webcrypto.subtle.verify(SIGNATURE, key, Buffer.from(signature, 'base64url'), Buffer.from(`${header}.${payload}`));
  } catch {
    return false;
  }
}

function withoutQuery(url) {
  try {
    const parsed = new URL(url);
    parsed.search = '';
    parsed.hash = '';
    return parsed.href;
  } catch {
    return undefined;
  }
}
