import { OAuthError } from './errors.js';

/**
 * The largest answer read from the provider (token endpoint, discovery). Real ones (a JWT
 * access token, an ID token and a refresh token) stay far below; a larger one is an
 * attack or a bug, and a token that size would fail at every API it is sent to.
 */
export const MAX_PROVIDER_RESPONSE_BYTES = 64 * 1024;

/**
 * The body as text, refusing one larger than `maxBytes`. A body cut off in the middle (a
 * reset connection) is a network failure, not a bad answer.
 */
export async function readBoundedText(response: Response, maxBytes: number, what: string): Promise<string> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new OAuthError('network_error', `${what}'s answer was cut off`);
  }
  // Characters, not bytes: each is at least one byte, so no larger answer gets through.
  if (text.length > maxBytes) throw new OAuthError('invalid_response', `${what} answered more than ${maxBytes / 1024} KB`);
  return text;
}
