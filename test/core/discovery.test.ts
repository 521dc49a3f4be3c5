import { expect } from '@open-wc/testing';
import { clearDiscoveryCache } from '../../src/core/discovery.js';
import type { LoginOptions } from '../../src/core/login-options.js';
import { CODE_GRANT, createTestSession, ISSUER } from '../helpers/session-harness.js';

const setUp = (options: LoginOptions = {}) => createTestSession({ ...CODE_GRANT, ...options });

describe('OpenID discovery', () => {
  beforeEach(clearDiscoveryCache);

  it('refuses a discovery document whose issuer differs, with invalid_config and no navigation', async () => {
    const context = setUp({ authorizeUrl: null, issuer: ISSUER });
    context.provider.discovery.issuer = 'https://evil.example';
    await context.session.signIn();
    expect(context.heard.errors[0].error).to.equal('invalid_config');
    expect(context.effects.navigations).to.deep.equal([]);
  });

  const badEndpoints: [string, 'token_endpoint' | 'revocation_endpoint', unknown][] = [
    ['an http token endpoint on another host', 'token_endpoint', 'http://id.example/token'],
    ['an empty revocation endpoint', 'revocation_endpoint', ''],
    ['a token endpoint that is not a string', 'token_endpoint', [`${ISSUER}/token`]],
  ];
  for (const [name, field, endpoint] of badEndpoints) {
    it(`refuses a discovery document with ${name}, with invalid_config and no navigation`, async () => {
      const context = setUp({ authorizeUrl: null, tokenUrl: null, issuer: ISSUER });
      context.provider.discovery[field] = endpoint;
      await context.session.signIn();
      expect(context.heard.errors.map((error) => error.error)).to.deep.equal(['invalid_config']);
      expect(context.effects.navigations).to.deep.equal([]);
    });
  }

  for (const issuer of ['http://id.example', `${ISSUER}/?tenant=x`, `${ISSUER}/#x`]) {
    it(`refuses the issuer ${issuer} before fetching anything`, async () => {
      const context = setUp({ authorizeUrl: null, tokenUrl: null, issuer });
      await context.session.signIn();
      expect(context.heard.errors.map((error) => error.error)).to.deep.equal(['invalid_config']);
      expect(context.provider.requests).to.deep.equal([]);
    });
  }

  it('gives an issuer changed while discovery runs its own discovery, never the old endpoints', async () => {
    const context = setUp({ authorizeUrl: null, tokenUrl: null, issuer: ISSUER });
    const signingIn = context.session.signIn();
    context.options.issuer = 'https://other-id.example';
    await signingIn;
    expect(context.effects.navigations).to.deep.equal([]);
    expect(context.provider.requests.map((request) => request.url)).to.deep.equal([
      `${ISSUER}/.well-known/openid-configuration`,
      'https://other-id.example/.well-known/openid-configuration',
    ]);
    expect(context.heard.errors.map((error) => error.error)).to.deep.equal(['http_error']);
  });

  it('lets explicit attributes win over discovered endpoints', async () => {
    const context = setUp({ authorizeUrl: 'https://other.example/auth', issuer: ISSUER });
    await context.session.signIn();
    expect(context.effects.navigations[0]).to.match(/^https:\/\/other\.example\/auth\?/);
  });
});
