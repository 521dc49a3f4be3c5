import type { CodeRequest } from './authorization-response.js';
import type { DpopProver } from './dpop.js';
import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';
import { checkIdToken } from './id-token.js';
import { requestTokens, type GrantedTokens } from './token-endpoint.js';

/**
 * Exchanges an authorization code for tokens (RFC 6749 §4.1.3) with the PKCE verifier
 * (RFC 7636 §4.5), with a DPoP proof when `dpop` is given (RFC 9449 §5), then checks the
 * ID token when OpenID Connect was asked for.
 */
export async function exchangeCode(
  effects: Pick<Effects, 'fetch' | 'now' | 'setTimeout' | 'clearTimeout'>,
  code: string,
  request: CodeRequest,
  timeLimitMs: number,
  dpop?: DpopProver,
): Promise<GrantedTokens> {
  const granted = await requestTokens(
    effects,
    request.tokenUrl,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: request.redirectUri,
      client_id: request.clientId,
      code_verifier: request.codeVerifier,
    },
    request.scope,
    timeLimitMs,
    dpop,
  );
  if (request.nonce !== undefined) {
    if (!granted.token.idToken) throw new OAuthError('invalid_response', 'The response has no id_token');
    checkIdToken(granted.token.idToken, { issuer: request.issuer, clientId: request.clientId, nonce: request.nonce, now: effects.now() });
  }
  return granted;
}
