import type { SignInOptions } from './authorization-request.js';
import { validateAuthorizationResponse } from './authorization-response.js';
import type { CapturedResponse } from './callback.js';
import { pageCallbackInbox, type CallbackInbox } from './callback-inbox.js';
import { completeImplicitGrant } from './implicit-grant.js';
import { CrossTabChannel, type CrossTabMessage } from './cross-tab.js';
import type { Effects } from './effects.js';
import { OAuthError, type OAuthErrorDetail } from './errors.js';
import { ownerKey, parseStorageKind, timeLimitOf, type LoginOptions } from './login-options.js';
import { LoginCredentials } from './login-credentials.js';
import { loadResourceRequest, loadPopupWaiting, loadProviderClient } from './on-demand.js';
import { PendingRequestStore } from './pending-requests.js';
import { startProviderSignOut } from './provider-sign-out.js';
import { SignInActivity } from './sign-in-activity.js';
import { loadSignIn } from './sign-in-on-demand.js';
import type { RenewalConfig } from './renewal.js';
import type { TokenDetail } from './token.js';
import type { GrantedTokens } from './token-endpoint.js';

export type SignOutReason = 'user' | 'expired' | 'other-tab';

/** What a session tells its element; the element turns each into a DOM event. */
export interface LoginSessionListener {
  token(token: TokenDetail): void;
  signout(reason: SignOutReason): void;
  error(error: OAuthErrorDetail): void;
  /** A sign-in started or ended (see `pending`). */
  pending(): void;
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
  readonly #credentials: LoginCredentials;
  readonly #activity: SignInActivity;

  constructor(effects: Effects, options: LoginOptions, listener: LoginSessionListener, inbox: CallbackInbox = pageCallbackInbox) {
    this.#effects = effects;
    this.#options = options;
    this.#listener = listener;
    this.#inbox = inbox;
    this.#pending = new PendingRequestStore(effects);
    this.#activity = new SignInActivity({ changed: () => listener.pending(), failed: (error) => listener.error(error) });
    this.#tabs = new CrossTabChannel(effects, (message) => this.#onOtherTab(message));
    this.#credentials = new LoginCredentials(effects, options, {
      renewed: (granted) => this.#accept(granted),
      renewedElsewhere: () => this.#takeStoredToken(),
      renewalFailed: (error) => listener.error(error),
      expired: () => listener.signout('expired'),
    });
  }

  get token(): TokenDetail | null {
    return this.#credentials.token();
  }

  /** A sign-in is under way: a new one is not started until it ends. */
  get pending(): boolean {
    return this.#activity.active;
  }

  /** `fetch` with this login's token, renewed once when a resource server refuses it (see authorized-fetch.ts). */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    return loadResourceRequest().then(({ authorizedFetch }) => authorizedFetch(this.#effects, this.#credentials, input, init));
  }

  /** Step one on connect, synchronous so nothing else on the page sees a response in the URL. */
  captureCallback(): void {
    this.#inbox.capture(this.#effects, this.#pending);
  }

  /** Step two: completes a response meant for this element, else restores a saved token. */
  async start(): Promise<void> {
    const store = this.#credentials.store;
    this.#tabs.open(parseStorageKind(this.#options.storage) === 'local');
    const response = this.#inbox.claimFor(ownerKey(this.#options), this.#pending);
    if (response) return this.#activity.run(() => this.#complete(response));
    if (store.current()) return store.resume();
    this.#takeStoredToken();
  }

  /** Leaves the page for the provider, which sends the browser back to the redirect URI. */
  signIn(options: SignInOptions = {}): Promise<void> {
    return this.#activity.run(async () => {
      const { startAuthorizationRequest } = loadSignIn.loaded ?? (await loadSignIn());
      await startAuthorizationRequest(this.#effects, this.#options, this.#pending, options, false, (url) => this.#effects.navigate(url));
    });
  }

  /**
   * Signs in in a popup. Everything before the first `await` runs inside the caller's
   * click, which is what lets `window.open` through the popup blocker.
   */
  signInWithPopup(options: SignInOptions = {}): Promise<void> {
    return this.#activity.run(async () => {
      const popup = this.#effects.openPopup();
      if (!popup) throw new OAuthError('popup_blocked', 'The browser blocked the sign-in popup; allow popups for this site');
      try {
        // Fetched while the request is prepared; a failure to load is reported where it is awaited.
        const waiting = loadPopupWaiting();
        waiting.catch(() => undefined);
        const { startAuthorizationRequest } = loadSignIn.loaded ?? (await loadSignIn());
        const state = await startAuthorizationRequest(this.#effects, this.#options, this.#pending, options, true, (url) =>
          popup.location.assign(url),
        );
        await this.#complete(await (await waiting).waitForPopupResponse(this.#effects, popup, state));
      } catch (error) {
        popup.close();
        throw error;
      }
    });
  }

  /**
   * Forgets the token here, in storage and in the other tabs, then (without waiting)
   * revokes it at the provider when a revocation endpoint is known.
   */
  signOut(reason: SignOutReason = 'user', options: SignOutOptions = {}): void {
    const token = this.#credentials.token();
    if (!token) return void this.#credentials.forget();
    const dpop = this.#credentials.dropDpopKey(token);
    const refreshToken = this.#credentials.forget();
    this.#listener.signout(reason);
    if (reason !== 'user') return;
    this.#tabs.post({ type: 'signout', owner: ownerKey(this.#options) });
    const endSession = options.endSession === true;
    startProviderSignOut(this.#effects, this.#options, { token, refreshToken }, dpop, endSession, (error) => this.#listener.error(error));
  }

  /** The element left the document: stop timers and the tab channel, keep the token. */
  pause(): void {
    this.#credentials.store.pause();
    this.#tabs.close();
  }

  /** Checks the response and completes the sign-in; runs as the sign-in under way, which reports what it throws. */
  async #complete(response: CapturedResponse): Promise<void> {
    const result = validateAuthorizationResponse(response, (state) => this.#pending.take(state), this.#effects.now());
    const { returnTo } = result.request;
    if (result.responseType !== 'code') return this.#accept(await completeImplicitGrant(this.#effects, result), undefined, returnTo);
    const { tokenUrl, clientId, scope, issuer, dpop: bound } = result.request;
    const dpop = bound ? await this.#credentials.dpop() : undefined;
    const { exchangeCode } = await loadProviderClient();
    const granted = await exchangeCode(this.#effects, result.code, result.request, timeLimitOf(this.#options), dpop);
    this.#accept(granted, { tokenUrl, clientId, scope, issuer, dpop }, returnTo);
  }

  /** A token's arrival is one step: stored, renewal armed, announced; a storage that refuses it costs persistence, never the sign-in. */
  #accept(granted: GrantedTokens, renewal?: RenewalConfig, returnTo?: string): void {
    const persisted = this.#credentials.accept(granted, renewal);
    // Where a redirect sign-in started belongs to its event only, never to the stored token.
    this.#listener.token(returnTo === undefined ? granted.token : { ...granted.token, returnTo });
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
    this.#credentials.token();
  }

  #onOtherTab(message: CrossTabMessage): void {
    if (message.owner !== ownerKey(this.#options)) return;
    if (message.type === 'signout') {
      this.signOut('other-tab');
    } else if (message.type === 'token') {
      this.#takeStoredToken();
    }
  }

  /** Takes the token another tab or login stored (and its refresh token, when one is kept), announcing it once. */
  #takeStoredToken(): void {
    const restored = this.#credentials.restore();
    if (restored) this.#listener.token(restored);
  }
}
