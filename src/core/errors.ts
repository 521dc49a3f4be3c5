/** Codes this library raises itself; providers' RFC 6749 codes pass through unchanged. */
export type LocalErrorCode =
  | 'invalid_state'
  | 'invalid_response'
  | 'invalid_config'
  | 'popup_blocked'
  | 'popup_closed'
  | 'network_error'
  | 'http_error'
  | 'invalid_token'
  | 'timeout'
  | 'storage_error'
  | 'insufficient_scope'
  | 'insufficient_user_authentication';

/** The `detail` of an `oauth-error` event. */
export interface OAuthErrorDetail {
  /** The provider's RFC 6749 error code (`access_denied`, …) or a {@link LocalErrorCode}. */
  error: LocalErrorCode | (string & {});
  /** Human-readable text. From a provider or server it is untrusted: show it only as text. */
  description?: string;
  /** A page about the error, as the provider gave it. */
  uri?: string;
  /** The HTTP status, for `http_error`, `invalid_token` and a provider's error from its token endpoint. */
  status?: number;
  /** For `insufficient_scope`: the scope the resource server says it needs. */
  scope?: string;
  /** For `insufficient_user_authentication` (RFC 9470): what the resource server wants of the sign-in, for `signIn({ params })`. */
  acrValues?: string;
  maxAge?: number;
}

/** Carries an {@link OAuthErrorDetail} through `throw`, so core can fail from anywhere. */
export class OAuthError extends Error {
  readonly detail: OAuthErrorDetail;
  /** How long the server asked to wait before trying again (`Retry-After`); not part of the event. */
  retryAfterMs?: number;

  constructor(error: OAuthErrorDetail['error'], description?: string, extra: Omit<OAuthErrorDetail, 'error' | 'description'> = {}) {
    super(description ? `${error}: ${description}` : error);
    this.name = 'OAuthError';
    this.detail = { error, ...(description === undefined ? {} : { description }), ...extra };
  }
}

/** Anything thrown inside core, as the detail an `oauth-error` event carries. */
export function toErrorDetail(thrown: unknown): OAuthErrorDetail {
  if (thrown instanceof OAuthError) return thrown.detail;
  return { error: 'invalid_response', description: thrown instanceof Error ? thrown.message : String(thrown) };
}
