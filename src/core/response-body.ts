import { OAuthError } from './errors.js';

/**
 * The largest answer read from the provider (token endpoint, discovery). Real ones (a JWT
 * access token, an ID token and a refresh token) stay far below; a larger one is an
 * attack or a bug, and a token that size would fail at every API it is sent to.
 */
export const MAX_PROVIDER_RESPONSE_BYTES = 64 * 1024;

/**
 * The body as text, refusing one larger than `maxBytes` without reading the rest. A body
 * cut off in the middle (a reset connection) is a network failure, not a bad answer.
 */
export async function readBoundedText(response: Response, maxBytes: number, what: string): Promise<string> {
  const tooLarge = () => new OAuthError('invalid_response', `${what} answered more than ${maxBytes / 1024} KB`);
  if (Number(response.headers.get('Content-Length')) > maxBytes) {
    void response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      size += chunk.value.byteLength;
      if (size > maxBytes) {
        void reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(chunk.value);
    }
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    throw new OAuthError('network_error', `${what}'s answer was cut off`);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) bytes.set(chunk, (offset += chunk.byteLength) - chunk.byteLength);
  return new TextDecoder().decode(bytes);
}
