import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';
import { loadLoginConfig, type LoginConfig } from './login-config.js';
import { ownerKey, type LoginOptions } from './login-options.js';
import type { PendingRequest, PendingRequestStore } from './pending-requests.js';
import { loadProviderClient } from './on-demand.js';
import { POPUP_STATE_PREFIX } from './popup.js';
import { randomString } from './random.js';
import { returnToOf } from './return-to.js';

// In the same chunk (sign-in-on-demand.ts): the sign-out at the provider reads the checked options too.
export { loadLoginConfig } from './login-config.js';

/** What `signIn(options)` may add to one sign-in. */
export interface SignInOptions {
  /** OpenID Connect `login_hint`: who is expected to sign in (an email, a user name). */
  loginHint?: string;
  /** OpenID Connect `prompt`: `login`, `consent`, `select_account`, `none`. */
  prompt?: string;
  /** Further authorization request parameters (`acr_values`, `max_age`, `resource`, `audience`…). */
  params?: Record<string, string | number>;
  /** A redirect sign-in: this origin's URL to come back to instead of the current page. */
  returnTo?: string;
}

/** A sign-in about to start: where to send the browser, and what to remember until it comes back. */
export interface AuthorizationRequest {
  url: string;
  pending: PendingRequest;
}

/**
 * The parameters the sign-in sets itself. A page's `params` may not name one: `state`,
 * PKCE and `nonce` are what make the response trustworthy, `response_mode`, `request` and
 * `request_uri` could send it elsewhere or replace the whole request, and the rest come
 * from the element's attributes.
 */
export const PROTOCOL_PARAMETERS: readonly string[] = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'response_mode',
  'request',
  'request_uri',
];

/**
 * Starts a sign-in: checks the options, saves the pending request and sends `navigate` to
 * the authorization URL. Returns the state. A redirect sign-in remembers where it started.
 */
export async function startAuthorizationRequest(
  effects: Pick<Effects, 'fetch' | 'currentUrl' | 'setTimeout' | 'clearTimeout' | 'getRandomValues' | 'now'>,
  options: LoginOptions,
  pendingRequests: Pick<PendingRequestStore, 'save'>,
  signIn: SignInOptions,
  popup: boolean,
  navigate: (url: string) => void,
): Promise<string> {
  const config = await loadLoginConfig(effects, options);
  const { url, pending } = await createAuthorizationRequest(effects, config, ownerKey(options), popup ? POPUP_STATE_PREFIX : '', signIn);
  if (!popup) pending.returnTo = returnToOf(effects.currentUrl(), signIn.returnTo);
  pendingRequests.save(pending);
  navigate(url);
  return pending.state;
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
  signIn: SignInOptions = {},
): Promise<AuthorizationRequest> {
  const pageParams = signInParameters(signIn);
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
    // Loaded with the rest of the code grant (preloaded since the element connected).
    const pkce = await (await loadProviderClient()).createPkce(effects);
    Object.assign(extra, { code_challenge: pkce.challenge, code_challenge_method: 'S256' });
    Object.assign(pending, { codeVerifier: pkce.verifier, tokenUrl: config.tokenUrl });
    if (config.dpop) pending.dpop = true;
  }
  if (config.scope.split(' ').includes('openid')) pending.nonce = extra.nonce = randomString(effects);
  return { url: buildAuthorizationUrl(config, state, extra, pageParams), pending };
}

/** `signIn(options)` as request parameters; `invalid_config` for one that would override the protocol's own. */
function signInParameters({ loginHint, prompt, params = {} }: SignInOptions): Record<string, string> {
  const result: Record<string, string> = {};
  const named = { ...(loginHint === undefined ? {} : { login_hint: loginHint }), ...(prompt === undefined ? {} : { prompt }) };
  for (const [name, value] of Object.entries({ ...params, ...named })) {
    if (PROTOCOL_PARAMETERS.includes(name)) {
      throw new OAuthError('invalid_config', `signIn() params may not set ${name}: the sign-in sets it itself`);
    }
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
      throw new OAuthError('invalid_config', `signIn() ${name} must be a string`);
    }
    result[name] = String(value);
  }
  return result;
}

/**
 * The URL that starts a sign-in. The authorize-url may carry query parameters of its own
 * (some providers need them), and `pageParams` come from `signIn()`; ours are set last,
 * so neither can replace them, and nothing is duplicated.
 */
export function buildAuthorizationUrl(
  config: LoginConfig,
  state: string,
  extraParams: Record<string, string> = {},
  pageParams: Record<string, string> = {},
): string {
  const url = new URL(config.authorizeUrl.href);
  const params: Record<string, string> = {
    response_type: config.responseType,
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    ...(config.scope ? { scope: config.scope } : {}),
    state,
    ...extraParams,
  };
  for (const [name, value] of Object.entries(pageParams)) url.searchParams.set(name, value);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}
