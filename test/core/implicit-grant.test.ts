import { expect } from '@open-wc/testing';
import { clearDiscoveryCache } from '../../src/core/discovery.js';
import { createTestSession, ISSUER, signInAndLand, type TestSession } from '../helpers/session-harness.js';

const OPENID_IMPLICIT = { responseType: 'id_token token', authorizeUrl: null, issuer: ISSUER, scope: 'openid profile' };

const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** A JWT as a provider signs it: the checks read its header and claims (the signature is not checked in the page). */
function idToken(claims: Record<string, unknown>, alg = 'RS256'): string {
  return `${encode({ alg, typ: 'JWT' })}.${encode(claims)}.c2lnbmF0dXJl`;
}

/** OpenID Connect Core §3.2.2.9, computed here on its own: base64url of the left half of the hash of the ASCII access token. */
async function atHash(accessToken: string, hash = 'SHA-256'): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest(hash, new TextEncoder().encode(accessToken)));
  const half = digest.slice(0, digest.length / 2);
  return btoa(String.fromCharCode(...half))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * Signs in with `id_token token` and lands on a fragment with access token `at` and an ID
 * token whose claims `claims` builds from the nonce sent (valid ones unless it changes them).
 */
async function signInWith(
  context: TestSession,
  claims: (nonce: string, valid: Record<string, unknown>) => Record<string, unknown>,
  alg = 'RS256',
): Promise<URL> {
  const hash = await atHash('at');
  const { authorization } = await signInAndLand(context, (state, auth) => {
    const nonce = auth.searchParams.get('nonce')!;
    const valid = { iss: ISSUER, aud: 'app', exp: context.effects.now() / 1000 + 600, nonce, at_hash: hash };
    const params = new URLSearchParams({
      access_token: 'at',
      token_type: 'Bearer',
      id_token: idToken(claims(nonce, valid), alg),
      state,
      iss: ISSUER,
    });
    return `#${params}`;
  });
  return authorization;
}

describe('OpenID implicit (response-type="id_token token")', () => {
  beforeEach(clearDiscoveryCache);

  it('sends a nonce and accepts the token when nonce, at_hash, iss, aud and exp are right', async () => {
    const context = createTestSession(OPENID_IMPLICIT);
    const authorization = await signInWith(context, (nonce, valid) => valid);
    expect(authorization.searchParams.get('response_type')).to.equal('id_token token');
    expect(authorization.searchParams.get('nonce')).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(context.heard.order).to.deep.equal(['token']);
    expect(context.heard.tokens[0].accessToken).to.equal('at');
    expect(context.heard.tokens[0].idToken).to.be.a('string');
  });

  const broken: [string, (nonce: string, valid: Record<string, unknown>) => Record<string, unknown>][] = [
    ['a wrong nonce', (nonce, valid) => ({ ...valid, nonce: `${nonce}x` })],
    ['no nonce', (nonce, valid) => ({ ...valid, nonce: undefined })],
    ['an at_hash of another access token', (nonce, valid) => ({ ...valid, at_hash: 'zz_ZOUUfuDmeKuCS41QJvA' })],
    ['no at_hash', (nonce, valid) => ({ ...valid, at_hash: undefined })],
    ['another issuer', (nonce, valid) => ({ ...valid, iss: 'https://evil.example' })],
    ['another audience', (nonce, valid) => ({ ...valid, aud: 'other-app' })],
    ['an exp in the past', (nonce, valid) => ({ ...valid, exp: 1 })],
  ];
  for (const [name, claims] of broken) {
    it(`refuses an ID token with ${name} as invalid_response, and no token`, async () => {
      const context = createTestSession(OPENID_IMPLICIT);
      await signInWith(context, claims);
      expect(context.heard.order).to.deep.equal(['error:invalid_response']);
    });
  }

  it('refuses an unsigned ID token (alg none) from the front channel', async () => {
    const context = createTestSession(OPENID_IMPLICIT);
    await signInWith(context, (nonce, valid) => valid, 'none');
    expect(context.heard.order).to.deep.equal(['error:invalid_response']);
  });

  it('hashes with the hash of the signature algorithm: SHA-384 for RS384', async () => {
    const hash384 = await atHash('at', 'SHA-384');
    const accepted = createTestSession(OPENID_IMPLICIT);
    await signInWith(accepted, (nonce, valid) => ({ ...valid, at_hash: hash384 }), 'RS384');
    expect(accepted.heard.order).to.deep.equal(['token']);
    const refused = createTestSession(OPENID_IMPLICIT);
    await signInWith(refused, (nonce, valid) => valid, 'RS384');
    expect(refused.heard.order).to.deep.equal(['error:invalid_response']);
  });

  it('refuses a response without an ID token', async () => {
    const context = createTestSession(OPENID_IMPLICIT);
    await signInAndLand(context, (state) => `#access_token=at&token_type=Bearer&state=${state}&iss=${encodeURIComponent(ISSUER)}`);
    expect(context.heard.order).to.deep.equal(['error:invalid_response']);
  });

  it('needs openid in the scope: invalid_config otherwise, before leaving the page', async () => {
    const context = createTestSession({ ...OPENID_IMPLICIT, scope: 'profile' });
    await context.session.signIn();
    expect(context.heard.errors.map((error) => error.error)).to.deep.equal(['invalid_config']);
    expect(context.effects.navigations).to.have.length(0);
  });
});
