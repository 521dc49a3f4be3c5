import { expect } from '@open-wc/testing';
import { resolveLoginConfig } from '../../src/core/login-config.js';

/** The page the configuration is resolved against: its query and fragment never reach the default redirect URI. */
const CURRENT_URL = 'https://app.example/dir/page.html?tab=1#top';

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
      expect(() => resolveLoginConfig(options, CURRENT_URL))
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

describe('checking the sign-in mode', () => {
  const options = { authorizeUrl: 'https://id.example/a', clientId: 'app' };

  it('is redirect by default, and accepts redirect and popup', () => {
    expect(resolveLoginConfig(options, CURRENT_URL).mode).to.equal('redirect');
    for (const mode of ['redirect', 'popup']) expect(resolveLoginConfig({ ...options, mode }, CURRENT_URL).mode).to.equal(mode);
  });

  for (const mode of ['popups', 'Popup', 'window']) {
    it(`refuses mode="${mode}" with invalid_config naming mode`, () => {
      expect(() => resolveLoginConfig({ ...options, mode }, CURRENT_URL))
        .to.throw()
        .with.property('detail')
        .that.deep.equals({ error: 'invalid_config', description: 'mode must be "redirect" or "popup"' });
    });
  }
});
