import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import type { TokenDetail } from '../core/token.js';
import type { TokenEvent } from '../events.js';

/** The element a follower works for: `for` names the login to follow, or is empty for any login. */
export type FollowerHost = ReactiveControllerHost & Element & { readonly for: string | null };

/** What a follower reports: the login's current token (or `null`), and its sign-outs. */
export interface FollowerCallbacks {
  token(token: TokenDetail | null): void;
  signout(): void;
}

/**
 * Follows an `<oauth-login>`: the one whose id the host's `for` names, looked up in the host's
 * root, or, without `for`, any login whose events reach `document`.
 */
export class LoginFollower implements ReactiveController {
  readonly #host: FollowerHost;
  readonly #callbacks: FollowerCallbacks;
  #listeningOn?: EventTarget;

  constructor(host: FollowerHost, callbacks: FollowerCallbacks) {
    this.#host = host;
    this.#callbacks = callbacks;
    host.addController(this);
  }

  hostConnected(): void {
    this.follow();
  }

  hostDisconnected(): void {
    this.#unfollow();
  }

  /** Listens where the login's events arrive, and picks up a login that is already signed in. */
  follow(): void {
    this.#unfollow();
    const id = this.#host.for;
    const root = id ? (this.#host.getRootNode() as Document | ShadowRoot) : document;
    root.addEventListener('token', this.#onToken);
    root.addEventListener('signout', this.#onSignOut);
    this.#listeningOn = root;
    const login = id ? root.getElementById(id) : document.querySelector('oauth-login[status="signed-in"]');
    this.#callbacks.token((login as { token?: TokenDetail | null } | null)?.token ?? null);
  }

  #unfollow(): void {
    this.#listeningOn?.removeEventListener('token', this.#onToken);
    this.#listeningOn?.removeEventListener('signout', this.#onSignOut);
    this.#listeningOn = undefined;
  }

  /** With `for`, only events from that login count; it may have appeared after the host. */
  #isFollowed(event: Event): boolean {
    const id = this.#host.for;
    if (!id) return true;
    const source = event.composedPath()[0];
    return source instanceof Element && source.id === id;
  }

  readonly #onToken = (event: Event): void => {
    if (this.#isFollowed(event)) this.#callbacks.token((event as TokenEvent).detail);
  };

  readonly #onSignOut = (event: Event): void => {
    if (this.#isFollowed(event)) this.#callbacks.signout();
  };
}
