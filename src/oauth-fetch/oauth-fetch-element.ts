import { ReactiveElement, type PropertyDeclarations, type PropertyValues } from '@lit/reactive-element';
import { browserEffects, type Effects } from '../core/effects.js';
import { toErrorDetail, type OAuthErrorDetail } from '../core/errors.js';
import { resolveJsonPointer } from '../core/json-pointer.js';
import { bearerFetch } from '../core/bearer-fetch.js';
import type { ResourceResponse } from '../core/resource-request.js';
import { resolveResourceUrl } from '../core/secure-url.js';
import type { TokenDetail } from '../core/token.js';
import { createElement } from '../dom.js';
import { dispatch, type OAuthFetchEventMap, type TypedEventListeners } from '../events.js';
import { jsonTreeIn, loadResource } from './on-demand.js';
import { LoginFollower } from './login-follower.js';
import { oauthFetchStyles } from './oauth-fetch-styles.js';

/** What the element is doing, reflected as its `status` attribute. */
export type FetchStatus = 'idle' | 'loading' | 'loaded' | 'error';

/**
 * Your own rendering of the response data: a DOM node, or a string (shown as text). With
 * lit, render a template into a container and return the container.
 */
export type RenderData = (data: unknown) => Node | string | null | undefined;

/**
 * Loads JSON from `src` with the bearer token of an `<oauth-login>` (or one set by hand)
 * and shows it as a collapsible tree, every value as text. Fetches again when the token
 * or `src` changes, aborts a request that a newer one replaces, and clears what it shows
 * on sign-out.
 *
 * @tagname oauth-fetch
 * @summary Authorized JSON loading and a collapsible, text-only JSON view.
 *
 * @fires {CustomEvent<ResponseDetail>} response - The JSON arrived, or `pointer` changed over the JSON already loaded, and the part it names is shown. `detail`: `{ data, status, url }`.
 * @fires {CustomEvent<OAuthErrorDetail>} oauth-error - The request was refused or failed, or `pointer` names nothing in the JSON. `detail`: `{ error, description?, status? }`.
 *
 * @slot idle - Shown when there is no token or no `src` yet. Default: nothing.
 * @slot loading - Shown while loading. Default: "Loading…".
 * @slot error - Shown on failure. Default: the error's description, as text.
 *
 * @csspart status - The line that says loading or what failed (a polite live region).
 * @csspart view - The container of the rendered data.
 *
 * @cssprop --oauth-fetch-status-color - The status line's colour.
 * @cssprop --oauth-fetch-error-color - The status line's colour on error.
 * @cssprop [--oauth-fetch-font-family=ui-monospace, …, monospace] - Font of the tree and of the element's status line.
 * @cssprop [--oauth-fetch-font-size=0.875rem] - Font size of the tree.
 * @cssprop [--oauth-fetch-indent=1.25em] - Indentation of each nested level.
 * @cssprop [--oauth-fetch-key-color=#881391] - Object keys.
 * @cssprop [--oauth-fetch-index-color=#59636e] - Array indices.
 * @cssprop [--oauth-fetch-string-color=#0b7a0b] - String values.
 * @cssprop [--oauth-fetch-number-color=#1750eb] - Number values.
 * @cssprop [--oauth-fetch-boolean-color=#b45309] - `true` and `false`.
 * @cssprop [--oauth-fetch-null-color=#59636e] - `null`.
 * @cssprop [--oauth-fetch-meta-color=#59636e] - The type and size in a summary, empty `{}` and `[]`.
 * @cssprop [--oauth-fetch-focus-color=#1750eb] - Focus ring of summaries and buttons.
 */
export class OAuthFetchElement extends ReactiveElement {
  static override styles = [oauthFetchStyles];

  // Declared here rather than with decorators: the same for lit, and no decorator runtime in the bundle.
  static override properties: PropertyDeclarations = {
    src: {},
    for: {},
    pointer: {},
    status: { reflect: true },
    renderData: { attribute: false },
    token: { attribute: false },
    timeout: { type: Number },
    followedToken: { state: true },
    response: { state: true },
    error: { state: true },
  };

  // Typed listeners for this element's events, without claiming their names page-wide.
  declare addEventListener: TypedEventListeners<OAuthFetchElement, OAuthFetchEventMap>['addEventListener'];
  declare removeEventListener: TypedEventListeners<OAuthFetchElement, OAuthFetchEventMap>['removeEventListener'];

  /** The resource URL (GET): https, or http to localhost. Redirects are not followed. */
  src: string | null = null;
  /**
   * The id of the `<oauth-login>` whose tokens to use, looked up in this element's root.
   * Without it, the element follows every `token` / `signout` event that reaches `document`.
   */
  for: string | null = null;
  /** RFC 6901 JSON Pointer to the part of the response to show (`/items`). Default: all of it. */
  pointer = '';
  /** `idle`, `loading`, `loaded` or `error`, reflected for CSS. Set by the element; not an input. */
  status: FetchStatus = 'idle';
  /** Replaces the JSON tree with your own rendering of the (pointed-to) data. */
  renderData: RenderData | null = null;

  /**
   * An access token set by hand, used instead of a login's; `null` (or `''`) clears it. Never
   * reflected. As a reactive property, a value a framework sets before the tag is defined is kept.
   */
  token: string | null = null;

  /** Milliseconds a load may take, headers and body; unset or 0: 60 s. Past it, `oauth-error` `timeout`. */
  timeout: number | null = null;

  /** The effects core uses (fetch, clock…); replace them for tests. */
  effects: Effects = browserEffects();

  private followedToken: TokenDetail | null = null;
  private response: ResourceResponse | null = null;
  private error: OAuthErrorDetail | null = null;

  #inFlight?: AbortController;
  #loadingThroughLogin = false;
  readonly #statusBox = createElement('div', { part: 'status', role: 'status' });
  readonly #statusLabel = createElement('slot');
  readonly #idleSlot = createElement('slot', { name: 'idle' });
  readonly #viewBox = createElement('div', { part: 'view' });
  readonly #follower = new LoginFollower(
    this,
    (token) => (this.followedToken = token),
    () => {
      this.followedToken = null;
      this.#abort();
      this.#show('idle', null, null);
    },
  );

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort();
  }

  /** Fetches `src` again with the current token. */
  reload(): void {
    this.#load();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('for') && this.isConnected) this.#follower.hostConnected();
    // A token renewed while a load is under way through its login's fetch is that load's own
    // renewal (a 401 it will retry once): starting over would renew again, and again.
    const renewedForThisLoad = this.#loadingThroughLogin && !changed.has('src') && !changed.has('token');
    if (changed.has('src') || changed.has('token') || (changed.has('followedToken') && !renewedForThisLoad)) this.#load();
    // The outcome is decided here, before anything renders: `loaded`, or `error` when the
    // pointer names nothing, for data that arrived or a new pointer over data already loaded
    // (not while a newer request is on its way).
    if (this.response && !this.#inFlight && (changed.has('response') || changed.has('pointer'))) {
      this.error = null;
      try {
        resolveJsonPointer(this.response.data, this.pointer);
      } catch (error) {
        this.error = toErrorDetail(error);
      }
      this.status = this.error ? 'error' : 'loaded';
    }
  }

  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    const root = super.createRenderRoot();
    root.append(this.#statusBox, this.#viewBox);
    return root;
  }

  protected override update(changed: PropertyValues): void {
    super.update(changed);
    if (this.status === 'idle') {
      this.#statusBox.replaceChildren();
      this.#statusBox.after(this.#idleSlot);
    } else {
      this.#idleSlot.remove();
      const message =
        this.status === 'error' ? (this.error?.description ?? this.error?.error ?? '') : this.status === 'loading' ? 'Loading…' : '';
      this.#statusLabel.name = this.status;
      // Only a real change of text, so the live region announces each state once.
      if (this.#statusLabel.textContent !== message) this.#statusLabel.textContent = message;
      if (!this.#statusLabel.isConnected) this.#statusBox.append(this.#statusLabel);
    }
    this.#viewBox.setAttribute('aria-busy', String(this.status === 'loading'));
    // While a newer request is on its way, the view keeps what it shows, unless that is gone.
    if (changed.has('response') || (this.status !== 'loading' && (changed.has('pointer') || changed.has('renderData')))) {
      const view = this.#buildView();
      this.#viewBox.replaceChildren(...(view === null ? [] : [view]));
    }
  }

  /** Each outcome, once rendered, is announced by exactly one event. */
  protected override updated(changed: PropertyValues): void {
    if (changed.has('error') && this.error) dispatch(this, 'oauth-error', this.error);
    else if (this.status === 'loaded' && (changed.has('response') || changed.has('pointer'))) dispatch(this, 'response', this.response!);
  }

  /** Starts a request for the current `src` and token, replacing any request in flight. */
  #load(): void {
    this.#abort();
    const send = this.token
      ? bearerFetch(this.effects, { accessToken: this.token })
      : this.followedToken && this.#follower.authorizedFetch(this.effects);
    if (!send || !this.src) {
      this.#show('idle', null, null);
      return;
    }
    const src = this.src;
    try {
      resolveResourceUrl(src, this.effects.currentUrl());
    } catch (error) {
      this.#fail(error);
      return;
    }
    const controller = new AbortController();
    this.#inFlight = controller;
    this.#loadingThroughLogin = !this.token && this.#follower.sendsThroughLogin();
    this.status = 'loading';
    this.error = null;
    loadResource(this.effects, src, send, controller.signal, Number(this.timeout) || undefined, !this.renderData).then(
      (response) => {
        if (this.#inFlight === controller) this.#show('loaded', response, null);
      },
      (error) => {
        if (this.#inFlight === controller) this.#fail(error);
      },
    );
  }

  #fail(thrown: unknown): void {
    this.#show('error', null, toErrorDetail(thrown));
  }

  #show(status: FetchStatus, response: ResourceResponse | null, error: OAuthErrorDetail | null): void {
    this.#inFlight = undefined;
    this.#loadingThroughLogin = false;
    this.status = status;
    this.response = response;
    this.error = error;
  }

  #abort(): void {
    this.#inFlight?.abort();
    this.#inFlight = undefined;
    this.#loadingThroughLogin = false;
  }

  #buildView(): Node | string | null {
    if (this.status !== 'loaded') return null;
    const data = resolveJsonPointer(this.response!.data, this.pointer);
    if (this.renderData) return this.renderData(data) ?? null;
    return jsonTreeIn(this.renderRoot as ShadowRoot, data, (error) => (error ? this.#fail(error) : this.requestUpdate('renderData')));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'oauth-fetch': OAuthFetchElement;
  }
}
