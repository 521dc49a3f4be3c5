import { OAuthError } from './errors.js';

/** The `detail` of a `token` event, and what `<oauth-login>.token` returns. */
export interface TokenDetail {
  accessToken: string;
  /** `DPoP` when the token is bound to this page's key (RFC 9449); `Bearer` otherwise, also where a DPoP sign-in got a bearer token. */
  tokenType: 'Bearer' | 'DPoP';
  /** Epoch milliseconds, counted from when this page received the token; `null` when the provider gave no lifetime. */
  expiresAt: number | null;
  /** The granted scope (RFC 6749 §5.1: the requested scope when the provider does not say). */
  scope: string;
  idToken?: string;
  /** On the `token` event of a redirect sign-in only: this origin's path, query and fragment the sign-in started from. */
  returnTo?: string;
}

/** RFC 6750 §2.1 `b64token`: the only characters a bearer token may have, so it is safe in a header. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const DIGITS = /^\d+$/;

/**
 * Turns token response parameters (from a fragment or a token endpoint) into a token,
 * refusing anything RFC 6749 §4.2.2 / §5.1 and RFC 6750 do not allow.
 */
export function tokenFromResponse(
  params: ReadonlyMap<string, string>,
  requestedScope: string,
  receivedAt: number,
  dpopProven = false,
): TokenDetail {
  const accessToken = params.get('access_token');
  if (!accessToken) throw new OAuthError('invalid_response', 'The response has no access_token');
  if (!B64TOKEN.test(accessToken)) throw new OAuthError('invalid_response', 'The access_token is malformed');

  const tokenType = params.get('token_type')?.toLowerCase();
  // A DPoP token is only one this page asked for with a proof; from a fragment it never is.
  if (tokenType !== 'bearer' && !(dpopProven && tokenType === 'dpop')) {
    throw new OAuthError('invalid_response', dpopProven ? 'The token_type is neither DPoP nor Bearer' : 'The token_type is not Bearer');
  }

  const expiresIn = params.get('expires_in');
  if (expiresIn !== undefined && !DIGITS.test(expiresIn)) {
    throw new OAuthError('invalid_response', 'The expires_in is malformed');
  }

  const token: TokenDetail = {
    accessToken,
    tokenType: tokenType === 'dpop' ? 'DPoP' : 'Bearer',
    expiresAt: expiresIn === undefined ? null : receivedAt + Number(expiresIn) * 1000,
    scope: params.get('scope') ?? requestedScope,
  };
  const idToken = params.get('id_token');
  if (idToken) token.idToken = idToken;
  return token;
}

/** RFC 6749 §4.1.2.1: `error` and `error_description` are limited to printable ASCII without `"` and `\`. */
export const ERROR_TEXT = /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/;
const MAX_DESCRIPTION_LENGTH = 500;

/** An error response from the provider, as an error whose text is safe to show (as text). */
export function errorFromResponse(params: ReadonlyMap<string, string>, extra: { status?: number } = {}): OAuthError {
  const error = params.get('error') ?? '';
  if (!ERROR_TEXT.test(error)) return new OAuthError('invalid_response', 'The error code is malformed', extra);
  const description = params.get('error_description')?.slice(0, MAX_DESCRIPTION_LENGTH);
  const uri = params.get('error_uri');
  return new OAuthError(error, description || undefined, uri && /^https?:\/\//i.test(uri) ? { uri, ...extra } : extra);
}
