import { OAuthError } from './errors.js';

/**
 * Picks the part of a response to show, by RFC 6901 JSON Pointer (`/items/0/name`).
 * Throws `invalid_response` when the response has nothing there.
 */
export function resolveJsonPointer(data: unknown, pointer: string): unknown {
  if (pointer === '') return data;
  if (!pointer.startsWith('/')) throw new OAuthError('invalid_config', 'pointer must be empty or start with "/" (RFC 6901)');
  let value = data;
  for (const token of pointer.slice(1).split('/')) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    // Own properties only: a pointer must not reach into Object.prototype.
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) {
      throw new OAuthError('invalid_response', `The response has nothing at ${pointer}`);
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
