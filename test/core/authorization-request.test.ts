import { expect, waitUntil } from '@open-wc/testing';
import { buildAuthorizationUrl, createAuthorizationRequest } from '../../src/core/authorization-request.js';
import { base64urlDecode } from '../../src/core/base64url.js';
import { resolveLoginConfig } from '../../src/core/login-config.js';
import type { LoginOptions } from '../../src/core/login-options.js';
import { s256 } from '../../src/core/pkce.js';
import { randomString } from '../../src/core/random.js';
import { CODE_GRANT, createTestSession, ISSUER as ISSUER_URL } from '../helpers/session-harness.js';

/** The page the configuration is resolved against: its query and fragment never reach the default redirect URI. */
const CURRENT_URL = 'https://app.example/dir/page.html?tab=1#top';

describe('the authorization request (RFC 6749 §4.2.1)', () => {
  it('carries response_type, client_id, redirect_uri, scope and state, form-encoded', () => {
    const config = resolveLoginConfig(
      { authorizeUrl: 'https://id.example/authorize', clientId: 'my app', scope: ' profile   read ' },
      CURRENT_URL,
    );
    const url = new URL(buildAuthorizationUrl(config, 'STATE'));
    expect(url.origin + url.pathname).to.equal('https://id.example/authorize');
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({
      response_type: 'token',
      client_id: 'my app',
      redirect_uri: 'https://app.example/dir/page.html',
      scope: 'profile read',
      state: 'STATE',
    });
    expect(url.search).to.contain('client_id=my+app');
  });

  it('keeps query parameters of the authorize-url and never duplicates ours', () => {
    const config = resolveLoginConfig(
      { authorizeUrl: 'https://id.example/authorize?tenant=x&client_id=evil', clientId: 'app' },
      CURRENT_URL,
    );
    const url = new URL(buildAuthorizationUrl(config, 'S'));
    expect(url.searchParams.get('tenant')).to.equal('x');
    expect(url.searchParams.getAll('client_id')).to.deep.equal(['app']);
  });

  it('leaves scope out when none is asked for', () => {
    const config = resolveLoginConfig({ authorizeUrl: 'https://id.example/a', clientId: 'app' }, CURRENT_URL);
    expect(new URL(buildAuthorizationUrl(config, 'S')).searchParams.has('scope')).to.equal(false);
  });

  it('uses an explicit redirect-uri, resolved against the page', () => {
    const config = resolveLoginConfig({ authorizeUrl: 'https://id.example/a', clientId: 'app', redirectUri: '/callback' }, CURRENT_URL);
    expect(config.redirectUri).to.equal('https://app.example/callback');
  });
});

describe('the state', () => {
  it('is 256 bits of crypto.getRandomValues, base64url', () => {
    let asked = 0;
    const state = randomString({ getRandomValues: (bytes) => ((asked = bytes.length), crypto.getRandomValues(bytes)) });
    expect(asked).to.be.at.least(16);
    expect(state).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it('differs every time', () => {
    const states = new Set(Array.from({ length: 100 }, () => randomString({ getRandomValues: (b) => crypto.getRandomValues(b) })));
    expect(states.size).to.equal(100);
  });
});

describe('createAuthorizationRequest', () => {
  const NOW = Date.UTC(2026, 0, 1);
  const ISSUER = 'https://id.example';

  /** Effects that record the size of every random value asked for. */
  function randomness() {
    const asked: number[] = [];
    const effects = { getRandomValues: (bytes: Uint8Array) => (asked.push(bytes.length), crypto.getRandomValues(bytes)), now: () => NOW };
    return { asked, effects };
  }
  const config = (options: LoginOptions = {}) =>
    resolveLoginConfig({ authorizeUrl: `${ISSUER}/authorize`, clientId: 'app', scope: 'read', ...options }, CURRENT_URL);
  const CODE: LoginOptions = { responseType: 'code', tokenUrl: `${ISSUER}/token` };

  it('sends a fresh state of at least 128 bits from getRandomValues, and keeps it in the pending record', async () => {
    const { asked, effects } = randomness();
    const { url, pending } = await createAuthorizationRequest(effects, config(), 'owner', '');
    const state = new URL(url).searchParams.get('state')!;
    expect(state).to.equal(pending.state);
    expect(asked[0]).to.be.at.least(16);
    expect(base64urlDecode(state).length).to.be.at.least(16);
    const again = await createAuthorizationRequest(effects, config(), 'owner', '');
    expect(again.pending.state).to.not.equal(state);
  });

  it('puts the prefix in front of the random state', async () => {
    const { pending } = await createAuthorizationRequest(randomness().effects, config(), 'owner', 'p.');
    expect(pending.state).to.match(/^p\.[A-Za-z0-9_-]{43}$/);
  });

  it('for code, sends the S256 challenge of the verifier it keeps, never the verifier', async () => {
    const { url, pending } = await createAuthorizationRequest(randomness().effects, config(CODE), 'owner', '');
    const params = new URL(url).searchParams;
    expect(pending.codeVerifier).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('code_challenge')).to.equal(await s256(pending.codeVerifier!));
    expect(params.get('code_challenge_method')).to.equal('S256');
    expect(url).to.not.contain(pending.codeVerifier);
  });

  it('for token, sends no PKCE and keeps no verifier', async () => {
    const { url, pending } = await createAuthorizationRequest(randomness().effects, config(), 'owner', '');
    expect(new URL(url).searchParams.has('code_challenge')).to.equal(false);
    expect(pending).to.not.have.property('codeVerifier');
  });

  it('sends a nonce, and keeps it, only when the scope asks for openid', async () => {
    const withOpenId = await createAuthorizationRequest(randomness().effects, config({ scope: 'profile openid' }), 'owner', '');
    expect(withOpenId.pending.nonce).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(new URL(withOpenId.url).searchParams.get('nonce')).to.equal(withOpenId.pending.nonce);
    expect(withOpenId.pending.nonce).to.not.equal(withOpenId.pending.state);
    for (const scope of ['read', 'openid-like', '']) {
      const without = await createAuthorizationRequest(randomness().effects, config({ scope }), 'owner', '');
      expect(new URL(without.url).searchParams.has('nonce')).to.equal(false);
      expect(without.pending).to.not.have.property('nonce');
    }
  });

  it('keeps in the pending record what the response will be checked against', async () => {
    const metadata = { issuer: ISSUER, authorization_response_iss_parameter_supported: true };
    const codeConfig = resolveLoginConfig(
      { authorizeUrl: `${ISSUER}/authorize`, clientId: 'app', scope: 'openid read', redirectUri: '/callback', ...CODE },
      CURRENT_URL,
      metadata,
    );
    const { pending } = await createAuthorizationRequest(randomness().effects, codeConfig, 'the-owner', '');
    expect(pending).to.deep.equal({
      state: pending.state,
      owner: 'the-owner',
      responseType: 'code',
      redirectUri: 'https://app.example/callback',
      scope: 'openid read',
      createdAt: NOW,
      clientId: 'app',
      issuer: ISSUER,
      requireIss: true,
      codeVerifier: pending.codeVerifier,
      tokenUrl: `${ISSUER}/token`,
      nonce: pending.nonce,
    });
    expect([pending.state, pending.codeVerifier, pending.nonce].every((value) => typeof value === 'string')).to.equal(true);
  });
});

describe('sign-in options', () => {
  /** Every parameter the sign-in sets itself, as the README lists them. */
  const PROTOCOL = [
    'response_type',
    'client_id',
    'redirect_uri',
    'scope',
    'state',
    'code_challenge',
    'code_challenge_method',
    'nonce',
    'response_mode',
    'request',
    'request_uri',
  ];

  it('sends login_hint, prompt and extra authorization parameters', async () => {
    const context = createTestSession({ ...CODE_GRANT, scope: 'openid read' });
    await context.session.signIn({
      loginHint: 'ada@example.com',
      prompt: 'login',
      params: { acr_values: 'urn:mfa', max_age: 0, resource: 'https://api.example/', audience: 'api' },
    });
    const params = new URL(context.effects.navigations[0]).searchParams;
    expect(context.heard.errors).to.deep.equal([]);
    expect(params.get('login_hint')).to.equal('ada@example.com');
    expect(params.get('prompt')).to.equal('login');
    expect(params.get('acr_values')).to.equal('urn:mfa');
    expect(params.get('max_age')).to.equal('0');
    expect(params.get('resource')).to.equal('https://api.example/');
    expect(params.get('audience')).to.equal('api');
    expect(params.get('code_challenge_method')).to.equal('S256');
  });

  it('lets loginHint and prompt win over the same names in params, and params over the authorize-url', async () => {
    const context = createTestSession({ authorizeUrl: `${ISSUER_URL}/authorize?audience=static&tenant=t` });
    await context.session.signIn({ prompt: 'consent', params: { prompt: 'none', audience: 'chosen' } });
    const params = new URL(context.effects.navigations[0]).searchParams;
    expect(params.getAll('prompt')).to.deep.equal(['consent']);
    expect(params.getAll('audience')).to.deep.equal(['chosen']);
    expect(params.get('tenant')).to.equal('t');
  });

  it("refuses params that would set one of the protocol's own as invalid_config, before leaving the page", async () => {
    for (const name of PROTOCOL) {
      const context = createTestSession(CODE_GRANT);
      await context.session.signIn({ params: { [name]: 'from-the-page' } });
      expect(
        context.heard.errors.map((error) => error.error),
        name,
      ).to.deep.equal(['invalid_config']);
      expect(context.heard.errors[0].description, name).to.contain(name);
      expect(context.effects.navigations, name).to.have.length(0);
      expect(context.effects.session.length, name).to.equal(0);
    }
  });

  it('refuses a value that is neither a string nor a finite number as invalid_config', async () => {
    for (const value of [{}, ['a'], true, Number.NaN]) {
      const context = createTestSession();
      await context.session.signIn({ params: { acr_values: value as string } });
      expect(context.heard.errors.map((error) => error.error)).to.deep.equal(['invalid_config']);
      expect(context.effects.navigations).to.have.length(0);
    }
  });

  it('passes the options to a popup sign-in too', async () => {
    const context = createTestSession();
    void context.session.signInWithPopup({ loginHint: 'ada' });
    const popup = context.effects.popups[0];
    await waitUntil(() => popup.navigations.length > 0, 'the popup to go to the provider', { timeout: 5000 });
    expect(new URL(popup.navigations[0]).searchParams.get('login_hint')).to.equal('ada');
    popup.close();
  });
});
