import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';
import { errorFromResponse, tokenFromResponse, type TokenDetail } from './token.js';

/** A token from the token endpoint, with the refresh token that may come beside it. */
export interface GrantedTokens {
  token: TokenDetail;
  /** Kept in memory only, by the renewal that received it. */
  refreshToken?: string;
}

/**
 * A form POST to the provider's back channel (token and revocation endpoints): no cookies,
 * no cache, no referrer, and no redirect, which would resend the form elsewhere.
 */
export function postForm(effects: Pick<Effects, 'fetch'>, url: string, params: Record<string, string>): Promise<Response> {
  return effects.fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(params).toString(),
    credentials: 'omit',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
    redirect: 'error',
  });
}

/**
 * POSTs a form to the token endpoint (RFC 6749 §4.1.3, §6) and reads the JSON answer as
 * string parameters, so the same checks apply as to a fragment. Provider errors keep their
 * RFC 6749 §5.2 code.
 */
export async function requestTokens(
  effects: Pick<Effects, 'fetch' | 'now'>,
  tokenUrl: string,
  params: Record<string, string>,
  requestedScope: string,
): Promise<GrantedTokens> {
  let response: Response;
  try {
    response = await postForm(effects, tokenUrl, params);
  } catch {
    throw new OAuthError('network_error', 'The token endpoint could not be reached');
  }
  let body: Record<string, unknown>;
  try {
    body = (await response.json()) as Record<string, unknown>;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error();
  } catch {
    throw new OAuthError(response.ok ? 'invalid_response' : 'http_error', 'The token endpoint did not answer JSON', {
      status: response.status,
    });
  }
  const result = new Map<string, string>();
  for (const [name, value] of Object.entries(body)) {
    // expires_in is a JSON number here; as a string it meets the same digits-only check as in a fragment.
    if (typeof value === 'string' || typeof value === 'number') result.set(name, String(value));
  }
  if (!response.ok || result.has('error')) {
    if (!result.has('error'))
      throw new OAuthError('http_error', `The token endpoint answered HTTP ${response.status}`, { status: response.status });
    throw errorFromResponse(result, { status: response.status });
  }
  const token = tokenFromResponse(result, requestedScope, effects.now());
  const refreshToken = result.get('refresh_token');
  return refreshToken ? { token, refreshToken } : { token };
}
