import type { DpopProver } from './dpop.js';
import { demandsDpopNonce } from './dpop-nonce.js';
import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';
import { MAX_PROVIDER_RESPONSE_BYTES, readBoundedText } from './response-body.js';
import { withTimeLimit } from './time-limit.js';
import { errorFromResponse, tokenFromResponse, type TokenDetail } from './token.js';

/** A token from the token endpoint, with the refresh token that may come beside it. */
export interface GrantedTokens {
  token: TokenDetail;
  refreshToken?: string;
  /** The RFC 7638 thumbprint of the DPoP key a `DPoP` token (and its refresh token) is bound to. */
  boundTo?: string;
}

/**
 * A form POST to the provider's back channel (token and revocation endpoints): no cookies,
 * no cache, no referrer, and no redirect, which would resend the form elsewhere.
 */
export async function postForm(
  effects: Pick<Effects, 'fetch'>,
  url: string,
  params: Record<string, string>,
  signal?: AbortSignal,
  dpop?: DpopProver,
): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };
  if (dpop) headers.DPoP = await dpop.proof('POST', url);
  return effects.fetch(url, {
    method: 'POST',
    headers,
    body: new URLSearchParams(params).toString(),
    credentials: 'omit',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
    redirect: 'error',
    signal,
  });
}

/**
 * POSTs a form to the token endpoint (RFC 6749 §4.1.3, §6) and reads the JSON answer as
 * string parameters, so the same checks apply as to a fragment. Provider errors keep their
 * RFC 6749 §5.2 code; an answer that is not JSON says the HTTP status.
 */
export async function requestTokens(
  effects: Pick<Effects, 'fetch' | 'now' | 'setTimeout' | 'clearTimeout'>,
  tokenUrl: string,
  params: Record<string, string>,
  requestedScope: string,
  timeLimitMs: number,
  dpop?: DpopProver,
): Promise<GrantedTokens> {
  const post = () =>
    withTimeLimit(effects, timeLimitMs, 'The token endpoint', async (signal) => {
      let response: Response;
      try {
        response = await postForm(effects, tokenUrl, params, signal, dpop);
      } catch {
        throw new OAuthError('network_error', 'The token endpoint could not be reached');
      }
      const text = await readBoundedText(response, MAX_PROVIDER_RESPONSE_BYTES, 'The token endpoint');
      return { response, body: parseJson(text), newNonce: dpop?.rememberNonce(tokenUrl, response) };
    });
  const first = await post();
  // RFC 9449 §8: a server that wants a nonce in the proof says so; one retry carries it, a second refusal is final.
  const { response, body } = first.newNonce && demandsDpopNonce(first.response, first.body) ? await post() : first;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    if (!response.ok) throw withRetryHint(new OAuthError('http_error', `The token endpoint answered HTTP ${response.status}`), response);
    throw new OAuthError('invalid_response', 'The token endpoint did not answer JSON', { status: response.status });
  }
  const result = new Map<string, string>();
  for (const [name, value] of Object.entries(body)) {
    // expires_in is a JSON number here; as a string it meets the same digits-only check as in a fragment.
    if (typeof value === 'string' || typeof value === 'number') result.set(name, String(value));
  }
  if (!response.ok || result.has('error')) {
    const error = result.has('error')
      ? errorFromResponse(result, { status: response.status })
      : new OAuthError('http_error', `The token endpoint answered HTTP ${response.status}`);
    throw withRetryHint(error, response);
  }
  const token = tokenFromResponse(result, requestedScope, effects.now(), dpop !== undefined);
  const refreshToken = result.get('refresh_token');
  // RFC 9449 §5: a public client's refresh token is bound to the same key as its DPoP token.
  const boundTo = dpop && token.tokenType === 'DPoP' ? await dpop.thumbprint() : undefined;
  return { token, ...(refreshToken ? { refreshToken } : {}), ...(boundTo ? { boundTo } : {}) };
}

/** Adds the status, and how long the server asked to wait (RFC 9110 §10.2.3 `Retry-After` in seconds), for renewal. */
function withRetryHint(error: OAuthError, response: Response): OAuthError {
  error.detail.status = response.status;
  const retryAfter = response.headers.get('Retry-After') ?? '';
  if (/^\d+$/.test(retryAfter)) error.retryAfterMs = Number(retryAfter) * 1000;
  return error;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
