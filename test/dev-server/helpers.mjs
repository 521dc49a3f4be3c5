import { createHash, randomBytes } from 'node:crypto';
import { after } from 'node:test';
import { startAuthServer } from '../../dev-server/auth-server.mjs';

export const DEMO_REDIRECT = 'http://localhost:8000/';
export const LOOPBACK_ORIGIN = 'http://localhost:8000';

/** Starts a server on a free port with a clock the test moves by hand. */
export async function startWithClock(options = {}) {
  const clock = { ms: Date.parse('2030-01-01T00:00:00Z') };
  const server = await startAuthServer({ port: 0, now: () => clock.ms, ...options });
  return {
    server,
    advance: (seconds) => {
      clock.ms += seconds * 1000;
    },
  };
}

/** A `startWithClock` for one test file: every server it starts is closed after the file's tests. */
export function startClosedAfterAll() {
  const started = [];
  after(() => Promise.all(started.map(({ server }) => server.close())));
  return async (options) => {
    const server = await startWithClock(options);
    started.push(server);
    return server;
  };
}

export const authorizePath = (params) => `/authorize?${new URLSearchParams(params)}`;

/** A minimal cookie jar: enough for one server's session cookie. */
export class Browser {
  cookies = new Map();

  async fetch(url, init = {}) {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await fetch(url, { redirect: 'manual', ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return response;
  }

  postForm(url, fields) {
    return this.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });
  }
}

export function transactionIdIn(html) {
  const match = /name="transaction_id" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`No transaction_id in page:\n${html}`);
  return match[1];
}

/**
 * Walks the login and consent pages like a user would and returns the final response
 * (the redirect back to the client, or a page).
 */
export async function signInAndDecide(server, params, { decision = 'allow', browser = new Browser() } = {}) {
  const first = await browser.fetch(server.url + authorizePath(params));
  if (first.status !== 200) throw new Error(`Expected the login page, got ${first.status}`);
  let page = await first.text();
  if (page.includes('action="/login"')) {
    const login = await browser.postForm(`${server.url}/login`, {
      transaction_id: transactionIdIn(page),
      username: 'demo',
      password: 'demo',
    });
    page = await login.text();
  }
  return browser.postForm(`${server.url}/authorize/decision`, { transaction_id: transactionIdIn(page), decision });
}

/** The parameters of a redirect, from the fragment or the query. */
export function fragmentOf(response) {
  const location = response.headers.get('location');
  if (!location) throw new Error(`Expected a redirect, got ${response.status}`);
  return new URLSearchParams(new URL(location).hash.slice(1));
}

export function queryOf(response) {
  const location = response.headers.get('location');
  if (!location) throw new Error(`Expected a redirect, got ${response.status}`);
  return new URL(location).searchParams;
}

export function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function postForm(url, fields, headers = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  });
}

/** Gets an authorization code without the forms; `server` must use `autoApprove`. */
export async function authorizationCode(server, { clientId = 'demo-app', scope = 'profile read', redirectUri = DEMO_REDIRECT } = {}) {
  const { verifier, challenge } = pkcePair();
  const response = await fetch(
    server.url +
      authorizePath({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirectUri,
        scope,
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
    { redirect: 'manual' },
  );
  const code = queryOf(response).get('code');
  if (!code) throw new Error(`No code in ${response.headers.get('location')}`);
  return { code, verifier };
}

export function exchangeCode(server, { code, verifier, redirectUri = DEMO_REDIRECT, clientId = 'demo-app' }) {
  return postForm(`${server.url}/token`, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    client_id: clientId,
    code_verifier: verifier,
  });
}

/** An implicit-grant access token without the forms; `server` must use `autoApprove`. */
export async function implicitToken(server, scope = 'profile read') {
  const response = await fetch(
    server.url +
      authorizePath({
        response_type: 'token',
        client_id: 'demo-app',
        redirect_uri: DEMO_REDIRECT,
        scope,
        state: 's',
      }),
    { redirect: 'manual' },
  );
  const token = fragmentOf(response).get('access_token');
  if (!token) throw new Error(`No token in ${response.headers.get('location')}`);
  return token;
}
