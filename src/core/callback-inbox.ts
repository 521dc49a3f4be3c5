import { removeEndSessionState } from './end-session-return.js';
import { parseCallbackFragment, parseCallbackQuery, RESPONSE_QUERY_PARAMETERS, type CapturedResponse } from './callback.js';
import type { Effects } from './effects.js';
import type { PendingRequestStore } from './pending-requests.js';
import { isPopupState, isSilentState, relayToOpener, relayToParent } from './popup.js';
import { restorableUrl } from './return-to.js';

type CaptureEffects = Pick<Effects, 'currentUrl' | 'replaceUrl' | 'opener' | 'openChannel' | 'closeWindow' | 'parent' | 'sessionStorage'>;

/**
 * Takes authorization responses out of the address bar as soon as any login element
 * starts, and keeps them until the element they belong to claims them. One inbox per
 * page, because the first element to look must remove the fragment before anything else
 * can read, log or bookmark it, yet the response may belong to another element.
 */
export class CallbackInbox {
  readonly #unclaimed: CapturedResponse[] = [];
  /** The starting page's URL put back after a response: its query and fragment are the page's own, never a response. */
  #restored?: string;

  /**
   * Moves an authorization response from the address bar into the inbox: a fragment
   * response (implicit grant) or a query response (code grant). Leaves any other fragment
   * or query alone. Then puts back the URL the sign-in started from, when the provider
   * came back to its path.
   */
  capture(effects: CaptureEffects, pending: Pick<PendingRequestStore, 'lookup'>): void {
    // Split by hand rather than with URL: a hostile, huge fragment can exceed what the URL parser accepts.
    const href = effects.currentUrl();
    if (href === this.#restored) return;
    const hashAt = href.indexOf('#');
    const withoutFragment = hashAt < 0 ? href : href.slice(0, hashAt);
    const fragmentResponse = hashAt < 0 ? null : parseCallbackFragment(href.slice(hashAt));
    if (fragmentResponse) {
      // Without the '#' itself (no bare '#' left); replaceState adds no history entry, so Back cannot bring the token back.
      effects.replaceUrl(withoutFragment);
      this.#receive(effects, pending, { ...fragmentResponse, source: 'fragment' });
      return;
    }
    const url = new URL(withoutFragment);
    const queryResponse = parseCallbackQuery(url.search);
    // Back from the provider's sign-out: only its ?state=… to take away.
    if (!queryResponse && !removeEndSessionState(effects, url)) return;
    if (queryResponse) for (const name of RESPONSE_QUERY_PARAMETERS) url.searchParams.delete(name);
    // The page's own query parameters and fragment stay.
    effects.replaceUrl(url.href.replace(/\?$/, '') + href.slice(withoutFragment.length));
    if (queryResponse) this.#receive(effects, pending, { ...queryResponse, source: 'query' });
  }

  /**
   * A response to a popup sign-in goes back to the window that opened this one, one to a
   * silent renewal to the page that framed this one. A popup's response stays
   * here too when there is no opener: then this may be no popup at all (a forged link),
   * and an element here must report it.
   */
  #receive(effects: CaptureEffects, pending: Pick<PendingRequestStore, 'lookup'>, response: CapturedResponse): void {
    const state = response.params.get('state');
    // A silent renewal's frame: only the parent page checks it. Kept here, it would sign in inside the frame.
    if (isSilentState(state) && effects.parent()) return relayToParent(effects, response);
    if (isPopupState(state)) {
      const hasOpener = effects.opener() !== null;
      relayToOpener(effects, response);
      if (hasOpener) return;
    }
    this.#unclaimed.push(response);
    const found = state && !response.malformed ? pending.lookup(state) : undefined;
    const returnTo = found?.status === 'pending' ? found.request.returnTo : undefined;
    const restore = returnTo && restorableUrl(effects.currentUrl(), returnTo);
    if (!restore) return;
    // Also a replaceState: Back never lands on the response, and the page does not reload.
    effects.replaceUrl(restore);
    this.#restored = restore;
  }

  /**
   * Removes and returns the first response for the element `owner`: one whose pending
   * request it started. One nobody can own (no state, unknown, expired, malformed) goes to
   * whichever element looks first, so that exactly one `oauth-error` reports it.
   */
  claimFor(owner: string, pending: Pick<PendingRequestStore, 'lookup'>): CapturedResponse | undefined {
    return this.claim((response) => {
      const state = response.params.get('state');
      if (response.malformed || !state) return true;
      const found = pending.lookup(state);
      return found.status === 'unknown' || found.request.owner === owner;
    });
  }

  /** Removes and returns the first response `isMine` accepts. */
  claim(isMine: (response: CapturedResponse) => boolean): CapturedResponse | undefined {
    const index = this.#unclaimed.findIndex(isMine);
    return index < 0 ? undefined : this.#unclaimed.splice(index, 1)[0];
  }
}

export const pageCallbackInbox = new CallbackInbox();
