import { base64url } from './base64url.js';
import type { Effects } from './effects.js';
import { randomString } from './random.js';

/** A PKCE pair (RFC 7636): the verifier stays in this tab, the challenge goes to the provider. */
export interface Pkce {
  verifier: string;
  challenge: string;
}

/**
 * 32 random bytes make a 43-character verifier: 256 bits, the RFC 7636 §4.1 recommendation.
 * Only S256: `plain` would hand the verifier to anyone who sees the authorization request.
 */
export async function createPkce(effects: Pick<Effects, 'getRandomValues'>): Promise<Pkce> {
  const verifier = randomString(effects, 32);
  return { verifier, challenge: await s256(verifier) };
}

export async function s256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}
