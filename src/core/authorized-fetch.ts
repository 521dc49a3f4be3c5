import type { DpopProver } from './dpop.js';
import { demandsDpopNonce } from './dpop-nonce.js';
import type { Effects } from './effects.js';
import { OAuthError } from './errors.js';
import { requireSecureUrl } from './secure-url.js';
import { RESOURCE_TIME_LIMIT_MS, withTimeLimit } from './time-limit.js';
import type { TokenDetail } from './token.js';
import { challengeParams } from './www-authenticate.js';

/** What an authorized fetch draws on: the login's current token, its DPoP key, and renewal. */
export interface Credentials {
  token(): TokenDetail | null;
  /** The key a `DPoP` token is bound to. */
  dpop(): Promise<DpopProver | undefined>;
  /** Gets a new token now, when the login can; resolves whether it did. */
  renew(): Promise<boolean>;
}

/**
 * `fetch` with the login's access token (RFC 6750 §2.1, or RFC 9449 §7 with a fresh proof
 * that carries the token's hash), under the rules the token needs wherever it goes: only
 * to https or loopback http, checked before any request; never after a redirect (the
 * browser would decide whether Authorization follows); never once expired. A server that
 * asks for a DPoP nonce gets one retry with it; a 401 `invalid_token` gets one renewal and
 * one retry when the login can renew. Other answers, errors included, are the caller's.
 */
export async function authorizedFetch(
  effects: Pick<Effects, 'fetch' | 'now' | 'currentUrl' | 'setTimeout' | 'clearTimeout'>,
  credentials: Credentials,
  input: RequestInfo | URL,
  init?: RequestInit,
): Promise<Response> {
  const url = requireSecureUrl(input instanceof Request ? input.url : String(input), 'The URL', effects.currentUrl());
  if (!url) throw new OAuthError('invalid_config', 'The URL is required');
  const request = new Request(input instanceof Request ? input : url, init);
  let renewed = false;
  let nonceRetried = false;
  for (;;) {
    const token = credentials.token();
    if (!token) throw new OAuthError('invalid_token', 'There is no access token to send (signed out or expired)');
    const dpop = token.tokenType === 'DPoP' ? await credentials.dpop() : undefined;
    if (token.tokenType === 'DPoP' && !dpop)
      throw new OAuthError('invalid_token', 'The DPoP key of this token is gone; please sign in again');
    const attempt = request.clone();
    attempt.headers.set('Authorization', `${token.tokenType} ${token.accessToken}`);
    if (dpop) attempt.headers.set('DPoP', await dpop.proof(attempt.method, attempt.url, { accessToken: token.accessToken }));
    const response = await send(effects, attempt);
    if (dpop?.rememberNonce(attempt.url, response) && !nonceRetried && demandsDpopNonce(response)) {
      nonceRetried = true;
      continue;
    }
    const header = response.headers.get('WWW-Authenticate') ?? '';
    const challenge = challengeParams(header, token.tokenType) ?? challengeParams(header, 'Bearer') ?? {};
    // A 401 to a request with a token refuses that token, whether or not CORS lets us read why.
    const refused = response.status === 401 && challenge.error !== 'insufficient_user_authentication';
    if (refused && !renewed && (await credentials.renew())) {
      renewed = true;
      continue;
    }
    throwIfRefused(response, challenge);
    return response;
  }
}

/** One request, redirects refused, within the time limit for its answer's headers. */
async function send(effects: Pick<Effects, 'fetch' | 'setTimeout' | 'clearTimeout'>, request: Request): Promise<Response> {
  const response = await withTimeLimit(
    effects,
    RESOURCE_TIME_LIMIT_MS,
    'The resource',
    (signal) =>
      effects.fetch(request, { redirect: 'manual', referrerPolicy: 'no-referrer', signal }).catch((error: unknown) => {
        if (request.signal.aborted) throw error;
        throw new OAuthError('network_error', 'The resource could not be reached (network or CORS)');
      }),
    request.signal,
  );
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    throw new OAuthError('http_error', 'The resource redirected; an access token never follows a redirect', { status: response.status });
  }
  return response;
}

/** The refusals a page must act on, as errors that say what to do: sign in again, ask for a scope, step up. */
function throwIfRefused(response: Response, challenge: Record<string, string>): void {
  const description = challenge.error_description;
  if (response.status === 401 && challenge.error === 'insufficient_user_authentication') {
    throw new OAuthError('insufficient_user_authentication', description ?? 'The resource wants a stronger sign-in', {
      status: 401,
      ...(challenge.acr_values ? { acrValues: challenge.acr_values } : {}),
      ...(challenge.max_age ? { maxAge: Number(challenge.max_age) } : {}),
    });
  }
  if (response.status === 401) {
    throw new OAuthError('invalid_token', description ?? challenge.error ?? 'The resource server refused the access token', {
      status: 401,
    });
  }
  if (response.status === 403 && challenge.error === 'insufficient_scope') {
    throw new OAuthError('insufficient_scope', description ?? 'The access token lacks a scope the resource needs', {
      status: 403,
      ...(challenge.scope ? { scope: challenge.scope } : {}),
    });
  }
}
