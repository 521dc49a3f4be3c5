import type { Effects } from './effects.js';

/** setTimeout fires at once for delays above 2^31-1 ms (~24.8 days), so longer waits go in steps. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** Renew this long before expiry, or at half the lifetime for short-lived tokens. */
const RENEWAL_MARGIN_MS = 60_000;

/** When to renew a token that expires at `expiresAt`, seen at `now` (epoch ms): by refresh token or silently alike. */
export function renewalDueAt(expiresAt: number, now: number): number {
  return expiresAt - Math.min(RENEWAL_MARGIN_MS, (expiresAt - now) / 2);
}

/** Calls `callback` once the clock reaches `at` (epoch ms); returns a function that cancels it. */
export function callAt(effects: Pick<Effects, 'now' | 'setTimeout' | 'clearTimeout'>, at: number, callback: () => void): () => void {
  let handle: unknown;
  const wait = () => {
    const remaining = at - effects.now();
    if (remaining <= 0) {
      handle = undefined;
      callback();
      return;
    }
    handle = effects.setTimeout(wait, Math.min(remaining, MAX_TIMER_DELAY_MS));
  };
  handle = effects.setTimeout(wait, Math.max(0, Math.min(at - effects.now(), MAX_TIMER_DELAY_MS)));
  return () => {
    if (handle !== undefined) effects.clearTimeout(handle);
    handle = undefined;
  };
}
