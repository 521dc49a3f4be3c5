import type { DpopProver } from './dpop.js';
import type { Effects } from './effects.js';
import { endSessionState } from './end-session-return.js';
import { OAuthError } from './errors.js';
import { MAX_PROVIDER_RESPONSE_BYTES, readBoundedText } from './response-body.js';
import { PROVIDER_TIME_LIMIT_MS, withTimeLimit } from './time-limit.js';
import { ERROR_TEXT, type TokenDetail } from './token.js';
import { postForm } from './token-endpoint.js';

/** What a sign-out leaves behind at the provider. */
export interface SignedOutTokens {
  token: TokenDetail;
  refreshToken?: string;
  /** The key DPoP-bound tokens are bound to: revocation requests prove it too. */
  dpop?: DpopProver;
}

/** The parts of a login's configuration a sign-out at the provider reads. */
export interface ProviderSignOutConfig {
  clientId: string;
  redirectUri: string;
  revocationUrl?: string;
  endSessionUrl?: string;
}

export type SignOutEffects = Pick<
  Effects,
  'fetch' | 'navigate' | 'currentUrl' | 'setTimeout' | 'clearTimeout' | 'getRandomValues' | 'sessionStorage'
>;

/**
 * Ends what the provider still holds after the page forgot the tokens: revokes them at
 * the revocation endpoint (RFC 7009 §2.1), the refresh token first since it outlives the
 * access token, then, when asked, ends the provider's session (OpenID RP-Initiated Logout
 * 1.0), which leaves the page. A revocation that fails is not retried (the local tokens are
 * gone already) and does not stop the rest; the first failure is thrown at the end.
 */
export async function signOutAtProvider(
  effects: Omit<SignOutEffects, 'currentUrl'>,
  config: ProviderSignOutConfig,
  { token, refreshToken, dpop }: SignedOutTokens,
  endSession: boolean,
  timeLimitMs = PROVIDER_TIME_LIMIT_MS,
): Promise<void> {
  let failure: OAuthError | undefined;
  const revoke = (value: string, hint: 'access_token' | 'refresh_token') =>
    withTimeLimit(effects, timeLimitMs, 'The revocation endpoint', async (signal) => {
      const response = await postForm(
        effects,
        config.revocationUrl!,
        { token: value, token_type_hint: hint, client_id: config.clientId },
        signal,
        dpop,
      );
      if (!response.ok) throw await revocationRefused(response);
    }).catch((error: unknown) => {
      failure ??= error instanceof OAuthError ? error : new OAuthError('network_error', 'The revocation endpoint could not be reached');
    });
  if (config.revocationUrl) {
    if (refreshToken) await revoke(refreshToken, 'refresh_token');
    await revoke(token.accessToken, 'access_token');
  }
  if (endSession && config.endSessionUrl) {
    const url = new URL(config.endSessionUrl);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('post_logout_redirect_uri', config.redirectUri);
    // Optional in RP-Initiated Logout 1.0, yet some providers return to post_logout_redirect_uri only with it.
    url.searchParams.set('state', endSessionState(effects));
    if (token.idToken) url.searchParams.set('id_token_hint', token.idToken);
    effects.navigate(url.href);
  }
  if (failure) throw failure;
}

/** A refused revocation (RFC 7009 §2.2.1): the provider's RFC 6749 error code when it gave one, else `http_error`. */
async function revocationRefused(response: Response): Promise<OAuthError> {
  const text = await readBoundedText(response, MAX_PROVIDER_RESPONSE_BYTES, 'The revocation endpoint').catch(() => '');
  let code: unknown;
  try {
    code = (JSON.parse(text) as { error?: unknown } | null)?.error;
  } catch {
    code = undefined;
  }
  const error = typeof code === 'string' && ERROR_TEXT.test(code) ? code : 'http_error';
  const description = `The provider refused to revoke the token (HTTP ${response.status}); it stays valid there until it expires`;
  return new OAuthError(error, description, { status: response.status });
}
