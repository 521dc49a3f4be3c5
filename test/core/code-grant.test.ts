import { expect } from '@open-wc/testing';
import { clearDiscoveryCache } from '../../src/core/discovery.js';
import type { LoginOptions } from '../../src/core/login-options.js';
import { s256 } from '../../src/core/pkce.js';
import { CODE_GRANT, createTestSession, ISSUER, jwt, land, PAGE, signInAndLand } from '../helpers/session-harness.js';

const setUp = (options: LoginOptions = {}) => createTestSession({ ...CODE_GRANT, ...options });

describe('authorization code with PKCE (RFC 7636)', () => {
  beforeEach(clearDiscoveryCache);

  it('sends an S256 challenge of a 256-bit verifier, and the verifier only in the exchange', async () => {
    const context = setUp();
    context.provider.answerTokens({ access_token: 'at', token_type: 'Bearer', expires_in: 3600 });
    const { authorization, session } = await signInAndLand(context, (state) => `?code=the-code&state=${state}`);
    expect(authorization.searchParams.get('response_type')).to.equal('code');
    expect(authorization.searchParams.get('code_challenge_method')).to.equal('S256');
    const [exchange] = context.provider.tokenRequests();
    const verifier = exchange.get('code_verifier')!;
    expect(verifier).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(authorization.href).to.not.contain(verifier);
    expect(authorization.searchParams.get('code_challenge')).to.equal(await s256(verifier));
    expect(Object.fromEntries(exchange)).to.include({
      grant_type: 'authorization_code',
      code: 'the-code',
      client_id: 'app',
      redirect_uri: PAGE,
    });
    expect(session.token!.accessToken).to.equal('at');
    expect(context.heard.order).to.deep.equal(['token']);
  });

  it("removes code, state and iss from the address bar before the exchange, keeping the page's own query", async () => {
    const context = setUp();
    // Started on another path: nothing to put back, so what is left is what the removal left.
    context.effects.url = 'https://app.example/start';
    let urlDuringExchange = '';
    context.provider.tokenAnswers.push(
      () => ((urlDuringExchange = context.effects.url), Response.json({ access_token: 'at', token_type: 'Bearer' })),
    );
    await signInAndLand(context, (state) => `?tab=2&code=c&state=${state}&iss=${encodeURIComponent(ISSUER)}&view=list#section`);
    expect(urlDuringExchange).to.equal(`${PAGE}?tab=2&view=list#section`);
    expect(context.effects.url).to.equal(`${PAGE}?tab=2&view=list#section`);
  });

  it('leaves a query without state and code alone', async () => {
    const context = setUp();
    await land(context, '?code=abc', {}, { heard: context.heard });
    expect(context.effects.url).to.equal(`${PAGE}?code=abc`);
    expect(context.heard.order).to.deep.equal([]);
  });

  it('exchanges each code once: a replayed callback is invalid_state and makes no request', async () => {
    const context = setUp();
    context.provider.answerTokens({ access_token: 'at', token_type: 'Bearer' });
    let callback = '';
    await signInAndLand(context, (state) => (callback = `?code=c&state=${state}`));
    await land(context, callback, {}, { heard: context.heard });
    expect(context.provider.tokenRequests()).to.have.length(1);
    expect(context.heard.order).to.deep.equal(['token', 'error:invalid_state']);
  });

  it("surfaces the token endpoint's error with the provider's code", async () => {
    const context = setUp();
    context.provider.answerTokens({ error: 'invalid_grant', error_description: 'Code already used' }, 400);
    await signInAndLand(context, (state) => `?code=c&state=${state}`);
    expect(context.heard.errors).to.deep.equal([{ error: 'invalid_grant', description: 'Code already used', status: 400 }]);
  });

  it('needs a token-url', async () => {
    const context = setUp({ tokenUrl: null });
    await context.session.signIn();
    expect(context.heard.errors[0].error).to.equal('invalid_config');
    expect(context.effects.navigations).to.deep.equal([]);
  });
});

describe('the ID token from the code exchange (OpenID Connect)', () => {
  beforeEach(clearDiscoveryCache);

  const idToken = (nonce: string, overrides: Record<string, unknown> = {}) =>
    jwt({ iss: ISSUER, aud: 'app', exp: Math.floor(Date.UTC(2027, 0, 1) / 1000), nonce, sub: 'u', ...overrides });

  it('takes the endpoints from the issuer, sends a nonce with openid, and checks it in the ID token', async () => {
    const context = setUp({ authorizeUrl: null, tokenUrl: null, issuer: ISSUER, scope: 'openid profile' });
    let sentNonce = '';
    context.provider.tokenAnswers.push(() => Response.json({ access_token: 'at', token_type: 'Bearer', id_token: idToken(sentNonce) }));
    const { session, authorization } = await signInAndLand(context, (state, auth) => {
      sentNonce = auth.searchParams.get('nonce')!;
      return `?code=c&state=${state}&iss=${encodeURIComponent(ISSUER)}`;
    });
    expect(authorization.origin + authorization.pathname).to.equal(`${ISSUER}/authorize`);
    expect(sentNonce).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(session.token!.idToken).to.equal(idToken(sentNonce));
    expect(context.provider.requests.filter((r) => r.url.includes('openid-configuration'))).to.have.length(1);
  });

  const badIdTokens: [string, (nonce: string) => string][] = [
    ['a wrong nonce', () => idToken('another-nonce')],
    ['another issuer', (nonce) => idToken(nonce, { iss: 'https://evil.example' })],
    ['another audience', (nonce) => idToken(nonce, { aud: 'other-app' })],
    ['an expired ID token', (nonce) => idToken(nonce, { exp: 1 })],
    ['no ID token at all', () => ''],
  ];
  for (const [name, makeIdToken] of badIdTokens) {
    it(`refuses ${name} with invalid_response and no token`, async () => {
      const context = setUp({ authorizeUrl: null, tokenUrl: null, issuer: ISSUER, scope: 'openid' });
      let nonce = '';
      context.provider.tokenAnswers.push(() =>
        Response.json({ access_token: 'at', token_type: 'Bearer', ...(makeIdToken(nonce) ? { id_token: makeIdToken(nonce) } : {}) }),
      );
      const { session } = await signInAndLand(
        context,
        (state, auth) => ((nonce = auth.searchParams.get('nonce')!), `?code=c&state=${state}&iss=${encodeURIComponent(ISSUER)}`),
      );
      expect(context.heard.order).to.deep.equal(['error:invalid_response']);
      expect(session.token).to.equal(null);
    });
  }
});
