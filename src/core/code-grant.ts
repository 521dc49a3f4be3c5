import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';
import { checkIdToken } from './id-token.js';
import type { PendingRequest } from './pending-requests.js';
import { tokenFromResponse, type TokenDetail } from './token.js';
import { requestToken } from './token-endpoint.js';

/** A token from the token endpoint, with the refresh token that may come beside it. */
export interface GrantedTokens {
  token: TokenDetail;
  /** Kept in memory only, by the session that received it. */
  refreshToken?: string;
}

/** Where and as whom to renew. */
export interface RenewalConfig {
  tokenUrl: string;
  clientId: string;
  scope: string;
  issuer?: string;
}

/**
 * Exchanges an authorization code for tokens (RFC 6749 §4.1.3) with the PKCE verifier
 * (RFC 7636 §4.5), then checks the ID token when OpenID Connect was asked for.
 */
export async function exchangeCode(
  effects: Pick<Effects, 'fetch' | 'now'>,
  params: ReadonlyMap<string, string>,
  pending: PendingRequest,
): Promise<GrantedTokens> {
  const code = params.get('code');
  if (!code) throw new OAuthError('invalid_response', 'The response has no code');
  if (!pending.tokenUrl || !pending.codeVerifier)
    throw new OAuthError('invalid_response', 'A code came for a sign-in that did not ask for one');

  const result = await requestToken(effects, pending.tokenUrl, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: pending.redirectUri,
    client_id: pending.clientId,
    code_verifier: pending.codeVerifier,
  });
  const granted = grantedTokens(result, pending.scope, effects.now());
  if (pending.nonce !== undefined) {
    if (!granted.token.idToken) throw new OAuthError('invalid_response', 'The response has no id_token');
    checkIdToken(granted.token.idToken, { issuer: pending.issuer, clientId: pending.clientId, nonce: pending.nonce, now: effects.now() });
  }
  return granted;
}

/** Gets a new access token with a refresh token (RFC 6749 §6). */
export async function refreshTokens(
  effects: Pick<Effects, 'fetch' | 'now'>,
  config: RenewalConfig,
  refreshToken: string,
): Promise<GrantedTokens> {
  const result = await requestToken(effects, config.tokenUrl, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: config.clientId,
  });
  const granted = grantedTokens(result, config.scope, effects.now());
  // RFC 6749 §6: the provider may keep the refresh token as it is.
  granted.refreshToken ??= refreshToken;
  if (granted.token.idToken) checkIdToken(granted.token.idToken, { issuer: config.issuer, clientId: config.clientId, now: effects.now() });
  return granted;
}

function grantedTokens(result: Map<string, string>, requestedScope: string, receivedAt: number): GrantedTokens {
  const token = tokenFromResponse(result, requestedScope, receivedAt);
  const refreshToken = result.get('refresh_token');
  return refreshToken ? { token, refreshToken } : { token };
}
