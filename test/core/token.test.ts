import { expect } from '@open-wc/testing';
import { OAuthError } from '../../src/core/errors.js';
import { errorFromResponse, tokenFromResponse } from '../../src/core/token.js';

const NOW = 1_000_000;
const params = (query: string) => new Map(new URLSearchParams(query));

describe('reading a token response (RFC 6749 §4.2.2, RFC 6750 §2.1)', () => {
  it('takes the token, its type, its lifetime from local receipt time, and the granted scope', () => {
    const token = tokenFromResponse(
      params('access_token=abc.DEF-_~%2B/==&token_type=Bearer&expires_in=3600&scope=read'),
      'read write',
      NOW,
    );
    expect(token).to.deep.equal({ accessToken: 'abc.DEF-_~+/==', tokenType: 'Bearer', expiresAt: NOW + 3_600_000, scope: 'read' });
  });

  it('accepts token_type in any case', () => {
    expect(tokenFromResponse(params('access_token=a&token_type=bEaReR'), '', NOW).tokenType).to.equal('Bearer');
  });

  it('gives expiresAt null when the provider gives no lifetime, and the requested scope when it gives none', () => {
    const token = tokenFromResponse(params('access_token=a&token_type=Bearer'), 'profile', NOW);
    expect(token.expiresAt).to.equal(null);
    expect(token.scope).to.equal('profile');
  });

  it('carries an id_token when present', () => {
    expect(tokenFromResponse(params('access_token=a&token_type=Bearer&id_token=x.y.z'), '', NOW).idToken).to.equal('x.y.z');
  });

  const bad: [string, string][] = [
    ['no access_token', 'token_type=Bearer'],
    ['an empty access_token', 'access_token=&token_type=Bearer'],
    ['an access_token with a space', 'access_token=a+b&token_type=Bearer'],
    ['an access_token with a quote', 'access_token=a%22b&token_type=Bearer'],
    ['an access_token with a line break (header injection)', 'access_token=a%0D%0AX-Evil:1&token_type=Bearer'],
    ['an access_token with non-ASCII', 'access_token=%C3%A9&token_type=Bearer'],
    ['an access_token with = inside', 'access_token=a=b&token_type=Bearer'],
    ['no token_type', 'access_token=a'],
    ['token_type mac', 'access_token=a&token_type=mac'],
    ['token_type "Bearer " with a space', 'access_token=a&token_type=Bearer+'],
    ['an expires_in with letters', 'access_token=a&token_type=Bearer&expires_in=1h'],
    ['a negative expires_in', 'access_token=a&token_type=Bearer&expires_in=-5'],
    ['a fractional expires_in', 'access_token=a&token_type=Bearer&expires_in=1.5'],
    ['an empty expires_in', 'access_token=a&token_type=Bearer&expires_in='],
    ['an expires_in with a sign', 'access_token=a&token_type=Bearer&expires_in=%2B60'],
  ];
  for (const [name, query] of bad) {
    it(`refuses ${name} with invalid_response`, () => {
      expect(() => tokenFromResponse(params(query), '', NOW))
        .to.throw(OAuthError)
        .with.property('detail')
        .that.has.property('error', 'invalid_response');
    });
  }
});

describe('reading an error response (RFC 6749 §4.2.2.1)', () => {
  it("passes the provider's code, description and uri through", () => {
    const error = errorFromResponse(params('error=access_denied&error_description=User+said+no&error_uri=https%3A%2F%2Fp.example%2Fe'));
    expect(error.detail).to.deep.equal({ error: 'access_denied', description: 'User said no', uri: 'https://p.example/e' });
  });

  it('keeps a hostile description as the same characters (the view shows it as text)', () => {
    const error = errorFromResponse(params('error=access_denied&error_description=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E'));
    expect(error.detail.description).to.equal('<img src=x onerror=alert(1)>');
  });

  it('drops an error_uri that is not http(s), such as javascript:', () => {
    expect(errorFromResponse(params('error=access_denied&error_uri=javascript:alert(1)')).detail).to.not.have.property('uri');
  });

  it('refuses an error code outside the RFC 6749 character set', () => {
    expect(errorFromResponse(params('error=%3Cb%3E%22x%22')).detail.error).to.equal('invalid_response');
    expect(errorFromResponse(params('error=')).detail.error).to.equal('invalid_response');
  });

  it('cuts an overlong description', () => {
    expect(errorFromResponse(params(`error=server_error&error_description=${'a'.repeat(5000)}`)).detail.description).to.have.length(500);
  });
});
