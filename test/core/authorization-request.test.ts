import { expect } from '@open-wc/testing';
import { buildAuthorizationUrl, createAuthorizationRequest } from '../../src/core/authorization-request.js';
import { base64urlDecode } from '../../src/core/base64url.js';
import { resolveLoginConfig, type LoginOptions } from '../../src/core/login-config.js';
import { s256 } from '../../src/core/pkce.js';
import { randomString } from '../../src/core/random.js';

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
