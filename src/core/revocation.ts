import type { Effects } from './effects.js';
import { postForm } from './token-endpoint.js';

/**
 * Asks the provider to revoke a token (RFC 7009 §2.1). Sign-out never waits for it and
 * never fails because of it: the local token is already gone, and a provider that cannot
 * be reached cannot be helped.
 */
export async function revokeToken(
  effects: Pick<Effects, 'fetch'>,
  revocationUrl: string,
  clientId: string,
  token: string,
  tokenTypeHint: 'access_token' | 'refresh_token',
): Promise<boolean> {
  try {
    const response = await postForm(effects, revocationUrl, { token, token_type_hint: tokenTypeHint, client_id: clientId });
    return response.ok;
  } catch {
    return false;
  }
}
