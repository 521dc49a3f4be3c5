import { createAuthorizationRequest } from './authorization-request.js';
import { validateAuthorizationResponse } from './authorization-response.js';
import type { CapturedResponse } from './callback.js';
import { pageCallbackInbox, type CallbackInbox } from './callback-inbox.js';
import { exchangeCode } from './code-grant.js';
import { CrossTabChannel, type CrossTabMessage } from './cross-tab.js';
import type { Effects } from './effects.js';
import { OAuthError, toErrorDetail, type OAuthErrorDetail } from './errors.js';
import { loadLoginConfig, ownerKey, parseStorageKind, timeLimitOf, type LoginOptions } from './login-config.js';
import { PendingRequestStore } from './pending-requests.js';
import { POPUP_STATE_PREFIX, waitForPopupResponse } from './popup.js';
import { signOutAtProvider } from './provider-sign-out.js';
import { Renewal, type RenewalConfig } from './renewal.js';
import type { TokenDetail } from './token.js';
import type { GrantedTokens } from './token-endpoint.js';
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

/**
 * The sign-in state of one `<oauth-login>`: starts sign-ins, completes them from the
 * callback, keeps (and renews) the token and says when it changes. Each protocol step is
 * a module of its own; this class only puts them in order. Knows nothing of the DOM.
 */
export class LoginSession {
  readonly #effects: Effects;
  /** Read at each use, not copied: the element passes itself, so changed attributes apply to the next sign-in. */
  readonly #options: LoginOptions;
  readonly #listener: LoginSessionListener;
  readonly #inbox: CallbackInbox;
  readonly #pending: PendingRequestStore;
  readonly #tabs: CrossTabChannel;
  readonly #renewal: Renewal;
  #store: TokenStore | null = null;

  constructor(effects: Effects, options: LoginOptions, listener: LoginSessionListener, inbox: CallbackInbox = pageCallbackInbox) {
    this.#effects = effects;
    this.#options = options;
    this.#listener = listener;
    this.#inbox = inbox;
    this.#pending = new PendingRequestStore(effects);
    this.#tabs = new CrossTabChannel(effects, (message) => this.#onOtherTab(message));
    this.#renewal = new Renewal(
      effects,
      () => timeLimitOf(options),
      (granted) => this.#store && this.#accept(granted, this.#store),
      (error) => listener.error(error),
    );
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
    const response = this.#inbox.claimFor(ownerKey(this.#options), this.#pending);
    if (response) return this.#complete(response, store);
    if (store.current()) return store.resume();
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
   * Signs in in a popup. Everything before the first `await` runs inside the caller's
   * click, which is what lets `window.open` through the popup blocker.
   */
  async signInWithPopup(): Promise<void> {
    const popup = this.#effects.openPopup();
    try {
      if (!popup) throw new OAuthError('popup_blocked', 'The browser blocked the sign-in popup; allow popups for this site');
      const state = await this.#startRequest((url) => popup.location.assign(url), POPUP_STATE_PREFIX);
      const response = await waitForPopupResponse(this.#effects, popup, state);
      await this.#complete(response, this.#tokenStore());
    } catch (error) {
      popup?.close();
      this.#listener.error(toErrorDetail(error));
    }
  }

  /** Saves a pending request and sends `navigate` to the authorization URL; returns the state. */
  async #startRequest(navigate: (url: string) => void, statePrefix: string): Promise<string> {
    const config = await loadLoginConfig(this.#effects, this.#options);
    const { url, pending } = await createAuthorizationRequest(this.#effects, config, ownerKey(this.#options), statePrefix);
    this.#pending.save(pending);
    navigate(url);
    return pending.state;
  }

  /**
   * Forgets the token here, in storage and in the other tabs, then (without waiting)
   * revokes it at the provider when a revocation endpoint is known.
   */
  signOut(reason: SignOutReason = 'user', options: SignOutOptions = {}): void {
    const token = this.#store?.current() ?? null;
    const refreshToken = this.#forget();
    if (!token) return;
    this.#listener.signout(reason);
    if (reason !== 'user') return;
    this.#tabs.post({ type: 'signout', owner: ownerKey(this.#options) });
    // A provider whose configuration cannot be had now cannot be told; the page has forgotten the tokens already.
    void loadLoginConfig(this.#effects, this.#options).then(
      (config) =>
        signOutAtProvider(this.#effects, config, { token, refreshToken }, options.endSession === true, timeLimitOf(this.#options)),
      () => undefined,
    );
  }

  /** The element left the document: stop timers and the tab channel, keep the token. */
  pause(): void {
    this.#store?.pause();
    this.#tabs.close();
  }

  async #complete(response: CapturedResponse, store: TokenStore): Promise<void> {
    try {
      const result = validateAuthorizationResponse(response, (state) => this.#pending.take(state), this.#effects.now());
      if (result.responseType === 'token') return this.#accept({ token: result.token }, store);
      const { tokenUrl, clientId, scope, issuer } = result.request;
      const granted = await exchangeCode(this.#effects, result.code, result.request, timeLimitOf(this.#options));
      this.#accept(granted, store, { tokenUrl, clientId, scope, issuer });
    } catch (error) {
      this.#listener.error(toErrorDetail(error));
    }
  }

  /** A token's arrival is one step: stored, renewal armed, announced; a storage that refuses it costs persistence, never the sign-in. */
  #accept(granted: GrantedTokens, store: TokenStore, renewal?: RenewalConfig): void {
    const persisted = store.save(granted.token);
    this.#renewal.keep(granted, renewal);
    this.#listener.token(granted.token);
    if (!persisted) {
      this.#listener.error({
        error: 'storage_error',
        description: 'The browser refused to store the token; it is kept in memory for this page',
      });
    } else if (parseStorageKind(this.#options.storage) !== 'memory') {
      // Other logins for this client that share the storage take the new token (a renewal
      // included) instead of expiring the old one: in other tabs for `local`, in this page for both.
      this.#tabs.post({ type: 'token', owner: ownerKey(this.#options) });
    }
    // A token already expired on arrival is still announced first, then ended.
    store.current();
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

  /** Drops the token and stops renewing; returns the refresh token, for revocation. */
  #forget(): string | undefined {
    this.#store?.clear();
    return this.#renewal.stop();
  }

  /** Made on first use, because the storage kind comes from an attribute the page may set late. */
  #tokenStore(): TokenStore {
    this.#store ??= new TokenStore(this.#effects, parseStorageKind(this.#options.storage) ?? 'memory', ownerKey(this.#options), () => {
      this.#forget();
      this.#listener.signout('expired');
    });
    return this.#store;
  }
}
