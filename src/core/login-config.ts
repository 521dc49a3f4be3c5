import type { ProviderMetadata } from './discovery.js';
import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';
import { loadProviderClient } from './on-demand.js';
import { parseStorageKind, timeLimitOf, type LoginOptions, type ResponseType, type SignInMode, type StorageKind } from './login-options.js';
import { requireSecureUrl } from './secure-url.js';

/** Options checked and completed with defaults and discovery: everything a sign-in needs. */
export interface LoginConfig {
  authorizeUrl: URL;
  clientId: string;
  redirectUri: string;
  scope: string;
  responseType: ResponseType;
  storage: StorageKind;
  mode: SignInMode;
  dpop: boolean;
  tokenUrl?: string;
  revocationUrl?: string;
  endSessionUrl?: string;
  issuer?: string;
  /** RFC 9207: the provider says it always sends `iss`, so a response without it is refused. */
  requireIss: boolean;
}

/** The page's own URL without query and fragment: where the provider sends the browser back by default. */
function defaultRedirectUri(currentUrl: string): string {
  const url = new URL(currentUrl);
  return url.origin + url.pathname;
}

/**
 * The options as they are now, completed from the provider's discovery document when
 * `issuer` is set. The options are the live element: an issuer changed during discovery
 * gets its own, never a mix of the old provider's endpoints and the new attributes.
 */
export async function loadLoginConfig(
  effects: Pick<Effects, 'fetch' | 'currentUrl' | 'setTimeout' | 'clearTimeout'>,
  options: LoginOptions,
): Promise<LoginConfig> {
  const issuer = options.issuer;
  const metadata = issuer ? await (await loadProviderClient()).discoverProvider(effects, issuer, timeLimitOf(options)) : undefined;
  if (options.issuer !== issuer) return loadLoginConfig(effects, options);
  return resolveLoginConfig(options, effects.currentUrl(), metadata);
}

/**
 * Checks the options of a sign-in, filling endpoints the page left out from the provider's
 * discovery document (explicit attributes win); throws `invalid_config` naming the attribute at fault.
 */
export function resolveLoginConfig(options: LoginOptions, currentUrl: string, metadata?: ProviderMetadata): LoginConfig {
  const authorizeUrl = requireSecureUrl(options.authorizeUrl || metadata?.authorization_endpoint, 'authorize-url');
  if (!authorizeUrl) throw new OAuthError('invalid_config', 'authorize-url (or issuer) is required');
  const clientId = options.clientId?.trim();
  if (!clientId) throw new OAuthError('invalid_config', 'client-id is required');

  const redirectUri = requireSecureUrl(options.redirectUri || defaultRedirectUri(currentUrl), 'redirect-uri', currentUrl)!;
  if (redirectUri.hash) throw new OAuthError('invalid_config', 'redirect-uri must not have a fragment (RFC 6749 §3.1.2)');

  const responseType = options.responseType || 'token';
  if (responseType !== 'token' && responseType !== 'id_token token' && responseType !== 'code') {
    throw new OAuthError('invalid_config', 'response-type must be "token", "id_token token" or "code"');
  }
  const tokenUrl = requireSecureUrl(options.tokenUrl || metadata?.token_endpoint, 'token-url')?.href;
  if (responseType === 'code' && !tokenUrl) throw new OAuthError('invalid_config', 'response-type="code" needs token-url (or issuer)');

  const scope = (options.scope ?? '').trim().split(/\s+/).filter(Boolean).join(' ');
  if (responseType === 'id_token token' && !scope.split(' ').includes('openid'))
    throw new OAuthError('invalid_config', 'response-type="id_token token" needs "openid" in scope (OpenID Connect Core §3.2.2.1)');
  const storage = parseStorageKind(options.storage);
  if (!storage) throw new OAuthError('invalid_config', 'storage must be "memory", "session" or "local"');
  const dpop = options.dpop === true;
  if (dpop && responseType !== 'code')
    throw new OAuthError('invalid_config', 'dpop needs response-type="code": the implicit grant cannot bind a token');
  const algs = metadata?.dpop_signing_alg_values_supported;
  if (dpop && Array.isArray(algs) && !algs.includes('ES256'))
    throw new OAuthError('invalid_config', 'The provider does not accept ES256 DPoP proofs');
  const mode = options.mode || 'redirect';
  if (mode !== 'redirect' && mode !== 'popup') throw new OAuthError('invalid_config', 'mode must be "redirect" or "popup"');

  return {
    authorizeUrl,
    clientId,
    redirectUri: redirectUri.href,
    scope,
    responseType,
    storage,
    mode,
    dpop,
    tokenUrl,
    revocationUrl: requireSecureUrl(options.revocationUrl || metadata?.revocation_endpoint, 'revocation-url')?.href,
    endSessionUrl: requireSecureUrl(metadata?.end_session_endpoint, 'end_session_endpoint')?.href,
    issuer: metadata?.issuer,
    requireIss: metadata?.authorization_response_iss_parameter_supported === true,
  };
}
