import { ReactiveElement, type PropertyDeclarations, type PropertyValues } from '@lit/reactive-element';
import { createElement } from '../dom.js';
import { browserEffects, type Effects } from '../core/effects.js';
import { OAuthError, type OAuthErrorDetail } from '../core/errors.js';
import type { SignInOptions } from '../core/authorization-request.js';
import { LoginSession, type SignOutOptions, type SignOutReason } from '../core/login-session.js';
import { preloadFor } from '../core/on-demand.js';
import { prepareSignIn } from '../core/sign-in-on-demand.js';
import type { TokenDetail } from '../core/token.js';
import { dispatch, type OAuthLoginEventMap, type TypedEventListeners } from '../events.js';
import { oauthLoginStyles } from './oauth-login-styles.js';

/**
 * A sign-in button for an OAuth 2.0 provider. It sends the user to `authorize-url`,
 * checks the response that comes back, and keeps the access token (in memory unless
 * `storage` says otherwise). It never writes the token into the DOM, an attribute, the
 * console or a URL.
 *
 * A page that is the `redirect-uri` of a popup sign-in needs only the script and an
 * `<oauth-login>`: the element there sees the response is for its opener, hands it over
 * and closes the popup.
 *
 * @tagname oauth-login
 * @summary OAuth 2.0 sign-in (implicit grant, or code + PKCE) as one button.
 *
 * @fires {CustomEvent<TokenDetail>} token - A token arrived (callback, restore from storage, renewal, another tab). `detail`: {@link TokenDetail}.
 * @fires {CustomEvent<SignOutDetail>} signout - The token went away. `detail`: `{ reason: 'user' | 'expired' | 'other-tab' }`.
 * @fires {CustomEvent<OAuthErrorDetail>} oauth-error - Something failed. `detail`: `{ error, description?, uri?, status? }`.
 *
 * @slot sign-in - The button's label when signed out. Default: "Sign in".
 * @slot sign-out - The button's label when signed in. Default: "Sign out".
 *
 * @csspart button - The sign-in / sign-out `<button>`.
 * @csspart error - The last error's description, shown as text.
 *
 * @cssprop --oauth-login-font - The button's font. Default: inherit.
 * @cssprop --oauth-login-padding - The button's padding.
 * @cssprop --oauth-login-border - The button's border.
 * @cssprop --oauth-login-border-radius - The button's corner radius.
 * @cssprop --oauth-login-background - The button's background when signed out.
 * @cssprop --oauth-login-color - The button's text colour when signed out.
 * @cssprop --oauth-login-signed-in-background - The button's background when signed in.
 * @cssprop --oauth-login-signed-in-color - The button's text colour when signed in.
 * @cssprop --oauth-login-signed-in-border-color - The button's border colour when signed in.
 * @cssprop --oauth-login-focus-ring - The button's focus outline.
 * @cssprop --oauth-login-error-color - The error text's colour.
 */
export class OAuthLoginElement extends ReactiveElement {
  static override styles = oauthLoginStyles;

  // Declared here rather than with decorators: the same for lit, and no decorator runtime in the bundle.
  static override properties: PropertyDeclarations = {
    authorizeUrl: { attribute: 'authorize-url' },
    clientId: { attribute: 'client-id' },
    redirectUri: { attribute: 'redirect-uri' },
    scope: {},
    responseType: { attribute: 'response-type' },
    tokenUrl: { attribute: 'token-url' },
    issuer: {},
    revocationUrl: { attribute: 'revocation-url' },
    mode: {},
    storage: {},
    dpop: { type: Boolean },
    timeout: { type: Number },
    status: { reflect: true },
    lastError: { state: true },
  };

  // Typed listeners for this element's events, without claiming their names page-wide.
  declare addEventListener: TypedEventListeners<OAuthLoginElement, OAuthLoginEventMap>['addEventListener'];
  declare removeEventListener: TypedEventListeners<OAuthLoginElement, OAuthLoginEventMap>['removeEventListener'];

  /** The provider's authorization endpoint (https, or http to localhost). */
  authorizeUrl: string | null = null;
  /** The client identifier registered with the provider. */
  clientId: string | null = null;
  /** Where the provider sends the browser back. Default: this page's URL without query and fragment. */
  redirectUri: string | null = null;
  /** Space-separated scopes to ask for. */
  scope: string | null = null;
  /** `token`: the implicit grant (RFC 6749 §4.2); `code`: authorization code with PKCE S256 (RFC 7636), needs `token-url` or `issuer`. */
  responseType: 'token' | 'id_token token' | 'code' = 'token';
  /** The token endpoint, for `response-type="code"` and renewal. */
  tokenUrl: string | null = null;
  /** An OpenID Provider: endpoints the page leaves out come from its `/.well-known/openid-configuration`. */
  issuer: string | null = null;
  /** The provider's RFC 7009 revocation endpoint: sign-out revokes the token there (without waiting). */
  revocationUrl: string | null = null;
  /** `redirect` (the whole page goes to the provider and back) or `popup` (a small window does, and the page stays). */
  mode: 'redirect' | 'popup' = 'redirect';
  /** Where the token lives: `memory` (default, nowhere else), `session` (sessionStorage) or `local` (localStorage). Read once, when the element starts. */
  storage: 'memory' | 'session' | 'local' = 'memory';
  /**
   * Sender-constrained tokens (DPoP, RFC 9449), for `response-type="code"`: the tokens are
   * bound to a non-extractable key of this browser, so a copy of them is worthless elsewhere.
   * A provider without DPoP answers Bearer, and `token`'s `tokenType` says so.
   */
  dpop = false;
  /** Milliseconds each request to the provider may take; unset or 0: 30 s. Past it, `oauth-error` `timeout`. */
  timeout: number | null = null;

  /**
   * `signed-out`, `signed-in`, or `pending` while a sign-in is under way (until the browser
   * leaves for the provider, while the popup is open, during the code exchange), reflected
   * so page CSS can style each state (`oauth-login[status='signed-in']`). Set by the element; not an input.
   */
  status: 'signed-out' | 'signed-in' | 'pending' = 'signed-out';

  /**
   * The effects core uses (navigation, storage, clock, random…). Replace it before the
   * element is connected to drive the element without leaving the page, as tests do.
   */
  effects: Effects = browserEffects();

  private lastError: OAuthErrorDetail | null = null;

  #session?: LoginSession;

  readonly #signInLabel = createElement('slot', { name: 'sign-in' }, 'Sign in');
  readonly #signOutLabel = createElement('slot', { name: 'sign-out' }, 'Sign out');
  readonly #button = createElement('button', { part: 'button', type: 'button' });
  readonly #errorText = createElement('p', { part: 'error', role: 'alert' });

  constructor() {
    super();
    this.#button.addEventListener('click', () => {
      if (this.status === 'pending') return;
      if (this.status === 'signed-in') this.signOut();
      else void this.signIn();
    });
    for (const intent of ['pointerenter', 'focus']) this.#button.addEventListener(intent, prepareSignIn);
  }

  /** The current token, or `null`. Checked for expiry on every read. */
  get token(): TokenDetail | null {
    return this.#session?.token ?? null;
  }

  get signedIn(): boolean {
    return this.token !== null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#session ??= new LoginSession(this.effects, this, {
      token: (token) => this.#onToken(token),
      signout: (reason) => this.#onSignOut(reason),
      error: (error) => this.#onError(error),
      pending: () => this.#syncStatus(),
    });
    this.#session.captureCallback();
    preloadFor(this);
    // Listeners the page adds right after the element (in a later script, or after
    // `await fixture()`) must still hear the outcome of the callback.
    this.effects.afterPageScripts(() => {
      if (this.isConnected) void this.#session?.start().then(() => this.#syncStatus());
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#session?.pause();
  }

  /**
   * Starts a sign-in: the page (or, with `mode="popup"`, a popup window) goes to the
   * provider and comes back to `redirectUri`. Call it inside a click handler for popups.
   * `options`: `loginHint`, `prompt`, extra authorization `params` (never the protocol's
   * own: `invalid_config`), and, for a redirect sign-in, the same-origin `returnTo` URL
   * that `token`'s `detail.returnTo` will carry (default: this page).
   */
  signIn(options: SignInOptions = {}): Promise<void> {
    this.lastError = null;
    if (!this.#session) return Promise.resolve();
    return this.mode === 'popup' ? this.#session.signInWithPopup(options) : this.#session.signIn(options);
  }

  /**
   * Forgets the token here, in storage and in the page's other tabs, fires `signout` with
   * reason `'user'`, and revokes the token at `revocation-url` without waiting. With
   * `{ endSession: true }` and a discovered `end_session_endpoint`, also signs out at the provider.
   */
  signOut(options: SignOutOptions = {}): void {
    this.#session?.signOut('user', options);
  }

  /**
   * `fetch` for the page's own API calls, with this login's token: `Authorization: Bearer`,
   * or `DPoP` with a fresh proof. Only to https (or http to localhost), never after a
   * redirect, never with an expired token; renews once and retries on a 401 when it can.
   * Rejects with an `OAuthError` (`invalid_config`, `invalid_token`, `insufficient_scope`,
   * `insufficient_user_authentication`, `network_error`, `timeout`…); other answers resolve as usual.
   */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    if (!this.#session) return Promise.reject(new OAuthError('invalid_token', 'The login is not in the document yet, so it has no token'));
    return this.#session.fetch(input, init);
  }

  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    const root = super.createRenderRoot();
    root.append(this.#button, this.#errorText);
    return root;
  }

  protected override update(changed: PropertyValues<this>): void {
    super.update(changed);
    this.#button.replaceChildren(this.status === 'signed-in' ? this.#signOutLabel : this.#signInLabel);
    // Assistive technology hears that the click was taken and the sign-in is on its way.
    if (this.status === 'pending') this.#button.setAttribute('aria-busy', 'true');
    else this.#button.removeAttribute('aria-busy');
    // Text only: a provider's error_description is never parsed as HTML.
    this.#errorText.textContent = this.lastError ? (this.lastError.description ?? this.lastError.error) : '';
  }

  #syncStatus(): void {
    this.status = this.#session?.pending ? 'pending' : this.signedIn ? 'signed-in' : 'signed-out';
  }

  #onToken(token: TokenDetail): void {
    this.lastError = null;
    // Announce before anything reads the token again: reading re-checks expiry, and a
    // token that arrived already expired must still be announced before its `signout`.
    dispatch(this, 'token', token);
    this.#syncStatus();
  }

  #onSignOut(reason: SignOutReason): void {
    this.#syncStatus();
    dispatch(this, 'signout', { reason });
  }

  #onError(error: OAuthErrorDetail): void {
    this.lastError = error;
    dispatch(this, 'oauth-error', error);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'oauth-login': OAuthLoginElement;
  }
}
