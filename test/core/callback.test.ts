import { expect } from '@open-wc/testing';
import { MAX_RESPONSE_LENGTH, parseCallbackFragment, parseCallbackQuery } from '../../src/core/callback.js';

describe('recognising an authorization response in the fragment', () => {
  const leftAlone: [string, string][] = [
    ['an empty fragment', ''],
    ['a bare #', '#'],
    ['a hash route', '#/settings'],
    ['a hash route with a query', '#/users?page=2'],
    ['an in-page anchor', '#section-2'],
    ['parameters that are not OAuth ones', '#tab=billing&view=list'],
    ['a marker name inside a route', '#/callback/access_token'],
    ['a double hash', '##access_token=abc'],
  ];
  for (const [name, hash] of leftAlone) {
    it(`leaves ${name} alone (${JSON.stringify(hash)})`, () => {
      expect(parseCallbackFragment(hash)).to.equal(null);
    });
  }

  const recognised: [string, string][] = [
    ['a token response', '#access_token=abc&token_type=Bearer&state=s'],
    ['an error response', '#error=access_denied&state=s'],
    ['a response with only a state', '#state=s'],
    ['a response with provider extras', '#access_token=abc&token_type=Bearer&state=s&authuser=0&prompt=consent'],
  ];
  for (const [name, hash] of recognised) {
    it(`recognises ${name}`, () => {
      expect(parseCallbackFragment(hash)).to.not.equal(null);
    });
  }

  it('strips exactly one leading #', () => {
    expect(parseCallbackFragment('#state=a')!.params.get('state')).to.equal('a');
    expect(parseCallbackFragment('##state=a')).to.equal(null);
  });
});

describe('decoding the fragment as application/x-www-form-urlencoded (RFC 6749 Appendix B)', () => {
  const cases: [string, string, string][] = [
    ['the Appendix B example: space, %, &, +, £, €', '+%25%26%2B%C2%A3%E2%82%AC', ' %&+£€'],
    ['+ as a space', 'Access+was+denied', 'Access was denied'],
    ['%20 as a space', 'Access%20was%20denied', 'Access was denied'],
    ['an encoded + as a plus', 'a%2Bb', 'a+b'],
    ['an encoded = and &', 'a%3Db%26c', 'a=b&c'],
    ['lower-case escapes', '%c2%a3', '£'],
    ['malformed percent-encoding as literal text, without throwing', '%E0%A4%A', '\uFFFD%A'],
    ['a lone % as itself', '100%', '100%'],
    ['an invalid escape as itself', '%ZZ', '%ZZ'],
  ];
  for (const [name, encoded, decoded] of cases) {
    it(`decodes ${name}`, () => {
      const response = parseCallbackFragment(`#state=s&error_description=${encoded}`);
      expect(response!.params.get('error_description')).to.equal(decoded);
    });
  }

  it('reads the authorization code response from the query the same way', () => {
    const response = parseCallbackQuery('?code=a+b%2B&state=s');
    expect(response!.params.get('code')).to.equal('a b+');
    expect(parseCallbackQuery('?page=2')).to.equal(null);
  });
});

describe('refusing malformed responses as a whole', () => {
  it('marks a duplicated parameter', () => {
    expect(parseCallbackFragment('#access_token=a&access_token=b&state=s')!.malformed).to.match(/Duplicated.*access_token/);
    expect(parseCallbackFragment('#state=a&state=b')!.malformed).to.match(/Duplicated.*state/);
  });

  it('marks a response larger than the limit, and accepts one just under it', () => {
    const prefix = '#state=s&access_token=';
    const justUnder = prefix + 'a'.repeat(MAX_RESPONSE_LENGTH - prefix.length + 1);
    expect(parseCallbackFragment(justUnder)!.malformed).to.equal(undefined);
    expect(parseCallbackFragment(justUnder + 'a')!.malformed).to.match(/larger than/);
  });

  it('keeps well-formed responses unmarked', () => {
    expect(parseCallbackFragment('#access_token=a&state=s')!.malformed).to.equal(undefined);
  });
});
