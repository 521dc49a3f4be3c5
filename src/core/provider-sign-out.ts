import type { Effects } from './effects.js';
import type { LoginConfig } from './login-config.js';
import type { TokenDetail } from './token.js';
import { postForm } from './token-endpoint.js';

/** What a sign-out leaves behind at the provider. */
export interface SignedOutTokens {
  token: TokenDetail;
  refreshToken?: string;
}

/**
 * Ends what the provider still holds after the page forgot the tokens: revokes them at
 * the revocation endpoint (RFC 7009), the refresh token first since it outlives the
 * access token, then, when asked, ends the provider's session (OpenID RP-Initiated Logout
 * 1.0), which leaves the page.
 */
export async function signOutAtProvider(
  effects: Pick<Effects, 'fetch' | 'navigate'>,
  config: LoginConfig,
  { token, refreshToken }: SignedOutTokens,
  endSession: boolean,
): Promise<void> {
  if (config.revocationUrl) {
    if (refreshToken) await revokeToken(effects, config.revocationUrl, config.clientId, refreshToken, 'refresh_token');
    await revokeToken(effects, config.revocationUrl, config.clientId, token.accessToken, 'access_token');
  }
  if (endSession && config.endSessionUrl) {
    const url = new URL(config.endSessionUrl);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('post_logout_redirect_uri', config.redirectUri);
    if (token.idToken) url.searchParams.set('id_token_hint', token.idToken);
    effects.navigate(url.href);
  }
}

/**
 * Asks the provider to revoke a token (RFC 7009 §2.1). Sign-out never waits for it and
 * never fails because of it: the local token is already gone, and a provider that cannot
 * be reached cannot be helped.
 */
async function revokeToken(
  effects: Pick<Effects, 'fetch'>,
  revocationUrl: string,
  clientId: string,
  token: string,
  tokenTypeHint: 'access_token' | 'refresh_token',
): Promise<void> {
  try {
    await postForm(effects, revocationUrl, { token, token_type_hint: tokenTypeHint, client_id: clientId });
  } catch {
    // See above: nothing to do.
  }
}
