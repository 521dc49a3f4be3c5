import { base64url } from './base64url.js';
import type { Effects } from './effects.js';
import { randomString } from './random.js';

/** What a prover needs from outside: WebCrypto, randomness for `jti`, and the clock for `iat`. */
export type DpopEffects = Pick<Effects, 'getRandomValues' | 'now'> & { subtle: SubtleCrypto };

/** The public half of a DPoP key as a proof carries it: exactly the members RFC 7638 hashes. */
export interface DpopPublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/** What a proof may bind beyond method and URL. */
export interface DpopProofOptions {
  /** The access token a resource request carries: the proof then holds its hash (`ath`). */
  accessToken?: string;
  /** A server-provided nonce; by default the latest one remembered for the URL's origin. */
  nonce?: string;
}

const KEY_ALGORITHM: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNATURE_ALGORITHM: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
// RFC 9449 §8.1: nonce = 1*NQCHAR; anything else is not a nonce and is not echoed back.
const NONCE = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
// The methods fetch upper-cases itself (Fetch standard, "normalize a method"); htm must match what goes out.
const NORMALIZED_METHODS = /^(delete|get|head|options|post|put)$/i;

/**
 * A fresh ES256 key pair whose private key can never leave WebCrypto: with
 * `extractable = false`, no script (ours, an XSS, an extension's) can export it, only use
 * it while the page lives, so a stolen token is worthless elsewhere.
 */
export function generateDpopKeyPair(subtle: SubtleCrypto): Promise<CryptoKeyPair> {
  return subtle.generateKey(KEY_ALGORITHM, false, ['sign', 'verify']);
}

/** Whether `keyPair` is one this library would have made: P-256 ECDSA, private key unexportable. */
export function isDpopKeyPair(keyPair: unknown): keyPair is CryptoKeyPair {
  const { privateKey, publicKey } = (keyPair ?? {}) as Partial<CryptoKeyPair>;
  return (
    privateKey instanceof CryptoKey &&
    publicKey instanceof CryptoKey &&
    !privateKey.extractable &&
    privateKey.usages.includes('sign') &&
    [privateKey, publicKey].every((key) => {
      const algorithm = key.algorithm as EcKeyAlgorithm;
      return algorithm.name === 'ECDSA' && algorithm.namedCurve === 'P-256';
    })
  );
}

/** The public JWK of a P-256 key, reduced to `kty`, `crv`, `x`, `y`: nothing else may travel. */
export async function dpopPublicJwk(subtle: SubtleCrypto, publicKey: CryptoKey): Promise<DpopPublicJwk> {
  const { kty, crv, x, y } = await subtle.exportKey('jwk', publicKey);
  return { kty, crv, x, y } as DpopPublicJwk;
}

/**
 * The RFC 7638 JWK thumbprint: SHA-256 over the JSON of the key's required members in
 * lexicographic order, without whitespace. Pass only the required members (for EC:
 * crv, kty, x, y). It is the `jkt` a server records in the token's `cnf`.
 */
export async function jwkThumbprint(subtle: SubtleCrypto, requiredMembers: Readonly<Record<string, string>>): Promise<string> {
  const json = JSON.stringify(requiredMembers, Object.keys(requiredMembers).sort());
  return base64url(new Uint8Array(await subtle.digest('SHA-256', new TextEncoder().encode(json))));
}

/** RFC 9449 §4.2: `htu` is the target URI without query and fragment. */
export function dpopHtu(url: string): string {
  const target = new URL(url);
  target.search = '';
  target.hash = '';
  return target.href;
}

/**
 * Signs DPoP proofs (RFC 9449) with one non-extractable key pair and remembers the
 * latest `DPoP-Nonce` each origin gave. One prover per login; the key pair comes from
 * {@link generateDpopKeyPair} or the key store.
 */
export class DpopProver {
  readonly #effects: DpopEffects;
  readonly #privateKey: CryptoKey;
  readonly #jwk: Promise<DpopPublicJwk>;
  readonly #nonces = new Map<string, string>();

  constructor(effects: DpopEffects, keyPair: CryptoKeyPair) {
    // A key that can be exported can be stolen with the token, and binding would prove nothing.
    if (!isDpopKeyPair(keyPair)) throw new TypeError('A DPoP key pair must be P-256 ECDSA with a non-extractable private key');
    this.#effects = effects;
    this.#privateKey = keyPair.privateKey;
    this.#jwk = dpopPublicJwk(effects.subtle, keyPair.publicKey);
  }

  /** The public key as proofs carry it. */
  publicJwk(): Promise<DpopPublicJwk> {
    return this.#jwk;
  }

  /** The key's RFC 7638 thumbprint: what a server binds the tokens to (`cnf.jkt`, `dpop_jkt`). */
  async thumbprint(): Promise<string> {
    return jwkThumbprint(this.#effects.subtle, { ...(await this.#jwk) });
  }

  /**
   * A fresh proof for one request: a compact JWS, header `{typ: 'dpop+jwt', alg: 'ES256',
   * jwk}`, claims `jti` (256 random bits, so no two proofs share one), `htm`, `htu`,
   * `iat`, and `ath` / `nonce` when there are any. WebCrypto's ECDSA signature is
   * already the raw r‖s that JWS wants (RFC 7518 §3.4).
   */
  async proof(htm: string, htu: string, { accessToken, nonce = this.nonceFor(htu) }: DpopProofOptions = {}): Promise<string> {
    const { subtle } = this.#effects;
    const claims = {
      jti: randomString(this.#effects),
      htm: NORMALIZED_METHODS.test(htm) ? htm.toUpperCase() : htm,
      htu: dpopHtu(htu),
      iat: Math.floor(this.#effects.now() / 1000),
      ...(accessToken === undefined ? {} : { ath: base64url(new Uint8Array(await subtle.digest('SHA-256', encode(accessToken)))) }),
      ...(nonce === undefined ? {} : { nonce }),
    };
    const header = { typ: 'dpop+jwt', alg: 'ES256', jwk: await this.#jwk };
    const signingInput = `${base64url(encode(JSON.stringify(header)))}.${base64url(encode(JSON.stringify(claims)))}`;
    const signature = await subtle.sign(SIGNATURE_ALGORITHM, this.#privateKey, encode(signingInput));
    return `${signingInput}.${base64url(new Uint8Array(signature))}`;
  }

  /** The latest nonce `url`'s origin gave, if any. */
  nonceFor(url: string): string | undefined {
    return this.#nonces.get(new URL(url).origin);
  }

  /**
   * Keeps the `DPoP-Nonce` a response from `url` carries (RFC 9449 §8, §9) for the next
   * proofs to that origin, and returns it; `undefined` when it gave none (or a malformed one).
   * Cross-origin, the server must expose the header through CORS for it to be seen.
   */
  rememberNonce(url: string, response: Response): string | undefined {
    const nonce = response.headers.get('DPoP-Nonce') ?? '';
    if (!NONCE.test(nonce)) return undefined;
    this.#nonces.set(new URL(url).origin, nonce);
    return nonce;
  }
}

function encode(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(text);
}
