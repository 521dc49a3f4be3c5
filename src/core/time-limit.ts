import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';

/** How long a request to the provider (token, refresh, discovery, revocation) may take, headers and body. */
export const PROVIDER_TIME_LIMIT_MS = 30_000;
/** How long a resource request may take: longer, since a large JSON body may still be on its way. */
export const RESOURCE_TIME_LIMIT_MS = 60_000;

/**
 * Runs one exchange with the network (a fetch and the reading of its body) with a time
 * limit, so that no request waits without end. When the limit passes, the exchange's
 * signal aborts and the promise rejects with `timeout`, whatever the exchange was doing
 * (a server that never answers, or one that stops in the middle of the body). An abort of
 * `outer` (a newer request replacing this one) passes through as it is.
 */
export async function withTimeLimit<T>(
  effects: Pick<Effects, 'setTimeout' | 'clearTimeout'>,
  limitMs: number,
  what: string,
  exchange: (signal: AbortSignal) => Promise<T>,
  outer?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const abortWithOuter = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', abortWithOuter);
  let timer: unknown;
  const timedOut = new Promise<never>((_, reject) => {
    timer = effects.setTimeout(() => {
      reject(new OAuthError('timeout', `${what} did not answer within ${Math.round(limitMs / 100) / 10} s`));
      controller.abort();
    }, limitMs);
  });
  try {
    // The race ends the wait even for an exchange that ignores its signal.
    return await Promise.race([exchange(controller.signal), timedOut]);
  } finally {
    effects.clearTimeout(timer);
    outer?.removeEventListener('abort', abortWithOuter);
  }
}
