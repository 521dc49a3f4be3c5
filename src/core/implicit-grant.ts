import type { ImplicitResult } from './authorization-response.js';
import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';
import { loadProviderClient } from './on-demand.js';
import type { GrantedTokens } from './token-endpoint.js';

/**
 * Completes an implicit sign-in (RFC 6749 §4.2) from a response that passed validation.
 * With `id_token token` (OpenID Connect Core §3.2), the ID token is checked first: `iss`,
 * `aud`, `exp`, the `nonce` this sign-in sent, and `at_hash` against the access token.
 */
export async function completeImplicitGrant(effects: Pick<Effects, 'subtle' | 'now'>, result: ImplicitResult): Promise<GrantedTokens> {
  const { request, token } = result;
  if (result.responseType === 'id_token token') {
    if (!request.nonce) throw new OAuthError('invalid_response', 'An ID token came for a sign-in that sent no nonce');
    const { checkFrontChannelIdToken } = await loadProviderClient();
    await checkFrontChannelIdToken(effects.subtle, token.idToken!, token.accessToken, {
      issuer: request.issuer,
      clientId: request.clientId,
      nonce: request.nonce,
      now: effects.now(),
    });
  }
  return { token };
}
