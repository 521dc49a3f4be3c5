import type { LoginConfig } from './login-config.js';

/**
 * The URL that starts a sign-in (RFC 6749 §4.2.1). The authorize-url may carry query
 * parameters of its own (some providers need them); ours are added, never duplicated.
 */
export function buildAuthorizationUrl(config: LoginConfig, state: string, extraParams: Record<string, string> = {}): string {
  const url = new URL(config.authorizeUrl.href);
  const params: Record<string, string> = {
    response_type: config.responseType,
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    ...(config.scope ? { scope: config.scope } : {}),
    state,
    ...extraParams,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}
