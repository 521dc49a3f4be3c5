import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';
import { resolveResourceUrl } from './secure-url.js';
import { RESOURCE_TIME_LIMIT_MS, withTimeLimit } from './time-limit.js';

// The chunk that sends tokens to resource servers (on-demand.ts) also carries authorized-fetch.ts.
export { authorizedFetch } from './authorized-fetch.js';

/** What a successful resource request yields: the `detail` of a `response` event. */
export interface ResourceResponse {
  data: unknown;
  status: number;
  url: string;
}

/** How a resource request goes out with its token: a login's `fetch`, or {@link bearerFetch}. */
export type AuthorizedFetch = (url: string, init: RequestInit) => Promise<Response>;

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
        // Decoding chunk by chunk as the body arrives is slower too: joining the pieces into the
        // one string JSON.parse needs costs more than the overlap with the download saves.
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
