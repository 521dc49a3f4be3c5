import type { Effects } from './effects.js';
import { randomString } from './random.js';

const KEY = 'oauth-elements:end-session-state';

/**
 * The `state` of an end-session request (RP-Initiated Logout 1.0), kept in this tab so that
 * the `?state=…` the provider brings back to `post_logout_redirect_uri` can be taken out
 * of the address bar again. It proves nothing and guards nothing: it is only sent because
 * some providers return to the page only with it.
 */
export function endSessionState(effects: Pick<Effects, 'getRandomValues' | 'sessionStorage'>): string {
  const state = randomString(effects);
  try {
    effects.sessionStorage()?.setItem(KEY, state);
  } catch {
    // Then the page keeps the ?state=… it comes back with; the sign-out itself is unharmed.
  }
  return state;
}

/** Removes from `url` the state an end-session request of this tab brought back; true when it did. */
export function removeEndSessionState(effects: Pick<Effects, 'sessionStorage'>, url: URL): boolean {
  const storage = effects.sessionStorage();
  const state = storage?.getItem(KEY);
  if (!state || url.searchParams.get('state') !== state) return false;
  storage!.removeItem(KEY);
  url.searchParams.delete('state');
  return true;
}
