import { ReactiveElement, type PropertyDeclarations, type PropertyValues } from '@lit/reactive-element';
import { browserEffects, type Effects } from '../core/effects.js';
import { toErrorDetail, type OAuthErrorDetail } from '../core/errors.js';
import { resolveJsonPointer } from '../core/json-pointer.js';
import { requestResource, resolveResourceUrl, type Bearer, type ResourceResponse } from '../core/resource-request.js';
import type { TokenDetail } from '../core/token.js';
import { createElement } from '../dom.js';
import { dispatch, type TokenEvent } from '../events.js';
import type { OAuthFetchEventMap } from '../events.js';
import { prepareJsonTree, renderJsonTree } from './json-tree.js';
import { jsonTreeStyles } from './json-tree-styles.js';
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
 * @fires response - The JSON arrived and is shown. `detail`: `{ data, status, url }`.
 * @fires oauth-error - The request was refused or failed. `detail`: `{ error, description?, status? }`.
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
 */
export class OAuthFetchElement extends ReactiveElement {
  static override styles = [oauthFetchStyles, jsonTreeStyles];

  // Declared here rather than with decorators: the same for lit, and no decorator runtime in the bundle.
  static override properties: PropertyDeclarations = {
    src: {},
    for: {},
    pointer: {},
    status: { reflect: true },
    renderData: { attribute: false },
    token: { attribute: false },
    followedToken: { state: true },
    response: { state: true },
    error: { state: true },
  };

  // Typed listeners for this element's events, without claiming their names page-wide.
  declare addEventListener: {
    <K extends keyof OAuthFetchEventMap>(
      type: K,
      listener: (this: OAuthFetchElement, event: OAuthFetchEventMap[K]) => unknown,
      options?: boolean | AddEventListenerOptions,
    ): void;
    <K extends keyof HTMLElementEventMap>(
      type: K,
      listener: (this: OAuthFetchElement, event: HTMLElementEventMap[K]) => unknown,
      options?: boolean | AddEventListenerOptions,
    ): void;
    (type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  };
  declare removeEventListener: {
    <K extends keyof OAuthFetchEventMap>(
      type: K,
      listener: (this: OAuthFetchElement, event: OAuthFetchEventMap[K]) => unknown,
      options?: boolean | EventListenerOptions,
    ): void;
    <K extends keyof HTMLElementEventMap>(
      type: K,
      listener: (this: OAuthFetchElement, event: HTMLElementEventMap[K]) => unknown,
      options?: boolean | EventListenerOptions,
    ): void;
    (type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
  };

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

  /** The effects core uses (fetch, clock…); replace them for tests. */
  effects: Effects = browserEffects();

  private followedToken: TokenDetail | null = null;
  private response: ResourceResponse | null = null;
  private error: OAuthErrorDetail | null = null;

  #inFlight?: AbortController;
  readonly #statusBox = createElement('div', { part: 'status', role: 'status', 'aria-live': 'polite' });
  readonly #statusLabel = createElement('slot');
  readonly #idleSlot = createElement('slot', { name: 'idle' });
  readonly #viewBox = createElement('div', { part: 'view' });
  #listeningOn?: EventTarget;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#follow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unfollow();
    this.#abort();
  }

  /** Fetches `src` again with the current token. */
  reload(): void {
    this.#load();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('for') && this.isConnected) this.#follow();
    if (changed.has('src') || changed.has('token') || changed.has('followedToken')) this.#load();
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
    if (changed.has('response') || changed.has('pointer') || changed.has('renderData')) {
      const view = this.#buildView();
      this.#viewBox.replaceChildren(...(view === null ? [] : [view]));
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('response') && this.response) dispatch(this, 'response', this.response);
  }

  #bearer(): Bearer | null {
    if (this.token) return { accessToken: this.token };
    return this.followedToken;
  }

  /** Starts a request for the current `src` and token, replacing any request in flight. */
  #load(): void {
    this.#abort();
    const bearer = this.#bearer();
    if (!bearer || !this.src) {
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
    // Setup the tree's first paint would otherwise pay after the data arrives, done while it travels.
    if (!this.renderData) prepareJsonTree();
    const controller = new AbortController();
    this.#inFlight = controller;
    this.status = 'loading';
    this.error = null;
    requestResource(this.effects, src, bearer, controller.signal).then(
      (response) => {
        if (this.#inFlight === controller) this.#show('loaded', response, null);
      },
      (error) => {
        if (this.#inFlight === controller) this.#fail(error);
      },
    );
  }

  #fail(thrown: unknown): void {
    const error = toErrorDetail(thrown);
    this.#show('error', null, error);
    dispatch(this, 'oauth-error', error);
  }

  #show(status: FetchStatus, response: ResourceResponse | null, error: OAuthErrorDetail | null): void {
    this.#inFlight = undefined;
    this.status = status;
    this.response = response;
    this.error = error;
  }

  #abort(): void {
    this.#inFlight?.abort();
    this.#inFlight = undefined;
  }

  #buildView(): Node | string | null {
    if (!this.response) return null;
    let data: unknown;
    try {
      data = resolveJsonPointer(this.response.data, this.pointer);
    } catch (error) {
      queueMicrotask(() => this.#fail(error));
      return null;
    }
    return this.renderData ? (this.renderData(data) ?? null) : renderJsonTree(data);
  }

  /** Listens where the login's events arrive, and picks up a login that is already signed in. */
  #follow(): void {
    this.#unfollow();
    const root = this.for ? (this.getRootNode() as Document | ShadowRoot) : document;
    root.addEventListener('token', this.#onToken);
    root.addEventListener('signout', this.#onSignOut);
    this.#listeningOn = root;
    const login = this.for ? root.getElementById(this.for) : document.querySelector('oauth-login[status="signed-in"]');
    const token = (login as { token?: TokenDetail | null } | null)?.token;
    this.followedToken = token ?? null;
  }

  #unfollow(): void {
    this.#listeningOn?.removeEventListener('token', this.#onToken);
    this.#listeningOn?.removeEventListener('signout', this.#onSignOut);
    this.#listeningOn = undefined;
  }

  /** With `for`, only events from that login count; it may have appeared after this element. */
  #isFollowed(event: Event): boolean {
    if (!this.for) return true;
    const source = event.composedPath()[0];
    return source instanceof Element && source.id === this.for;
  }

  readonly #onToken = (event: Event): void => {
    if (this.#isFollowed(event)) this.followedToken = (event as TokenEvent).detail;
  };

  readonly #onSignOut = (event: Event): void => {
    if (!this.#isFollowed(event)) return;
    this.followedToken = null;
    this.#abort();
    this.#show('idle', null, null);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'oauth-fetch': OAuthFetchElement;
  }
}
