import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import { bearerFetch } from '../core/bearer-fetch.js';
import type { AuthorizedFetch } from '../core/resource-request.js';
import type { TokenDetail } from '../core/token.js';
import type { TokenEvent } from '../events.js';

/** The element a follower works for: `for` names the login to follow, or is empty for any login. */
export type FollowerHost = ReactiveControllerHost & Element & { readonly for: string | null };

/** The login followed, as far as a follower needs it: its token, and its `fetch`, which sends it by its rules. */
type FollowedLogin = Element & {
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
  readonly #onToken: (token: TokenDetail | null) => void;
  readonly #onSignOut: () => void;
  #listeningOn?: EventTarget;
  #login: FollowedLogin | null = null;
  #token: TokenDetail | null = null;

  constructor(host: FollowerHost, onToken: (token: TokenDetail | null) => void, onSignOut: () => void) {
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
    this.#follow(login, login?.token ?? null);
  }

  /** The listener of both events. With `for`, only events from that login count; it may have appeared after the host. */
  handleEvent(event: Event): void {
    const id = this.#host.for;
    const source = event.composedPath()[0];
    if (id && !(source instanceof Element && source.id === id)) return;
    if (event.type === 'token') this.#follow(source as FollowedLogin, (event as TokenEvent).detail);
    else {
      this.#token = null;
      this.#onSignOut();
    }
  }

  /**
   * How a load sends the followed token: through the login's own `fetch`, which adds DPoP
   * proofs and renews once on a 401, as long as the token followed is the login's own; else
   * as a plain bearer. `null` without a token.
   */
  authorizedFetch(effects: Parameters<typeof bearerFetch>[0]): AuthorizedFetch | null {
    const login = this.#login;
    if (!this.#token) return null;
    if (this.sendsThroughLogin()) return (url, init) => login!.fetch!(url, init);
    return bearerFetch(effects, this.#token);
  }

  /** Whether the followed token is the login's own, which its `fetch` then sends. */
  sendsThroughLogin(): boolean {
    const login = this.#login;
    return !!login?.fetch && !!this.#token && login.token?.accessToken === this.#token.accessToken;
  }

  #follow(login: FollowedLogin | null, token: TokenDetail | null): void {
    this.#login = login;
    this.#token = token;
    this.#onToken(token);
  }

  hostDisconnected(): void {
    for (const type of LOGIN_EVENTS) this.#listeningOn?.removeEventListener(type, this);
  }
}
