import type { CapturedResponse } from './callback.js';
import { OAuthError } from './errors.js';
import type { PendingLookup, PendingRequest } from './pending-requests.js';
import { errorFromResponse, tokenFromResponse, type TokenDetail } from './token.js';

/** A response that passed every check: a token (implicit grant) or a code to exchange. */
export type AuthorizationResult = ImplicitResult | { responseType: 'code'; request: CodeRequest; code: string };

/** A token straight from the fragment (implicit grant, and OpenID's `id_token token` with the ID token still to check). */
export interface ImplicitResult {
  responseType: 'token' | 'id_token token';
  request: PendingRequest;
  token: TokenDetail;
}

/** A pending code sign-in, which always knows where to exchange the code and with what verifier. */
export type CodeRequest = PendingRequest & { tokenUrl: string; codeVerifier: string };

/**
 * Checks an authorization response against the sign-in it answers, in this order:
 * malformed → state → expiry → `iss` → the provider's error → what the grant needs.
 * Throws an {@link OAuthError} with the code of the first check that fails. `takePending`
 * looks the request up and consumes it, so a replayed state finds nothing.
 */
export function validateAuthorizationResponse(
  response: CapturedResponse,
  takePending: (state: string) => PendingLookup,
  now: number,
): AuthorizationResult {
  if (response.malformed) throw new OAuthError('invalid_response', response.malformed);
  const params = response.params;
  const state = params.get('state');
  if (!state) throw new OAuthError('invalid_state', 'The response has no state');
  const found = takePending(state);
  if (found.status === 'unknown') {
    throw new OAuthError('invalid_state', 'No sign-in is waiting for this response (forged, replayed or from another tab)');
  }
  if (found.status === 'expired') throw new OAuthError('invalid_state', 'The sign-in took too long; please sign in again');
  const request = found.request;
  checkIssuer(params, request);
  if (params.has('error')) throw errorFromResponse(params);

  if (request.responseType === 'code') {
    const code = params.get('code');
    if (!code) throw new OAuthError('invalid_response', 'The response has no code');
    const { tokenUrl, codeVerifier } = request;
    if (!tokenUrl || !codeVerifier) throw new OAuthError('invalid_response', 'A code came for a sign-in that did not ask for one');
    return { responseType: 'code', request: { ...request, tokenUrl, codeVerifier }, code };
  }
  // A token in the query would have been sent to the server and logged: never accept one there.
  if (response.source !== 'fragment') throw new OAuthError('invalid_response', 'A token must come in the fragment');
  const token = tokenFromResponse(params, request.scope, now);
  if (request.responseType === 'id_token token' && !token.idToken) throw new OAuthError('invalid_response', 'The response has no id_token');
  return { responseType: request.responseType, request, token };
}

/**
 * RFC 9207: a response must name the issuer the request went to, so a page that talks to
 * several providers cannot be tricked into sending one provider's code to another (mix-up).
 */
function checkIssuer(params: ReadonlyMap<string, string>, request: PendingRequest): void {
  const iss = params.get('iss');
  if (iss === undefined) {
    if (request.requireIss) throw new OAuthError('invalid_response', 'The response has no iss (RFC 9207)');
    return;
  }
  if (request.issuer !== undefined && iss !== request.issuer)
    throw new OAuthError('invalid_response', 'The response is from another issuer (RFC 9207)');
}
