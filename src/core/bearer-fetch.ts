import type { Effects } from './effects.js';
import { loadResourceRequest } from './on-demand.js';
import type { AuthorizedFetch } from './resource-request.js';

/** The bearer to send, with its expiry when known (a token set by hand has none). */
export interface Bearer {
  accessToken: string;
  expiresAt?: number | null;
}

/** An authorized fetch with a bearer token set by hand: no DPoP, no renewal, never after its expiry. */
export function bearerFetch(
  effects: Pick<Effects, 'fetch' | 'now' | 'currentUrl' | 'setTimeout' | 'clearTimeout'>,
  bearer: Bearer,
): AuthorizedFetch {
  const expiresAt = bearer.expiresAt ?? null;
  const token = () =>
    expiresAt !== null && effects.now() >= expiresAt
      ? null
      : { accessToken: bearer.accessToken, tokenType: 'Bearer' as const, expiresAt, scope: '' };
  const credentials = { token, dpop: () => Promise.resolve(undefined), renew: () => Promise.resolve(false) };
  return async (url, init) => (await loadResourceRequest()).authorizedFetch(effects, credentials, url, init);
}
