import { expect } from '@open-wc/testing';
import { challengeParams } from '../../src/core/www-authenticate.js';

describe('reading WWW-Authenticate challenges', () => {
  it('reads the DPoP challenge’s parameters apart from other challenges', () => {
    const header = 'Bearer realm="a, b", error="x", DPoP algs="ES256 PS256", error_description="say \\"hi\\""';
    expect(challengeParams(header, 'DPoP')).to.deep.equal({ algs: 'ES256 PS256', error_description: 'say "hi"' });
    expect(challengeParams(header, 'Bearer')).to.deep.equal({ realm: 'a, b', error: 'x' });
    expect(challengeParams('Bearer realm="x"', 'DPoP')).to.equal(null);
    expect(challengeParams('dpop error=invalid_token', 'DPoP')).to.deep.equal({ error: 'invalid_token' });
  });

  it('reads RFC 6750 Bearer errors with their scope', () => {
    expect(challengeParams('Bearer realm="api", error="insufficient_scope", scope="admin write"', 'Bearer')).to.deep.equal({
      realm: 'api',
      error: 'insufficient_scope',
      scope: 'admin write',
    });
  });
});
