import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_REDIRECT, authorizePath, fragmentOf, pkcePair, queryOf, signInAndDecide, startWithClock } from './helpers.mjs';

let server;
before(async () => {
  ({ server } = await startWithClock());
});
after(() => server.close());

const get = (path) => fetch(server.url + path, { redirect: 'manual' });
const implicit = (extra = {}) => ({
  response_type: 'token',
  client_id: 'demo-app',
  redirect_uri: DEMO_REDIRECT,
  scope: 'profile',
  state: 'st-123',
  ...extra,
});

async function assertErrorPage(response) {
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('location'), null);
  assert.match(response.headers.get('content-type'), /^text\/html/);
  const page = await response.text();
  assert.match(page, /Sign-in request rejected/);
  return page;
}

describe('requests whose client or redirect URI is not valid get an error page, never a redirect', () => {
  it('rejects an unknown client', async () => {
    const page = await assertErrorPage(await get(authorizePath(implicit({ client_id: 'nobody' }))));
    assert.match(page, /nobody/);
  });

  it('rejects a request without client_id', async () => {
    const { client_id, ...params } = implicit();
    await assertErrorPage(await get(authorizePath(params)));
  });

  it('rejects a request without redirect_uri', async () => {
    const { redirect_uri, ...params } = implicit();
    await assertErrorPage(await get(authorizePath(params)));
  });

  const nearMisses = {
    'without the trailing slash': 'http://localhost:8000',
    'with a path the client did not register': 'http://localhost:8000/demo',
    'on another port': 'http://localhost:8001/',
    'in another case': 'http://LOCALHOST:8000/',
    'with an extra query': 'http://localhost:8000/?next=1',
    'with a fragment': 'http://localhost:8000/#x',
    'with another scheme': 'https://localhost:8000/',
    'on another host': 'http://evil.example/',
  };
  for (const [name, redirectUri] of Object.entries(nearMisses)) {
    it(`rejects a redirect URI ${name}`, async () => {
      const page = await assertErrorPage(await get(authorizePath(implicit({ redirect_uri: redirectUri }))));
      assert.match(page, /is not registered for oauth-elements demo/);
    });
  }

  it('checks the redirect URI before anything else that is wrong with the request', async () => {
    await assertErrorPage(
      await get(authorizePath(implicit({ redirect_uri: 'http://localhost:9999/', response_type: 'bogus', scope: 'admin' }))),
    );
  });

  it('rejects a repeated redirect_uri even when both values are registered', async () => {
    await assertErrorPage(await get(`${authorizePath(implicit())}&redirect_uri=${encodeURIComponent('http://127.0.0.1:8000/')}`));
  });

  it('rejects a repeated client_id', async () => {
    await assertErrorPage(await get(`${authorizePath(implicit())}&client_id=other-app`));
  });

  it('escapes the client_id it echoes on the page', async () => {
    const page = await assertErrorPage(await get(authorizePath(implicit({ client_id: '<img src=x onerror=alert(1)>' }))));
    assert.doesNotMatch(page, /<img/);
    assert.match(page, /&#60;img src=x onerror=alert\(1\)&#62;/);
  });
});

describe('implicit grant errors go to the redirect URI in the fragment (RFC 6749 §4.2.2.1)', () => {
  function assertFragmentError(response, error) {
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location'));
    assert.equal(`${location.origin}${location.pathname}${location.search}`, DEMO_REDIRECT);
    const params = fragmentOf(response);
    assert.equal(params.get('error'), error);
    assert.ok(params.get('error_description'), 'error_description is present');
    assert.equal(params.get('state'), 'st-123');
    assert.equal(params.get('iss'), server.url, 'RFC 9207: errors in the fragment name the issuer too');
    return params;
  }

  it('reports access_denied when the user presses Deny', async () => {
    const params = assertFragmentError(await signInAndDecide(server, implicit(), { decision: 'deny' }), 'access_denied');
    assert.equal(params.get('error_description'), 'The user denied the request.');
  });

  it('reports invalid_scope for an unknown scope', async () => {
    const params = assertFragmentError(await get(authorizePath(implicit({ scope: 'profile admin' }))), 'invalid_scope');
    assert.match(params.get('error_description'), /admin/);
  });

  it('reports invalid_scope for a known scope the client may not ask for', async () => {
    const params = assertFragmentError(await get(authorizePath(implicit({ scope: 'profile email' }))), 'invalid_scope');
    assert.match(params.get('error_description'), /email/);
  });

  it('reports unsupported_response_type for a response type containing token', async () => {
    assertFragmentError(await get(authorizePath(implicit({ response_type: 'code token' }))), 'unsupported_response_type');
  });

  it('reports invalid_request for a repeated parameter', async () => {
    const params = assertFragmentError(await get(`${authorizePath(implicit())}&scope=read`), 'invalid_request');
    assert.match(params.get('error_description'), /scope/);
  });

  it('echoes a state with reserved characters exactly', async () => {
    const state = 'a b+c/d=e&f#g%h☃';
    const response = await get(authorizePath(implicit({ scope: 'admin', state })));
    assert.equal(fragmentOf(response).get('state'), state);
  });

  it('leaves state out when the request had none', async () => {
    const { state, ...params } = implicit({ scope: 'admin' });
    const fragment = fragmentOf(await get(authorizePath(params)));
    assert.equal(fragment.get('error'), 'invalid_scope');
    assert.equal(fragment.has('state'), false);
  });
});

describe('code grant errors go to the redirect URI in the query, with iss (RFC 6749 §4.1.2.1, RFC 9207)', () => {
  const code = (extra = {}) => {
    const { challenge } = pkcePair();
    return implicit({ response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256', ...extra });
  };

  function assertQueryError(response, error) {
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location'));
    assert.equal(location.hash, '');
    assert.equal(`${location.origin}${location.pathname}`, DEMO_REDIRECT);
    const params = queryOf(response);
    assert.equal(params.get('error'), error);
    assert.ok(params.get('error_description'));
    assert.equal(params.get('state'), 'st-123');
    assert.equal(params.get('iss'), server.url);
    return params;
  }

  it('reports access_denied when the user presses Deny', async () => {
    assertQueryError(await signInAndDecide(server, code(), { decision: 'deny' }), 'access_denied');
  });

  it('reports invalid_request without code_challenge', async () => {
    const { code_challenge, ...params } = code();
    assertQueryError(await get(authorizePath(params)), 'invalid_request');
  });

  it('reports invalid_request for code_challenge_method plain', async () => {
    assertQueryError(await get(authorizePath(code({ code_challenge_method: 'plain' }))), 'invalid_request');
  });

  it('reports invalid_request without code_challenge_method, which would mean plain', async () => {
    const { code_challenge_method, ...params } = code();
    assertQueryError(await get(authorizePath(params)), 'invalid_request');
  });

  it('reports invalid_request for a challenge that cannot be an S256 hash', async () => {
    assertQueryError(await get(authorizePath(code({ code_challenge: 'short' }))), 'invalid_request');
  });

  it('reports unsupported_response_type for an unknown response type', async () => {
    assertQueryError(await get(authorizePath(implicit({ response_type: 'id_token' }))), 'unsupported_response_type');
  });

  it('reports invalid_request without response_type', async () => {
    const { response_type, ...params } = implicit();
    assertQueryError(await get(authorizePath(params)), 'invalid_request');
  });

  it('keeps a query the client registered in its redirect URI', async () => {
    const { server: other } = await startWithClock({
      clients: [{ id: 'q-app', redirectUris: ['http://localhost:8000/cb?app=1'], scopes: ['profile'] }],
    });
    try {
      const response = await fetch(
        other.url +
          authorizePath({ response_type: 'code', client_id: 'q-app', redirect_uri: 'http://localhost:8000/cb?app=1', state: 'st-123' }),
        { redirect: 'manual' },
      );
      const params = queryOf(response);
      assert.equal(params.get('app'), '1');
      assert.equal(params.get('error'), 'invalid_request');
    } finally {
      await other.close();
    }
  });
});
