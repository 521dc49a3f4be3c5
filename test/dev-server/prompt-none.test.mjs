// prompt=none (OpenID Connect Core §3.1.2.6), which silent renewal sends from a hidden
// frame: never a page, a token when the login session and the consent are there, and
// otherwise the error that says which page it would have needed, at the redirect URI.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Browser, DEMO_REDIRECT, authorizePath, fragmentOf, signInAndDecide, startClosedAfterAll } from './helpers.mjs';

const start = startClosedAfterAll();

const implicit = (extra = {}) => ({
  response_type: 'token',
  client_id: 'demo-app',
  redirect_uri: DEMO_REDIRECT,
  scope: 'profile read',
  state: 'st-silent',
  ...extra,
});

/** A browser signed in at `server` that consented to `scope` for demo-app. */
async function signedInBrowser(server, scope = 'profile read') {
  const browser = new Browser();
  const answer = await signInAndDecide(server, implicit({ scope }), { browser });
  assert.equal(answer.status, 302);
  assert.ok(fragmentOf(answer).get('access_token'));
  return browser;
}

const silently = (server, browser, extra) => browser.fetch(server.url + authorizePath(implicit({ prompt: 'none', ...extra })));

/** The error a prompt=none request redirected back, checked to be a redirect to the client with state and iss. */
function silentError(server, response) {
  assert.equal(response.status, 302, 'a redirect, never a page');
  assert.ok(response.headers.get('location').startsWith(DEMO_REDIRECT + '#'));
  const fragment = fragmentOf(response);
  assert.equal(fragment.get('state'), 'st-silent');
  assert.equal(fragment.get('iss'), server.url);
  assert.equal(fragment.get('access_token'), null);
  return fragment.get('error');
}

describe('prompt=none', () => {
  it('without a login session: login_required at the redirect URI, with state and iss', async () => {
    const { server } = await start();
    assert.equal(silentError(server, await silently(server, new Browser())), 'login_required');
    assert.deepEqual(server.silentRequests, [{ clientId: 'demo-app', outcome: 'login_required' }]);
  });

  it('with a login session and consent: a new token at once, no page', async () => {
    const { server } = await start();
    const browser = await signedInBrowser(server);
    const response = await silently(server, browser);
    assert.equal(response.status, 302);
    const fragment = fragmentOf(response);
    assert.ok(fragment.get('access_token'));
    assert.equal(fragment.get('state'), 'st-silent');
    assert.equal(fragment.get('token_type'), 'Bearer');
    assert.deepEqual(server.silentRequests, [{ clientId: 'demo-app', outcome: 'issued' }]);
  });

  it('for a scope the user did not consent to: consent_required', async () => {
    const { server } = await start();
    const browser = await signedInBrowser(server, 'profile');
    assert.equal(silentError(server, await silently(server, browser, { scope: 'profile read' })), 'consent_required');
  });

  it('once the login session has lasted loginSessionSeconds: login_required', async () => {
    const { server, advance } = await start({ loginSessionSeconds: 60 });
    const browser = await signedInBrowser(server);
    advance(59);
    assert.equal((await silently(server, browser)).headers.get('location').includes('access_token='), true);
    advance(1);
    assert.equal(silentError(server, await silently(server, browser)), 'login_required');
  });

  it('with loginSessionSeconds 0 remembers no sign-in: login_required right after one', async () => {
    const { server } = await start({ loginSessionSeconds: 0 });
    const browser = await signedInBrowser(server);
    assert.equal(silentError(server, await silently(server, browser)), 'login_required');
  });

  it('after endLoginSessions: login_required', async () => {
    const { server, advance } = await start();
    const browser = await signedInBrowser(server);
    advance(1);
    server.endLoginSessions();
    advance(1);
    assert.equal(silentError(server, await silently(server, browser)), 'login_required');
  });

  it('with autoApprove: login_required until a sign-in with a page, then a token', async () => {
    const { server } = await start({ autoApprove: true });
    const browser = new Browser();
    assert.equal(silentError(server, await silently(server, browser)), 'login_required');
    assert.ok(fragmentOf(await browser.fetch(server.url + authorizePath(implicit()))).get('access_token'));
    assert.ok(fragmentOf(await silently(server, browser)).get('access_token'));
    assert.deepEqual(
      server.silentRequests.map(({ outcome }) => outcome),
      ['login_required', 'issued'],
    );
  });

  it('with another prompt value beside none: invalid_request', async () => {
    const { server } = await start();
    assert.equal(silentError(server, await silently(server, new Browser(), { prompt: 'none login' })), 'invalid_request');
  });
});
