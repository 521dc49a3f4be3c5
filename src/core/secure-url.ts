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

/** Parses `value` as an absolute URL, or returns `null`. */
export function parseUrl(value: string | null | undefined, base?: string): URL | null {
  if (!value) return null;
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}
