import { OAuthError } from './errors.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a secret (a bearer token, an authorization response) may travel to this URL:
 * https anywhere, plain http only to this machine (RFC 8252 §8.3 loopback, handy for
 * development). Anything else could be read on the network.
 */
export function isSecureOrLoopback(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * The URL a setting gives, when it gives one; `invalid_config` naming the setting when it
 * is not a URL or not one a secret may travel to.
 */
export function requireSecureUrl(value: string | null | undefined, setting: string, base?: string): URL | undefined {
  if (!value) return undefined;
  const url = parseUrl(value, base);
  if (!url || !isSecureOrLoopback(url))
    throw new OAuthError('invalid_config', `${setting} must be https (or http to localhost): no token travels in clear`);
  return url;
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

/** Parses `value` as an absolute URL, or returns `null`. */
function parseUrl(value: string | null | undefined, base?: string): URL | null {
  if (!value) return null;
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}
