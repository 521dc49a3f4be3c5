import { challengeParams } from './www-authenticate.js';

/**
 * Whether a response asks for a proof with a nonce: the token endpoint answers 400 with
 * `{"error": "use_dpop_nonce"}` (RFC 9449 §8; pass its parsed JSON body), a resource
 * server 401 with `WWW-Authenticate: DPoP error="use_dpop_nonce"` (§9). A caller retries
 * once, and only when `DpopProver.rememberNonce` found a new nonce.
 */
export function demandsDpopNonce(response: Response, body?: unknown): boolean {
  if (response.status === 400) return (body as { error?: unknown } | null | undefined)?.error === 'use_dpop_nonce';
  return response.status === 401 && challengeParams(response.headers.get('WWW-Authenticate') ?? '', 'DPoP')?.error === 'use_dpop_nonce';
}
