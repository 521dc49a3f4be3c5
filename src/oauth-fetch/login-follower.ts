import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import type { TokenDetail } from '../core/token.js';
import type { TokenEvent } from '../events.js';

/** The element a follower works for: `for` names the login to follow, or is empty for any login. */
export type FollowerHost = ReactiveControllerHost & Element & { readonly for: string | null };

/** What a follower knows of the login it follows: the element, whose `fetch` sends its token by its rules. */
export type FollowedLogin = Element & {
  readonly token?: TokenDetail | null;
  fetch?(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
};

const LOGIN_EVENTS = ['token', 'signout'];

/**
 * Follows an `<oauth-login>`: the one whose id the host's `for` names, looked up in the host's
 * root, or, without `for`, any login whose events reach `document`. It reports the login's
 * current token (or `null`) to `onToken`, and each of its sign-outs to `onSignOut`.
 */
export class LoginFollower implements ReactiveController {
  readonly #host: FollowerHost;
  readonly #onToken: (token: TokenDetail | null, login: FollowedLogin | null) => void;
  readonly #onSignOut: () => void;
  #listeningOn?: EventTarget;

  constructor(host: FollowerHost, onToken: (token: TokenDetail | null, login: FollowedLogin | null) => void, onSignOut: () => void) {
    this.#host = host;
    this.#onToken = onToken;
    this.#onSignOut = onSignOut;
    host.addController(this);
  }

  /**
   * Listens where the login's events arrive, and picks up a login that is already signed in.
   * The host calls it again when `for` changes.
   */
  hostConnected(): void {
    this.hostDisconnected();
    const id = this.#host.for;
    const root = id ? (this.#host.getRootNode() as Document | ShadowRoot) : document;
    for (const type of LOGIN_EVENTS) root.addEventListener(type, this);
    this.#listeningOn = root;
    const login: FollowedLogin | null = id ? root.getElementById(id) : document.querySelector('oauth-login[status="signed-in"]');
    this.#onToken(login?.token ?? null, login);
  }

  /** The listener of both events. With `for`, only events from that login count; it may have appeared after the host. */
  handleEvent(event: Event): void {
    const id = this.#host.for;
    const source = event.composedPath()[0];
    if (id && !(source instanceof Element && source.id === id)) return;
    if (event.type === 'token') this.#onToken((event as TokenEvent).detail, source as FollowedLogin);
    else this.#onSignOut();
  }

  hostDisconnected(): void {
    for (const type of LOGIN_EVENTS) this.#listeningOn?.removeEventListener(type, this);
  }
}
