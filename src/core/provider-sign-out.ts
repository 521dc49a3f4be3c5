import type { DpopProver } from './dpop.js';
import type { Effects } from './effects.js';
import type { LoginConfig } from './login-config.js';
import type { TokenDetail } from './token.js';
import { PROVIDER_TIME_LIMIT_MS, withTimeLimit } from './time-limit.js';
import { loadProviderClient } from './on-demand.js';

/** What a sign-out leaves behind at the provider. */
export interface SignedOutTokens {
  token: TokenDetail;
  refreshToken?: string;
  /** The key DPoP-bound tokens are bound to: revocation requests prove it too. */
  dpop?: DpopProver;
}

/**
 * Ends what the provider still holds after the page forgot the tokens: revokes them at
 * the revocation endpoint (RFC 7009 §2.1), the refresh token first since it outlives the
 * access token, then, when asked, ends the provider's session (OpenID RP-Initiated Logout
 * 1.0), which leaves the page. A revocation that fails is not retried: the local tokens
 * are gone already, and a provider that cannot be reached cannot be helped.
 */
export async function signOutAtProvider(
  effects: Pick<Effects, 'fetch' | 'navigate' | 'setTimeout' | 'clearTimeout'>,
  config: LoginConfig,
  { token, refreshToken, dpop }: SignedOutTokens,
  endSession: boolean,
  timeLimitMs = PROVIDER_TIME_LIMIT_MS,
): Promise<void> {
  const revoke = (value: string, hint: 'access_token' | 'refresh_token') =>
    withTimeLimit(effects, timeLimitMs, 'The revocation endpoint', async (signal) => {
      const { postForm } = await loadProviderClient();
      return postForm(effects, config.revocationUrl!, { token: value, token_type_hint: hint, client_id: config.clientId }, signal, dpop);
    }).catch(() => undefined);
  if (config.revocationUrl) {
    if (refreshToken) await revoke(refreshToken, 'refresh_token');
    await revoke(token.accessToken, 'access_token');
  }
  if (endSession && config.endSessionUrl) {
    const url = new URL(config.endSessionUrl);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('post_logout_redirect_uri', config.redirectUri);
    if (token.idToken) url.searchParams.set('id_token_hint', token.idToken);
    effects.navigate(url.href);
  }
}
