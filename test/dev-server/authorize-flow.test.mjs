import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Browser,
  DEMO_REDIRECT,
  authorizePath,
  fragmentOf,
  pkcePair,
  queryOf,
  signInAndDecide,
  startWithClock,
  transactionIdIn,
} from './helpers.mjs';

let server;
before(async () => {
  ({ server } = await startWithClock({ tokenLifetimeSeconds: 120 }));
});
after(() => server.close());

const implicit = (extra = {}) => ({
  response_type: 'token',
  client_id: 'demo-app',
  redirect_uri: DEMO_REDIRECT,
  scope: 'profile read',
  state: 'st-1',
  ...extra,
});

describe('implicit grant happy path (RFC 6749 §4.2.2)', () => {
  it('redirects with exactly the token response in the fragment', async () => {
    const response = await signInAndDecide(server, implicit());
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location'));
    assert.equal(`${location.origin}${location.pathname}${location.search}`, DEMO_REDIRECT);
    const params = fragmentOf(response);
    assert.deepEqual([...params.keys()], ['access_token', 'token_type', 'expires_in', 'scope', 'state', 'iss']);
    assert.equal(params.get('iss'), server.url, 'RFC 9207: the fragment names the issuer too');
    assert.match(params.get('access_token'), /^[A-Za-z0-9_-]{43}$/);
    assert.equal(params.get('token_type'), 'Bearer');
    assert.equal(params.get('expires_in'), '120');
    assert.equal(params.get('scope'), 'profile read');
    assert.equal(params.get('state'), 'st-1');
    assert.equal(response.headers.get('cache-control'), 'no-store');
  });

  it('issues a token the API accepts', async () => {
    const token = fragmentOf(await signInAndDecide(server, implicit())).get('access_token');
    const profile = await fetch(`${server.url}/api/profile`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(profile.status, 200);
    assert.equal((await profile.json()).sub, 'demo');
  });

  it('grants the client default scopes for an empty scope, and says so', async () => {
    const params = fragmentOf(await signInAndDecide(server, implicit({ scope: '' })));
    assert.equal(params.get('scope'), 'profile read');
  });

  it('grants only the scope asked for', async () => {
    const params = fragmentOf(await signInAndDecide(server, implicit({ scope: 'read' })));
    assert.equal(params.get('scope'), 'read');
  });

  it('omits state when the request had none', async () => {
    const { state, ...params } = implicit();
    const fragment = fragmentOf(await signInAndDecide(server, params));
    assert.ok(fragment.get('access_token'));
    assert.equal(fragment.has('state'), false);
  });
});

describe('code grant happy path (RFC 6749 §4.1.2, RFC 9207)', () => {
  it('redirects with code, state and iss in the query', async () => {
    const { challenge } = pkcePair();
    const response = await signInAndDecide(
      server,
      implicit({ response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    const location = new URL(response.headers.get('location'));
    assert.equal(location.hash, '');
    assert.deepEqual([...queryOf(response).keys()], ['code', 'state', 'iss']);
    assert.match(queryOf(response).get('code'), /^[A-Za-z0-9_-]{43}$/);
    assert.equal(queryOf(response).get('state'), 'st-1');
    assert.equal(queryOf(response).get('iss'), server.url);
  });
});

describe('login', () => {
  it('shows the login form with the demo credentials to a new browser', async () => {
    const page = await (await fetch(server.url + authorizePath(implicit()))).text();
    assert.match(page, /action="\/login"/);
    assert.match(page, /Demo account: demo \/ demo/);
    assert.match(page, /oauth-elements demo/);
  });

  it('shows an error and the form again after a wrong password, and issues nothing', async () => {
    const browser = new Browser();
    const first = await (await browser.fetch(server.url + authorizePath(implicit()))).text();
    const response = await browser.postForm(`${server.url}/login`, {
      transaction_id: transactionIdIn(first),
      username: 'demo',
      password: 'wrong',
    });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('location'), null);
    const page = await response.text();
    assert.match(page, /Wrong username or password/);
    assert.match(page, /action="\/login"/);
    assert.match(page, /value="demo"/);
    assert.doesNotMatch(page, /action="\/authorize\/decision"/);
  });

  it('lets the user retry after a wrong password', async () => {
    const browser = new Browser();
    const first = await (await browser.fetch(server.url + authorizePath(implicit()))).text();
    const transaction_id = transactionIdIn(first);
    await browser.postForm(`${server.url}/login`, { transaction_id, username: 'demo', password: 'nope' });
    const retry = await browser.postForm(`${server.url}/login`, { transaction_id, username: 'demo', password: 'demo' });
    assert.equal(retry.status, 200);
    assert.match(await retry.text(), /action="\/authorize\/decision"/);
  });

  it('starts a new session id at sign-in (no session fixation)', async () => {
    const browser = new Browser();
    const first = await (await browser.fetch(server.url + authorizePath(implicit()))).text();
    const before = [...browser.cookies.values()][0];
    await browser.postForm(`${server.url}/login`, { transaction_id: transactionIdIn(first), username: 'demo', password: 'demo' });
    const afterLogin = [...browser.cookies.values()][0];
    assert.ok(before && afterLogin);
    assert.notEqual(afterLogin, before);
  });

  it('remembers the sign-in, so a second request in the same browser only asks for consent', async () => {
    const browser = new Browser();
    await signInAndDecide(server, implicit(), { browser });
    const page = await (await browser.fetch(server.url + authorizePath(implicit()))).text();
    assert.doesNotMatch(page, /action="\/login"/);
    assert.match(page, /action="\/authorize\/decision"/);
    assert.match(page, /Ada Demo/);
  });
});

describe('consent', () => {
  it('names the client and lists the requested scopes with descriptions', async () => {
    const browser = new Browser();
    const first = await (await browser.fetch(server.url + authorizePath(implicit({ client_id: 'other-app', scope: 'read' })))).text();
    const page = await (
      await browser.postForm(`${server.url}/login`, { transaction_id: transactionIdIn(first), username: 'demo', password: 'demo' })
    ).text();
    assert.match(page, /Second demo app/);
    assert.match(page, /<li><code>read<\/code>: Read your data<\/li>/);
    assert.doesNotMatch(page, /<code>profile<\/code>/);
    assert.match(page, /value="allow"/);
    assert.match(page, /value="deny"/);
  });

  async function consentTransaction(browser) {
    const first = await (await browser.fetch(server.url + authorizePath(implicit()))).text();
    const page = await (
      await browser.postForm(`${server.url}/login`, { transaction_id: transactionIdIn(first), username: 'demo', password: 'demo' })
    ).text();
    return transactionIdIn(page);
  }

  it('refuses a decision from a browser without the session (CSRF)', async () => {
    const transaction_id = await consentTransaction(new Browser());
    const response = await new Browser().postForm(`${server.url}/authorize/decision`, { transaction_id, decision: 'allow' });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('location'), null);
  });

  it('refuses a decision for a transaction id the session does not hold', async () => {
    const browser = new Browser();
    await consentTransaction(browser);
    const response = await browser.postForm(`${server.url}/authorize/decision`, { transaction_id: 'forged', decision: 'allow' });
    assert.ok(response.status === 400 || response.status === 403, `status ${response.status}`);
    assert.equal(response.headers.get('location'), null);
  });

  it('answers a transaction only once', async () => {
    const browser = new Browser();
    const transaction_id = await consentTransaction(browser);
    const first = await browser.postForm(`${server.url}/authorize/decision`, { transaction_id, decision: 'allow' });
    assert.equal(first.status, 302);
    const second = await browser.postForm(`${server.url}/authorize/decision`, { transaction_id, decision: 'allow' });
    assert.equal(second.headers.get('location'), null);
    assert.ok(second.status >= 400);
  });

  it('forgets a denied transaction too', async () => {
    const browser = new Browser();
    const transaction_id = await consentTransaction(browser);
    const denied = await browser.postForm(`${server.url}/authorize/decision`, { transaction_id, decision: 'deny' });
    assert.equal(fragmentOf(denied).get('error'), 'access_denied');
    const again = await browser.postForm(`${server.url}/authorize/decision`, { transaction_id, decision: 'allow' });
    assert.equal(again.headers.get('location'), null);
  });
});

describe('autoApprove', () => {
  it('skips login and consent and signs in as the demo user', async () => {
    const { server: auto } = await startWithClock({ autoApprove: true });
    try {
      const response = await fetch(auto.url + authorizePath(implicit()), { redirect: 'manual' });
      assert.equal(response.status, 302);
      const token = fragmentOf(response).get('access_token');
      const profile = await fetch(`${auto.url}/api/profile`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal((await profile.json()).name, 'Ada Demo');
    } finally {
      await auto.close();
    }
  });

  it('is off by default', async () => {
    const response = await fetch(server.url + authorizePath(implicit()), { redirect: 'manual' });
    assert.equal(response.status, 200);
  });
});
