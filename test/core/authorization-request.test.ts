import { expect } from '@open-wc/testing';
import { buildAuthorizationUrl } from '../../src/core/authorization-request.js';
import { resolveLoginConfig } from '../../src/core/login-config.js';
import { randomString } from '../../src/core/random.js';

const PAGE = 'https://app.example/dir/page.html?tab=1#top';

describe('the authorization request (RFC 6749 §4.2.1)', () => {
  it('carries response_type, client_id, redirect_uri, scope and state, form-encoded', () => {
    const config = resolveLoginConfig(
      { authorizeUrl: 'https://id.example/authorize', clientId: 'my app', scope: ' profile   read ' },
      PAGE,
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
    const config = resolveLoginConfig({ authorizeUrl: 'https://id.example/authorize?tenant=x&client_id=evil', clientId: 'app' }, PAGE);
    const url = new URL(buildAuthorizationUrl(config, 'S'));
    expect(url.searchParams.get('tenant')).to.equal('x');
    expect(url.searchParams.getAll('client_id')).to.deep.equal(['app']);
  });

  it('leaves scope out when none is asked for', () => {
    const config = resolveLoginConfig({ authorizeUrl: 'https://id.example/a', clientId: 'app' }, PAGE);
    expect(new URL(buildAuthorizationUrl(config, 'S')).searchParams.has('scope')).to.equal(false);
  });

  it('uses an explicit redirect-uri, resolved against the page', () => {
    const config = resolveLoginConfig({ authorizeUrl: 'https://id.example/a', clientId: 'app', redirectUri: '/callback' }, PAGE);
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

describe('checking the configuration', () => {
  const bad: [string, Record<string, string>][] = [
    ['a missing authorize-url', { clientId: 'app' }],
    ['a relative authorize-url', { authorizeUrl: '/authorize', clientId: 'app' }],
    ['a plain-http authorize-url to another host', { authorizeUrl: 'http://id.example/authorize', clientId: 'app' }],
    ['a javascript: authorize-url', { authorizeUrl: 'javascript:alert(1)', clientId: 'app' }],
    ['a missing client-id', { authorizeUrl: 'https://id.example/a' }],
    ['a blank client-id', { authorizeUrl: 'https://id.example/a', clientId: '  ' }],
    [
      'a plain-http redirect-uri to another host',
      { authorizeUrl: 'https://id.example/a', clientId: 'app', redirectUri: 'http://app.example/' },
    ],
    ['a redirect-uri with a fragment', { authorizeUrl: 'https://id.example/a', clientId: 'app', redirectUri: 'https://app.example/#x' }],
    ['an unknown response-type', { authorizeUrl: 'https://id.example/a', clientId: 'app', responseType: 'id_token' }],
    ['an unknown storage', { authorizeUrl: 'https://id.example/a', clientId: 'app', storage: 'cookie' }],
  ];
  for (const [name, options] of bad) {
    it(`refuses ${name} with invalid_config`, () => {
      expect(() => resolveLoginConfig(options, PAGE))
        .to.throw()
        .with.property('detail')
        .that.has.property('error', 'invalid_config');
    });
  }

  const loopback = ['http://localhost:9000/authorize', 'http://127.0.0.1/authorize', 'http://[::1]:8080/authorize'];
  for (const authorizeUrl of loopback) {
    it(`accepts plain http to a loopback host: ${authorizeUrl}`, () => {
      expect(resolveLoginConfig({ authorizeUrl, clientId: 'app' }, 'http://localhost:8000/').authorizeUrl.href).to.equal(
        new URL(authorizeUrl).href,
      );
    });
  }
});
