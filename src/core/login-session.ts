import { buildAuthorizationUrl } from './authorization-request.js';
import { pageCallbackInbox, type CallbackInbox, type CapturedResponse } from './callback-inbox.js';
import { exchangeCode, refreshTokens, type GrantedTokens, type RenewalConfig } from './code-grant.js';
import { CrossTabChannel, type CrossTabMessage } from './cross-tab.js';
import { discoverProvider } from './discovery.js';
import type { Effects } from './effects.js';
import { OAuthError, toErrorDetail, type OAuthErrorDetail } from './errors.js';
import { ownerKey, parseStorageKind, resolveLoginConfig, type LoginConfig, type LoginOptions } from './login-config.js';
import { callAt } from './long-timer.js';
import { PendingRequestStore, type PendingRequest } from './pending-requests.js';
import { POPUP_STATE_PREFIX, waitForPopupResponse } from './popup.js';
import { createPkce } from './pkce.js';
import { randomString } from './random.js';
import { revokeToken } from './revocation.js';
import { errorFromResponse, tokenFromResponse, type TokenDetail } from './token.js';
import { TokenStore } from './token-store.js';

export type SignOutReason = 'user' | 'expired' | 'other-tab';

/** What a session tells its element; the element turns each into a DOM event. */
export interface LoginSessionListener {
  token(token: TokenDetail): void;
  signout(reason: SignOutReason): void;
  error(error: OAuthErrorDetail): void;
}

export interface SignOutOptions {
  /** Also end the session at the provider (OpenID `end_session_endpoint`), leaving the page. */
  endSession?: boolean;
}

/** Renew this long before expiry, or at half the lifetime for short-lived tokens. */
const RENEWAL_MARGIN_MS = 60_000;

/**
 * The sign-in state of one `<oauth-login>`: starts sign-ins, completes them from the
 * callback, keeps (and renews) the token and says when it changes. Knows nothing of the DOM.
 */
export class LoginSession {
  readonly #effects: Effects;
  /** Read at each use, not copied: the element passes itself, so changed attributes apply to the next sign-in. */
  readonly #options: LoginOptions;
  readonly #listener: LoginSessionListener;
  readonly #inbox: CallbackInbox;
  readonly #pending: PendingRequestStore;
  readonly #tabs: CrossTabChannel;
  #store: TokenStore | null = null;
  /** Memory only, never storage, and `#private` so no page script can read it: it outlives the access token and is worth more to a thief. */
  #refreshToken?: string;
  #renewal?: RenewalConfig;
  #cancelRenewal?: () => void;

  constructor(effects: Effects, options: LoginOptions, listener: LoginSessionListener, inbox: CallbackInbox = pageCallbackInbox) {
    this.#effects = effects;
    this.#options = options;
    this.#listener = listener;
    this.#inbox = inbox;
    this.#pending = new PendingRequestStore(effects);
    this.#tabs = new CrossTabChannel(effects, (message) => this.#onOtherTab(message));
  }

  get token(): TokenDetail | null {
    return this.#store?.current() ?? null;
  }

  /** Step one on connect, synchronous so nothing else on the page sees a response in the URL. */
  captureCallback(): void {
    this.#inbox.capture(this.#effects);
  }

  /** Step two: completes a response meant for this element, else restores a saved token. */
  async start(): Promise<void> {
    const store = this.#tokenStore();
    this.#tabs.open();
    const response = this.#inbox.claim((candidate) => this.#owns(candidate));
    if (response) {
      await this.#complete(response, store);
      return;
    }
    if (store.current()) {
      store.resume();
      return;
    }
    const restored = store.restore();
    if (restored) this.#listener.token(restored);
  }

  /** Leaves the page for the provider, which sends the browser back to the redirect URI. */
  async signIn(): Promise<void> {
    try {
      await this.#startRequest((url) => this.#effects.navigate(url), '');
    } catch (error) {
      this.#listener.error(toErrorDetail(error));
    }
  }

  /**
   * Signs in in a popup. The popup opens synchronously, so call this inside the click
   * handler: browsers block a popup opened after an await.
   */
  signInWithPopup(): Promise<void> {
    const popup = this.#effects.openPopup();
    if (!popup) {
      this.#listener.error(
        toErrorDetail(new OAuthError('popup_blocked', 'The browser blocked the sign-in popup; allow popups for this site')),
      );
      return Promise.resolve();
    }
    return (async () => {
      try {
        const state = await this.#startRequest((url) => popup.location.assign(url), POPUP_STATE_PREFIX);
        const response = await waitForPopupResponse(this.#effects, popup, state);
        await this.#complete(response, this.#tokenStore());
      } catch (error) {
        popup.close();
        this.#listener.error(toErrorDetail(error));
      }
    })();
  }

  /** Saves a pending request and sends `navigate` to the authorization URL; returns the state. */
  async #startRequest(navigate: (url: string) => void, statePrefix: string): Promise<string> {
    const config = await this.#resolveConfig();
    const state = statePrefix + randomString(this.#effects);
    const extra: Record<string, string> = {};
    const request: PendingRequest = {
      state,
      owner: ownerKey(this.#options),
      responseType: config.responseType,
      redirectUri: config.redirectUri,
      scope: config.scope,
      createdAt: this.#effects.now(),
      clientId: config.clientId,
      issuer: config.issuer,
      requireIss: config.requireIss,
    };
    if (config.responseType === 'code') {
      const pkce = await createPkce(this.#effects);
      Object.assign(extra, { code_challenge: pkce.challenge, code_challenge_method: 'S256' });
      Object.assign(request, { codeVerifier: pkce.verifier, tokenUrl: config.tokenUrl });
    }
    if (config.scope.split(' ').includes('openid')) {
      request.nonce = extra.nonce = randomString(this.#effects);
    }
    this.#pending.save(request);
    navigate(buildAuthorizationUrl(config, state, extra));
    return state;
  }

  /**
   * Forgets the token here, in storage and in the other tabs, then (without waiting)
   * revokes it at the provider when a revocation endpoint is known.
   */
  signOut(reason: SignOutReason = 'user', options: SignOutOptions = {}): void {
    const token = this.#store?.current() ?? null;
    const refreshToken = this.#refreshToken;
    this.#forget();
    if (!token) return;
    this.#listener.signout(reason);
    if (reason !== 'user') return;
    this.#tabs.post({ type: 'signout', owner: ownerKey(this.#options) });
    void this.#revoke(token, refreshToken, options.endSession === true);
  }

  /** The element left the document: stop timers and the tab channel, keep the token. */
  pause(): void {
    this.#store?.pause();
    this.#tabs.close();
  }

  async #resolveConfig(): Promise<LoginConfig> {
    const options = this.#options;
    const issuer = options.issuer;
    const metadata = issuer ? await discoverProvider(this.#effects, issuer) : undefined;
    // The options are the live element: an issuer changed during discovery gets its own.
    if (options.issuer !== issuer) return this.#resolveConfig();
    return resolveLoginConfig(options, this.#effects.currentUrl(), metadata);
  }

  /**
   * A response is this element's when its pending request was started here. One nobody
   * can own (no state, unknown, expired, malformed) goes to whichever element looks
   * first, so that exactly one `oauth-error` reports it.
   */
  #owns(response: CapturedResponse): boolean {
    const state = response.params.get('state');
    if (response.malformed || !state) return true;
    const found = this.#pending.lookup(state);
    return found.status === 'unknown' || found.request.owner === ownerKey(this.#options);
  }

  async #complete(response: CapturedResponse, store: TokenStore): Promise<void> {
    try {
      if (response.malformed) throw new OAuthError('invalid_response', response.malformed);
      const state = response.params.get('state');
      if (!state) throw new OAuthError('invalid_state', 'The response has no state');
      const found = this.#pending.take(state);
      if (found.status === 'unknown') {
        throw new OAuthError('invalid_state', 'No sign-in is waiting for this response (forged, replayed or from another tab)');
      }
      if (found.status === 'expired') throw new OAuthError('invalid_state', 'The sign-in took too long; please sign in again');
      const request = found.request;
      checkIssuer(response.params, request);
      if (response.params.has('error')) throw errorFromResponse(response.params);

      let granted: GrantedTokens;
      if (request.responseType === 'code') {
        granted = await exchangeCode(this.#effects, response.params, request);
      } else {
        // A token in the query would have been sent to the server and logged: never accept one there.
        if (response.source !== 'fragment') throw new OAuthError('invalid_response', 'A token must come in the fragment');
        granted = { token: tokenFromResponse(response.params, request.scope, this.#effects.now()) };
      }
      if (request.tokenUrl)
        this.#renewal = { tokenUrl: request.tokenUrl, clientId: request.clientId, scope: request.scope, issuer: request.issuer };
      this.#accept(granted, store);
    } catch (error) {
      this.#listener.error(toErrorDetail(error));
    }
  }

  #accept(granted: GrantedTokens, store: TokenStore): void {
    this.#refreshToken = granted.refreshToken;
    store.save(granted.token);
    this.#scheduleRenewal(granted.token);
    this.#listener.token(granted.token);
    // Other logins for this client that share the storage take the new token (a renewal
    // included) instead of expiring the old one: in other tabs for `local`, in this page for both.
    if (parseStorageKind(this.#options.storage) !== 'memory') this.#tabs.post({ type: 'token', owner: ownerKey(this.#options) });
    // A token already expired on arrival is still announced first, then ended.
    store.current();
  }

  #scheduleRenewal(token: TokenDetail): void {
    this.#cancelRenewal?.();
    this.#cancelRenewal = undefined;
    if (!this.#refreshToken || !this.#renewal || token.expiresAt === null) return;
    const lifetime = token.expiresAt - this.#effects.now();
    this.#cancelRenewal = callAt(this.#effects, token.expiresAt - Math.min(RENEWAL_MARGIN_MS, lifetime / 2), () => void this.#renew());
  }

  /**
   * One renewal at a time (the timer is the only caller and is re-armed only after an
   * answer). A failed renewal drops the refresh token, so the access token simply runs
   * out and `signout` says `expired`: never a retry loop.
   */
  async #renew(): Promise<void> {
    const refreshToken = this.#refreshToken;
    if (!refreshToken || !this.#renewal || !this.#store) return;
    try {
      const granted = await refreshTokens(this.#effects, this.#renewal, refreshToken);
      if (this.#refreshToken !== refreshToken) return; // signed out meanwhile
      this.#accept(granted, this.#store);
    } catch (error) {
      this.#refreshToken = undefined;
      this.#listener.error(toErrorDetail(error));
    }
  }

  async #revoke(token: TokenDetail, refreshToken: string | undefined, endSession: boolean): Promise<void> {
    let config: LoginConfig;
    try {
      config = await this.#resolveConfig();
    } catch {
      return;
    }
    if (config.revocationUrl) {
      if (refreshToken) await revokeToken(this.#effects, config.revocationUrl, config.clientId, refreshToken, 'refresh_token');
      await revokeToken(this.#effects, config.revocationUrl, config.clientId, token.accessToken, 'access_token');
    }
    if (endSession && config.endSessionUrl) {
      const url = new URL(config.endSessionUrl);
      url.searchParams.set('client_id', config.clientId);
      url.searchParams.set('post_logout_redirect_uri', config.redirectUri);
      if (token.idToken) url.searchParams.set('id_token_hint', token.idToken);
      this.#effects.navigate(url.href);
    }
  }

  #onOtherTab(message: CrossTabMessage): void {
    if (message.owner !== ownerKey(this.#options) || !this.#store) return;
    if (message.type === 'signout') {
      if (this.#store.current()) this.signOut('other-tab');
      else this.#forget();
    } else if (message.type === 'token') {
      const before = this.#store.current()?.accessToken;
      const restored = this.#store.restore();
      if (restored && restored.accessToken !== before) this.#listener.token(restored);
    }
  }

  #forget(): void {
    this.#refreshToken = undefined;
    this.#cancelRenewal?.();
    this.#cancelRenewal = undefined;
    this.#store?.clear();
  }

  /** Made on first use, because the storage kind comes from an attribute the page may set late. */
  #tokenStore(): TokenStore {
    if (!this.#store) {
      const options = this.#options;
      this.#store = new TokenStore(this.#effects, parseStorageKind(options.storage) ?? 'memory', ownerKey(options), () => {
        this.#forget();
        this.#listener.signout('expired');
      });
    }
    return this.#store;
  }
}

/**
 * RFC 9207: a response must name the issuer the request went to, so a page that talks to
 * several providers cannot be tricked into sending one provider's code to another (mix-up).
 */
function checkIssuer(params: ReadonlyMap<string, string>, request: PendingRequest): void {
  const iss = params.get('iss');
  if (iss === undefined) {
    if (request.requireIss) throw new OAuthError('invalid_response', 'The response has no iss (RFC 9207)');
    return;
  }
  if (request.issuer !== undefined && iss !== request.issuer)
    throw new OAuthError('invalid_response', 'The response is from another issuer (RFC 9207)');
}
