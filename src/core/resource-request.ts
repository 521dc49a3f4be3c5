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

/**
 * GETs a JSON resource with `Authorization: Bearer` (RFC 6750 §2.1) and turns every
 * failure into an {@link OAuthError}. An aborted request rejects with the AbortError.
 */
export async function requestResource(
  effects: Pick<Effects, 'fetch' | 'now' | 'currentUrl' | 'setTimeout' | 'clearTimeout'>,
  src: string,
  bearer: Bearer,
  signal: AbortSignal,
  timeLimitMs = RESOURCE_TIME_LIMIT_MS,
): Promise<ResourceResponse> {
  const url = resolveResourceUrl(src, effects.currentUrl());
  if (bearer.expiresAt != null && effects.now() >= bearer.expiresAt) {
    throw new OAuthError('invalid_token', 'The access token expired; it was not sent');
  }
  return withTimeLimit(effects, timeLimitMs, 'The resource', (timed) => fetchJson(effects, url, bearer, timed, signal), signal);
}

async function fetchJson(
  effects: Pick<Effects, 'fetch'>,
  url: URL,
  bearer: Bearer,
  timed: AbortSignal,
  outer: AbortSignal,
): Promise<ResourceResponse> {
  let response: Response;
  try {
    // No `cache` mode: `no-store` would also bypass the CORS preflight cache, one OPTIONS per
    // request. The server's Cache-Control governs, and responses to Authorization are private.
    response = await effects.fetch(url.href, {
      headers: { Authorization: `Bearer ${bearer.accessToken}`, Accept: 'application/json' },
      // Browsers differ on whether Authorization survives a cross-origin redirect, so
      // redirects are not followed at all: the bearer reaches exactly the URL in src.
      redirect: 'manual',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      signal: timed,
    });
  } catch (error) {
    if (outer.aborted) throw error;
    throw new OAuthError('network_error', 'The resource could not be reached (network or CORS)');
  }

  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    throw new OAuthError('http_error', 'The resource redirected; a bearer token never follows a redirect', { status: response.status });
  }
  if (response.status === 401) throw invalidTokenError(response);
  if (!response.ok) throw new OAuthError('http_error', `The resource answered HTTP ${response.status}`, { status: response.status });

  const contentType = response.headers.get('Content-Type') ?? '';
  if (!isJsonMediaType(contentType)) {
    throw new OAuthError('invalid_response', `The resource answered ${contentType.split(';')[0] || 'without a Content-Type'}, not JSON`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (outer.aborted) throw error;
    throw new OAuthError('network_error', "The resource's answer was cut off");
  }
  try {
    return { data: JSON.parse(text), status: response.status, url: url.href };
  } catch {
    throw new OAuthError('invalid_response', 'The resource answered with invalid JSON');
  }
}

/** `application/json` or any `…+json` type (RFC 6839), parameters ignored. */
function isJsonMediaType(contentType: string): boolean {
  const essence = contentType.split(';')[0].trim().toLowerCase();
  return essence === 'application/json' || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(essence);
}

/** A 401 with the RFC 6750 §3 challenge's error and description, when CORS lets us read them. */
function invalidTokenError(response: Response): OAuthError {
  const challenge = parseBearerChallenge(response.headers.get('WWW-Authenticate') ?? '');
  const description = challenge.error_description ?? challenge.error ?? 'The resource server refused the access token';
  return new OAuthError('invalid_token', description, { status: 401 });
}

/** The auth-params of a `Bearer` challenge (RFC 6750 §3): `realm`, `error`, `error_description`, `scope`. */
function parseBearerChallenge(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  const bearer = /(?:^|,)\s*Bearer\b(.*)$/i.exec(header);
  if (!bearer) return params;
  const pattern = /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))/g;
  for (let match = pattern.exec(bearer[1]); match; match = pattern.exec(bearer[1])) {
    params[match[1].toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
  }
  return params;
}
