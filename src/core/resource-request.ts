import { authorizedFetch } from './authorized-fetch.js';
import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';
import { requireSecureUrl } from './secure-url.js';
import { RESOURCE_TIME_LIMIT_MS, withTimeLimit } from './time-limit.js';

/** The bearer to send, with its expiry when known (a token set by hand has none). */
export interface Bearer {
  accessToken: string;
  expiresAt?: number | null;
}

/** What a successful resource request yields: the `detail` of a `response` event. */
export interface ResourceResponse {
  data: unknown;
  status: number;
  url: string;
}

/** How a resource request goes out with its token: a login's `fetch`, or {@link bearerFetch}. */
export type AuthorizedFetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Checks, before any request is made, that the bearer may go to `src`: https, or http to
 * this machine (a token sent over plain http can be read on the network). Throws
 * `invalid_config` otherwise.
 */
export function resolveResourceUrl(src: string, baseUrl: string): URL {
  const url = requireSecureUrl(src, 'src', baseUrl);
  if (!url) throw new OAuthError('invalid_config', 'src is required');
  return url;
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
  return (url, init) =>
    authorizedFetch(effects, { token, dpop: () => Promise.resolve(undefined), renew: () => Promise.resolve(false) }, url, init);
}

/**
 * GETs a JSON resource through `send` (which adds the token and keeps its rules) and turns
 * every failure into an {@link OAuthError}. An aborted request rejects with the AbortError.
 */
export async function requestResource(
  effects: Pick<Effects, 'currentUrl' | 'setTimeout' | 'clearTimeout'>,
  src: string,
  send: AuthorizedFetch,
  signal: AbortSignal,
  timeLimitMs = RESOURCE_TIME_LIMIT_MS,
): Promise<ResourceResponse> {
  const url = resolveResourceUrl(src, effects.currentUrl());
  return withTimeLimit(
    effects,
    timeLimitMs,
    'The resource',
    async (timed) => {
      // No `cache` mode: `no-store` would also bypass the CORS preflight cache, one OPTIONS per
      // request. The server's Cache-Control governs, and responses to Authorization are private.
      const response = await send(url.href, { headers: { Accept: 'application/json' }, credentials: 'omit', signal: timed });
      if (!response.ok) throw new OAuthError('http_error', `The resource answered HTTP ${response.status}`, { status: response.status });
      const contentType = response.headers.get('Content-Type') ?? '';
      if (!isJsonMediaType(contentType)) {
        throw new OAuthError(
          'invalid_response',
          `The resource answered ${contentType.split(';')[0] || 'without a Content-Type'}, not JSON`,
        );
      }
      let text: string;
      try {
        // The same UTF-8 decoding as text(), in one go: with text(), Chromium takes about half as
        // long again from the request to a 10 MB body in hand (`npm run bench`, "from request ms").
        text = new TextDecoder().decode(await response.arrayBuffer());
      } catch (error) {
        if (signal.aborted) throw error;
        throw new OAuthError('network_error', "The resource's answer was cut off");
      }
      try {
        return { data: JSON.parse(text) as unknown, status: response.status, url: url.href };
      } catch {
        throw new OAuthError('invalid_response', 'The resource answered with invalid JSON');
      }
    },
    signal,
  );
}

/** `application/json` or any `…+json` type (RFC 6839), parameters ignored. */
function isJsonMediaType(contentType: string): boolean {
  const essence = contentType.split(';')[0].trim().toLowerCase();
  return essence === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(essence);
}
