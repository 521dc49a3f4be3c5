import type { Effects } from './effects.js';
import type { LoginConfig } from './login-config.js';
import type { PendingRequest } from './pending-requests.js';
import { createPkce } from './pkce.js';
import { randomString } from './random.js';

/** A sign-in about to start: where to send the browser, and what to remember until it comes back. */
export interface AuthorizationRequest {
  url: string;
  pending: PendingRequest;
}

/**
 * Prepares a sign-in (RFC 6749 §4.1.1, §4.2.1): a fresh `state`, PKCE S256 for `code`
 * (RFC 7636), a `nonce` when OpenID Connect is asked for, and the pending record that
 * the response will be checked against. `statePrefix` marks popup sign-ins.
 */
export async function createAuthorizationRequest(
  effects: Pick<Effects, 'getRandomValues' | 'now'>,
  config: LoginConfig,
  owner: string,
  statePrefix: string,
): Promise<AuthorizationRequest> {
  const state = statePrefix + randomString(effects);
  const extra: Record<string, string> = {};
  const pending: PendingRequest = {
    state,
    owner,
    responseType: config.responseType,
    redirectUri: config.redirectUri,
    scope: config.scope,
    createdAt: effects.now(),
    clientId: config.clientId,
    issuer: config.issuer,
    requireIss: config.requireIss,
  };
  if (config.responseType === 'code') {
    const pkce = await createPkce(effects);
    Object.assign(extra, { code_challenge: pkce.challenge, code_challenge_method: 'S256' });
    Object.assign(pending, { codeVerifier: pkce.verifier, tokenUrl: config.tokenUrl });
    if (config.dpop) pending.dpop = true;
  }
  if (config.scope.split(' ').includes('openid')) pending.nonce = extra.nonce = randomString(effects);
  return { url: buildAuthorizationUrl(config, state, extra), pending };
}

/**
 * The URL that starts a sign-in. The authorize-url may carry query parameters of its own
 * (some providers need them); ours are added, never duplicated.
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
