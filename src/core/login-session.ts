import { buildAuthorizationUrl } from './authorization-request.js';
import type { CallbackParameters } from './callback.js';
import { pageCallbackInbox, type CallbackInbox } from './callback-inbox.js';
import type { Effects } from './effects.js';
import { OAuthError, toErrorDetail, type OAuthErrorDetail } from './errors.js';
import { ownerKey, parseStorageKind, resolveLoginConfig, type LoginOptions } from './login-config.js';
import { PendingRequestStore } from './pending-requests.js';
import { randomString } from './random.js';
import { errorFromResponse, tokenFromResponse, type TokenDetail } from './token.js';
import { TokenStore } from './token-store.js';

export type SignOutReason = 'user' | 'expired' | 'other-tab';

/** What a session tells its element; the element turns each into a DOM event. */
export interface LoginSessionListener {
  token(token: TokenDetail): void;
  signout(reason: SignOutReason): void;
  error(error: OAuthErrorDetail): void;
}

/**
 * The sign-in state of one `<oauth-login>`: starts sign-ins, completes them from the
 * callback, keeps the token and says when it changes. Knows nothing of the DOM.
 */
export class LoginSession {
  private readonly pending: PendingRequestStore;
  private store: TokenStore | null = null;

  constructor(
    private readonly effects: Effects,
    private readonly options: () => LoginOptions,
    private readonly listener: LoginSessionListener,
    private readonly inbox: CallbackInbox = pageCallbackInbox,
  ) {
    this.pending = new PendingRequestStore(effects);
  }

  get token(): TokenDetail | null {
    return this.store?.current() ?? null;
  }

  /** Step one on connect, synchronous so nothing else on the page sees a token in the URL. */
  captureCallback(): void {
    this.inbox.capture(this.effects);
  }

  /** Step two: completes a response meant for this element, else restores a saved token. */
  start(): void {
    const store = this.tokenStore();
    const response = this.inbox.claim((candidate) => this.owns(candidate));
    if (response) {
      this.complete(response, store);
      return;
    }
    if (store.current()) {
      store.resume();
      return;
    }
    const restored = store.restore();
    if (restored) this.listener.token(restored);
  }

  /** Leaves the page for the provider. Synchronous: a popup must open inside the click. */
  signIn(): void {
    try {
      const config = resolveLoginConfig(this.options(), this.effects.currentUrl());
      const state = randomString(this.effects);
      this.pending.save({
        state,
        owner: ownerKey(this.options()),
        responseType: config.responseType,
        redirectUri: config.redirectUri,
        scope: config.scope,
        createdAt: this.effects.now(),
      });
      this.effects.navigate(buildAuthorizationUrl(config, state));
    } catch (error) {
      this.listener.error(toErrorDetail(error));
    }
  }

  signOut(reason: SignOutReason = 'user'): void {
    const hadToken = this.store?.current() != null;
    this.store?.clear();
    if (hadToken) this.listener.signout(reason);
  }

  /** The element left the document: stop the expiry timer, keep the token. */
  pause(): void {
    this.store?.pause();
  }

  /**
   * A response is this element's when its pending request was started here. One nobody
   * can own (no state, unknown, expired, malformed) goes to whichever element looks
   * first, so that exactly one `oauth-error` reports it.
   */
  private owns(response: CallbackParameters): boolean {
    const state = response.params.get('state');
    if (response.malformed || !state) return true;
    const found = this.pending.lookup(state);
    return found.status === 'unknown' || found.request.owner === ownerKey(this.options());
  }

  private complete(response: CallbackParameters, store: TokenStore): void {
    try {
      if (response.malformed) throw new OAuthError('invalid_response', response.malformed);
      const state = response.params.get('state');
      if (!state) throw new OAuthError('invalid_state', 'The response has no state');
      const found = this.pending.take(state);
      if (found.status === 'unknown') {
        throw new OAuthError('invalid_state', 'No sign-in is pending for this response (forged, replayed or from another tab)');
      }
      if (found.status === 'expired') throw new OAuthError('invalid_state', 'The sign-in request expired; please sign in again');
      if (response.params.has('error')) throw errorFromResponse(response.params);

      const token = tokenFromResponse(response.params, found.request.scope, this.effects.now());
      store.save(token);
      this.listener.token(token);
      // A token already expired on arrival is still announced first, then ended.
      store.current();
    } catch (error) {
      this.listener.error(toErrorDetail(error));
    }
  }

  /** Made on first use, because the storage kind comes from an attribute the page may set late. */
  private tokenStore(): TokenStore {
    if (!this.store) {
      const options = this.options();
      this.store = new TokenStore(this.effects, parseStorageKind(options.storage) ?? 'memory', ownerKey(options), () =>
        this.listener.signout('expired'),
      );
    }
    return this.store;
  }
}
