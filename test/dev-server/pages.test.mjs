import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Browser, DEMO_REDIRECT, authorizePath, startWithClock, transactionIdIn } from './helpers.mjs';

let server;
before(async () => {
  ({ server } = await startWithClock({
    clients: [
      {
        id: 'sneaky',
        name: '<script>alert("name")</script>',
        redirectUris: ['http://127.0.0.1:5555/cb?a=1&b="2"'],
        scopes: ['profile'],
      },
    ],
  }));
});
after(() => server.close());

const request = { response_type: 'token', client_id: 'demo-app', redirect_uri: DEMO_REDIRECT, scope: 'profile read', state: 's' };

function directives(response) {
  return new Map(
    response.headers
      .get('content-security-policy')
      .split(';')
      .map((d) => {
        const [name, ...sources] = d.trim().split(/\s+/);
        return [name, sources];
      }),
  );
}

function assertHardened(response) {
  assert.equal(response.headers.get('x-frame-options'), 'DENY');
  assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const csp = directives(response);
  assert.deepEqual(csp.get('default-src'), ["'none'"]);
  assert.deepEqual(csp.get('style-src'), ["'self'"]);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
  assert.ok(csp.get('form-action').includes("'self'"));
  assert.doesNotMatch(response.headers.get('content-security-policy'), /unsafe/);
}

function assertNoInlineCode(page) {
  assert.doesNotMatch(page, /<script|<style| style=| on[a-z]+=/i);
}

async function consent(params = request) {
  const browser = new Browser();
  const first = await (await browser.fetch(server.url + authorizePath(params))).text();
  return browser.postForm(`${server.url}/login`, { transaction_id: transactionIdIn(first), username: 'demo', password: 'demo' });
}

describe('HTML pages', () => {
  it('send the login page hardened, with no inline code', async () => {
    const response = await fetch(server.url + authorizePath(request));
    assertHardened(response);
    assert.deepEqual(directives(response).get('form-action'), ["'self'"]);
    assertNoInlineCode(await response.text());
  });

  it('send the consent page hardened, letting the form end at the client origin only', async () => {
    const response = await consent();
    assertHardened(response);
    assert.deepEqual(directives(response).get('form-action'), ["'self'", 'http://localhost:8000']);
    assertNoInlineCode(await response.text());
  });

  it('send the error page hardened', async () => {
    const response = await fetch(server.url + authorizePath({ ...request, client_id: 'nobody' }));
    assertHardened(response);
    assertNoInlineCode(await response.text());
  });

  it('serve their stylesheet from this origin', async () => {
    const page = await (await fetch(server.url + authorizePath(request))).text();
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page)[1];
    const css = await fetch(new URL(href, server.url));
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type'), /^text\/css/);
    assert.match(await css.text(), /button/);
  });

  it('escape the client name and redirect URI on the login and consent pages', async () => {
    const params = { ...request, client_id: 'sneaky', redirect_uri: 'http://127.0.0.1:5555/cb?a=1&b="2"', scope: 'profile' };
    const login = await (await fetch(server.url + authorizePath(params))).text();
    const consentPage = await (await consent(params)).text();
    for (const page of [login, consentPage]) {
      assert.doesNotMatch(page, /<script>/);
      assert.match(page, /&#60;script&#62;alert\(&#34;name&#34;\)&#60;\/script&#62;/);
    }
    assert.match(consentPage, /cb\?a=1&#38;b=&#34;2&#34;/);
  });

  it('escape what the user typed when the login page comes back', async () => {
    const browser = new Browser();
    const first = await (await browser.fetch(server.url + authorizePath(request))).text();
    const page = await (
      await browser.postForm(`${server.url}/login`, {
        transaction_id: transactionIdIn(first),
        username: '"><script>x()</script>',
        password: 'x',
      })
    ).text();
    assert.doesNotMatch(page, /<script>/);
    assert.match(page, /value="&#34;&#62;&#60;script&#62;x\(\)&#60;\/script&#62;"/);
  });
});
