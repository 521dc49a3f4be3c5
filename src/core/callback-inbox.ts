import { parseCallbackFragment, type CallbackParameters } from './callback.js';
import type { Effects } from './effects.js';

/**
 * Takes authorization responses out of the address bar as soon as any login element
 * starts, and keeps them until the element they belong to claims them. One inbox per
 * page, because the first element to look must remove the fragment before anything else
 * can read, log or bookmark it, yet the response may belong to another element.
 */
export class CallbackInbox {
  private readonly unclaimed: CallbackParameters[] = [];

  /** Moves an authorization response from the address bar into the inbox; leaves any other fragment alone. */
  capture(effects: Pick<Effects, 'currentUrl' | 'replaceUrl'>): void {
    // Split by hand rather than with URL: a hostile, huge fragment can exceed what the URL parser accepts.
    const href = effects.currentUrl();
    const hashAt = href.indexOf('#');
    if (hashAt < 0) return;
    const response = parseCallbackFragment(href.slice(hashAt));
    if (!response) return;
    // Without the '#' itself (no bare '#' left), and replaceState adds no history entry, so Back cannot bring the token back.
    effects.replaceUrl(href.slice(0, hashAt));
    this.unclaimed.push(response);
  }

  /** Removes and returns the first response `isMine` accepts. */
  claim(isMine: (response: CallbackParameters) => boolean): CallbackParameters | undefined {
    const index = this.unclaimed.findIndex(isMine);
    return index < 0 ? undefined : this.unclaimed.splice(index, 1)[0];
  }
}

export const pageCallbackInbox = new CallbackInbox();
