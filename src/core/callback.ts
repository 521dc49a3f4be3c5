/**
 * Recognising and decoding an authorization response in the URL fragment (RFC 6749 §4.2.2).
 * Only parsing lives here; what the parameters mean is decided by the grant.
 */

/** Names whose presence makes a fragment an authorization response rather than a route or an anchor. */
const RESPONSE_MARKERS = ['access_token', 'error', 'state', 'code', 'id_token'];

/**
 * A response larger than this is refused without looking further. Real responses (a JWT
 * access token plus an ID token) stay well under it; a huge one is an attack or a bug.
 */
export const MAX_RESPONSE_LENGTH = 32 * 1024;

export interface CallbackParameters {
  /** Every parameter, decoded; for a duplicated name, its first value. */
  params: ReadonlyMap<string, string>;
  /** Why the response is unusable as a whole, before its contents are even looked at. */
  malformed?: string;
}

/** An authorization response and where in the URL it came. */
export interface CapturedResponse extends CallbackParameters {
  source: 'fragment' | 'query';
}

/**
 * Reads `location.hash` (with its one leading `#`) as `application/x-www-form-urlencoded`.
 * Returns `null` when it is not an authorization response, so `#/settings` and `#section-2`
 * stay the page's own. Never throws: malformed percent-encoding decodes to the literal
 * characters, which the token syntax check then refuses.
 */
export function parseCallbackFragment(hash: string): CallbackParameters | null {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!fragment.includes('=')) return null;
  return parseResponseParameters(fragment);
}

/** Parameters of an authorization response that the address bar must lose (RFC 6749 §4.1.2, RFC 9207). */
export const RESPONSE_QUERY_PARAMETERS = ['code', 'state', 'iss', 'error', 'error_description', 'error_uri', 'session_state'];

/**
 * The same for a query string (the authorization code grant's default response mode). A
 * query is a page's own far more often than a fragment, so it counts as a response only
 * with a `state` and a `code` or an `error`.
 */
export function parseCallbackQuery(search: string): CallbackParameters | null {
  const query = search.startsWith('?') ? search.slice(1) : search;
  const names = new Set(new URLSearchParams(query).keys());
  if (!names.has('state') || !(names.has('code') || names.has('error'))) return null;
  return parseResponseParameters(query);
}

function parseResponseParameters(encoded: string): CallbackParameters | null {
  // URLSearchParams implements the WHATWG form-urlencoded parser: `+` is a space and a
  // broken `%` escape is kept as it is instead of throwing as decodeURIComponent would.
  const entries = [...new URLSearchParams(encoded)];
  if (!entries.some(([name]) => RESPONSE_MARKERS.includes(name))) return null;

  const params = new Map<string, string>();
  const duplicated = new Set<string>();
  for (const [name, value] of entries) {
    if (params.has(name)) duplicated.add(name);
    else params.set(name, value);
  }
  if (encoded.length > MAX_RESPONSE_LENGTH) {
    return { params, malformed: `The response is larger than ${MAX_RESPONSE_LENGTH} characters` };
  }
  if (duplicated.size > 0) {
    // RFC 6749 §3.1: parameters must not be included more than once; which copy to believe is unknowable.
    return { params, malformed: `Duplicated response parameter: ${[...duplicated].join(', ')}` };
  }
  return { params };
}
