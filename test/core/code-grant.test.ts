import { expect } from '@open-wc/testing';
import { CallbackInbox } from '../../src/core/callback-inbox.js';
import { clearDiscoveryCache } from '../../src/core/discovery.js';
import type { OAuthErrorDetail } from '../../src/core/errors.js';
import type { LoginOptions } from '../../src/core/login-config.js';
import { LoginSession, type SignOutReason } from '../../src/core/login-session.js';
import { s256 } from '../../src/core/pkce.js';
import type { TokenDetail } from '../../src/core/token.js';
import { FakeEffects, FakeTabs } from '../helpers/fake-effects.js';
import { reachableStrings } from '../helpers/reachable-strings.mjs';

const PAGE = 'https://app.example/page';
const ISSUER = 'https://id.example';

interface Recorded {
  url: string;
  body: URLSearchParams;
}

/** A fake provider behind FakeEffects.fetch: a token endpoint, a revocation endpoint, a discovery document. */
class FakeProvider {
  requests: Recorded[] = [];
  tokenAnswers: (() => Response)[] = [];
  discovery: Record<string, unknown> = {
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/authorize`,
    token_endpoint: `${ISSUER}/token`,
    revocation_endpoint: `${ISSUER}/revoke`,
    end_session_endpoint: `${ISSUER}/logout`,
    authorization_response_iss_parameter_supported: true,
  };

  fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = String(input);
    this.requests.push({ url, body: new URLSearchParams(String(init.body ?? '')) });
    if (url === `${ISSUER}/.well-known/openid-configuration`) return Response.json(this.discovery);
    if (url.endsWith('/revoke')) return new Response(null, { status: 200 });
    const answer = this.tokenAnswers.shift();
    if (!answer) return Response.json({ error: 'invalid_grant', error_description: 'no answer prepared' }, { status: 400 });
    return answer();
  };

  tokenRequests(): URLSearchParams[] {
    return this.requests.filter((request) => request.url.endsWith('/token')).map((request) => request.body);
  }
}

/** Lets fetch promises and their continuations run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${encode({ alg: 'none' })}.${encode(claims)}.signature`;
}

function setUp(options: LoginOptions = {}, tabs = new FakeTabs()) {
  const effects = new FakeEffects(PAGE, tabs);
  const provider = new FakeProvider();
  effects.fetch = provider.fetch as typeof fetch;
  const heard: { tokens: TokenDetail[]; signouts: SignOutReason[]; errors: OAuthErrorDetail[]; order: string[] } = {
    tokens: [],
    signouts: [],
    errors: [],
    order: [],
  };
  const allOptions = {
    clientId: 'app',
    responseType: 'code',
    tokenUrl: `${ISSUER}/token`,
    authorizeUrl: `${ISSUER}/authorize`,
    scope: 'read',
    ...options,
  };
  const makeSession = () =>
    new LoginSession(
      effects,
      allOptions,
      {
        token: (token) => (heard.tokens.push(token), heard.order.push('token')),
        signout: (reason) => (heard.signouts.push(reason), heard.order.push(`signout:${reason}`)),
        error: (error) => (heard.errors.push(error), heard.order.push(`error:${error.error}`)),
      },
      new CallbackInbox(),
    );
  return { effects, provider, heard, makeSession, options: allOptions };
}

/** Signs in, then lands on `query` (built from the state and the authorization URL) in a new session. */
async function signInAndLand(context: ReturnType<typeof setUp>, response: (state: string, authorization: URL) => string) {
  await context.makeSession().signIn();
  const authorization = new URL(context.effects.navigations.at(-1)!);
  context.effects.url = PAGE + response(authorization.searchParams.get('state')!, authorization);
  const session = context.makeSession();
  session.captureCallback();
  await session.start();
  return { session, authorization };
}

describe('authorization code with PKCE (RFC 7636)', () => {
  beforeEach(clearDiscoveryCache);

  it('sends an S256 challenge of a 256-bit verifier, and the verifier only in the exchange', async () => {
    const context = setUp();
    context.provider.tokenAnswers.push(() => Response.json({ access_token: 'at', token_type: 'Bearer', expires_in: 3600 }));
    const { authorization, session } = await signInAndLand(context, (state) => `?code=the-code&state=${state}`);
    expect(authorization.searchParams.get('response_type')).to.equal('code');
    expect(authorization.searchParams.get('code_challenge_method')).to.equal('S256');
    const [exchange] = context.provider.tokenRequests();
    const verifier = exchange.get('code_verifier')!;
    expect(verifier).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(authorization.href).to.not.contain(verifier);
    expect(authorization.searchParams.get('code_challenge')).to.equal(await s256(verifier));
    expect(Object.fromEntries(exchange)).to.include({
      grant_type: 'authorization_code',
      code: 'the-code',
      client_id: 'app',
      redirect_uri: PAGE,
    });
    expect(session.token!.accessToken).to.equal('at');
    expect(context.heard.order).to.deep.equal(['token']);
  });

  it("removes code, state and iss from the address bar before the exchange, keeping the page's own query", async () => {
    const context = setUp();
    let urlDuringExchange = '';
    context.provider.tokenAnswers.push(
      () => ((urlDuringExchange = context.effects.url), Response.json({ access_token: 'at', token_type: 'Bearer' })),
    );
    await signInAndLand(context, (state) => `?tab=2&code=c&state=${state}&iss=${encodeURIComponent(ISSUER)}&view=list#section`);
    expect(urlDuringExchange).to.equal(`${PAGE}?tab=2&view=list#section`);
    expect(context.effects.url).to.equal(`${PAGE}?tab=2&view=list#section`);
  });

  it('leaves a query without state and code alone', async () => {
    const context = setUp();
    context.effects.url = `${PAGE}?code=abc`;
    const session = context.makeSession();
    session.captureCallback();
    await session.start();
    expect(context.effects.url).to.equal(`${PAGE}?code=abc`);
    expect(context.heard.order).to.deep.equal([]);
  });

  it('exchanges each code once: a replayed callback is invalid_state and makes no request', async () => {
    const context = setUp();
    context.provider.tokenAnswers.push(() => Response.json({ access_token: 'at', token_type: 'Bearer' }));
    let callback = '';
    await signInAndLand(context, (state) => (callback = `?code=c&state=${state}`));
    context.effects.url = PAGE + callback;
    const replay = context.makeSession();
    replay.captureCallback();
    await replay.start();
    expect(context.provider.tokenRequests()).to.have.length(1);
    expect(context.heard.order).to.deep.equal(['token', 'error:invalid_state']);
  });

  it("surfaces the token endpoint's error with the provider's code", async () => {
    const context = setUp();
    context.provider.tokenAnswers.push(() =>
      Response.json({ error: 'invalid_grant', error_description: 'Code already used' }, { status: 400 }),
    );
    await signInAndLand(context, (state) => `?code=c&state=${state}`);
    expect(context.heard.errors).to.deep.equal([{ error: 'invalid_grant', description: 'Code already used', status: 400 }]);
  });

  it('refuses a token in the query (implicit grant responses belong in the fragment)', async () => {
    const context = setUp({ responseType: 'token' });
    await signInAndLand(context, (state) => `?access_token=at&token_type=Bearer&state=${state}&code=x`);
    expect(context.heard.order).to.deep.equal(['error:invalid_response']);
  });

  it('needs a token-url', async () => {
    const context = setUp({ tokenUrl: null });
    await context.makeSession().signIn();
    expect(context.heard.errors[0].error).to.equal('invalid_config');
    expect(context.effects.navigations).to.deep.equal([]);
  });
});

describe('renewal with a refresh token', () => {
  beforeEach(clearDiscoveryCache);

  it('renews before expiry, keeps the refresh token in memory only, and announces the new token', async () => {
    const context = setUp({ storage: 'local' });
    context.provider.tokenAnswers.push(() =>
      Response.json({ access_token: 'at1', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt1' }),
    );
    context.provider.tokenAnswers.push(() =>
      Response.json({ access_token: 'at2', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt2' }),
    );
    const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
    const stored = [context.effects.local, context.effects.session].flatMap((storage) =>
      Array.from({ length: storage.length }, (_, i) => storage.getItem(storage.key(i)!)),
    );
    expect(stored.join()).to.contain('at1').and.not.contain('rt1');
    context.effects.advance(540_000);
    await settle();
    const renewal = context.provider.tokenRequests()[1];
    expect(Object.fromEntries(renewal)).to.deep.equal({ grant_type: 'refresh_token', refresh_token: 'rt1', client_id: 'app' });
    expect(session.token!.accessToken).to.equal('at2');
    expect(context.heard.order).to.deep.equal(['token', 'token']);
  });

  it('keeps the refresh token in a private field, out of reach of every script that can reach the session', async () => {
    const context = setUp();
    context.provider.tokenAnswers.push(() =>
      Response.json({ access_token: 'at1', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt-secret' }),
    );
    const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
    expect(session.token!.accessToken).to.equal('at1');
    expect(reachableStrings(session)).to.not.include('rt-secret');
  });

  it('with storage="session", another login of the same client in the page takes each renewed token instead of expiring it', async () => {
    const context = setUp({ storage: 'session' });
    context.provider.tokenAnswers.push(() =>
      Response.json({ access_token: 'at1', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt1' }),
    );
    context.provider.tokenAnswers.push(() =>
      Response.json({ access_token: 'at2', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt2' }),
    );
    const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
    const other = context.makeSession();
    await other.start();
    context.effects.advance(540_000);
    await settle();
    context.effects.advance(120_000);
    await settle();
    expect(context.provider.tokenRequests()).to.have.length(2);
    expect([session.token?.accessToken, other.token?.accessToken]).to.deep.equal(['at2', 'at2']);
    expect(context.heard.order).to.deep.equal(['token', 'token', 'token', 'token']);
  });

  it('after a failed renewal, lets the token run out (signout expired) and never retries', async () => {
    const context = setUp();
    context.provider.tokenAnswers.push(() =>
      Response.json({ access_token: 'at1', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt1' }),
    );
    context.provider.tokenAnswers.push(() => Response.json({ error: 'invalid_grant' }, { status: 400 }));
    await signInAndLand(context, (state) => `?code=c&state=${state}`);
    context.effects.advance(540_000);
    await settle();
    context.effects.advance(120_000);
    await settle();
    expect(context.provider.tokenRequests()).to.have.length(2);
    expect(context.heard.order).to.deep.equal(['token', 'error:invalid_grant', 'signout:expired']);
  });
});

describe('OpenID discovery and ID tokens', () => {
  beforeEach(clearDiscoveryCache);

  const idToken = (nonce: string, overrides: Record<string, unknown> = {}) =>
    jwt({ iss: ISSUER, aud: 'app', exp: Math.floor(Date.UTC(2027, 0, 1) / 1000), nonce, sub: 'u', ...overrides });

  it('takes the endpoints from the issuer, sends a nonce with openid, and checks it in the ID token', async () => {
    const context = setUp({ authorizeUrl: null, tokenUrl: null, issuer: ISSUER, scope: 'openid profile' });
    let sentNonce = '';
    context.provider.tokenAnswers.push(() => Response.json({ access_token: 'at', token_type: 'Bearer', id_token: idToken(sentNonce) }));
    const { session, authorization } = await signInAndLand(context, (state, auth) => {
      sentNonce = auth.searchParams.get('nonce')!;
      return `?code=c&state=${state}&iss=${encodeURIComponent(ISSUER)}`;
    });
    expect(authorization.origin + authorization.pathname).to.equal(`${ISSUER}/authorize`);
    expect(sentNonce).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(session.token!.idToken).to.equal(idToken(sentNonce));
    expect(context.provider.requests.filter((r) => r.url.includes('openid-configuration'))).to.have.length(1);
  });

  const badIdTokens: [string, (nonce: string) => string][] = [
    ['a wrong nonce', () => idToken('another-nonce')],
    ['another issuer', (nonce) => idToken(nonce, { iss: 'https://evil.example' })],
    ['another audience', (nonce) => idToken(nonce, { aud: 'other-app' })],
    ['an expired ID token', (nonce) => idToken(nonce, { exp: 1 })],
    ['no ID token at all', () => ''],
  ];
  for (const [name, makeIdToken] of badIdTokens) {
    it(`refuses ${name} with invalid_response and no token`, async () => {
      const context = setUp({ authorizeUrl: null, tokenUrl: null, issuer: ISSUER, scope: 'openid' });
      let nonce = '';
      context.provider.tokenAnswers.push(() =>
        Response.json({ access_token: 'at', token_type: 'Bearer', ...(makeIdToken(nonce) ? { id_token: makeIdToken(nonce) } : {}) }),
      );
      const { session } = await signInAndLand(
        context,
        (state, auth) => ((nonce = auth.searchParams.get('nonce')!), `?code=c&state=${state}&iss=${encodeURIComponent(ISSUER)}`),
      );
      expect(context.heard.order).to.deep.equal(['error:invalid_response']);
      expect(session.token).to.equal(null);
    });
  }

  it('refuses a discovery document whose issuer differs, with invalid_config and no navigation', async () => {
    const context = setUp({ authorizeUrl: null, issuer: ISSUER });
    context.provider.discovery.issuer = 'https://evil.example';
    await context.makeSession().signIn();
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
      await context.makeSession().signIn();
      expect(context.heard.errors.map((error) => error.error)).to.deep.equal(['invalid_config']);
      expect(context.effects.navigations).to.deep.equal([]);
    });
  }

  for (const issuer of ['http://id.example', `${ISSUER}/?tenant=x`, `${ISSUER}/#x`]) {
    it(`refuses the issuer ${issuer} before fetching anything`, async () => {
      const context = setUp({ authorizeUrl: null, tokenUrl: null, issuer });
      await context.makeSession().signIn();
      expect(context.heard.errors.map((error) => error.error)).to.deep.equal(['invalid_config']);
      expect(context.provider.requests).to.deep.equal([]);
    });
  }

  it('gives an issuer changed while discovery runs its own discovery, never the old endpoints', async () => {
    const context = setUp({ authorizeUrl: null, tokenUrl: null, issuer: ISSUER });
    const signingIn = context.makeSession().signIn();
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
    await context.makeSession().signIn();
    expect(context.effects.navigations[0]).to.match(/^https:\/\/other\.example\/auth\?/);
  });

  it('checks iss in the response (RFC 9207): a missing or different iss is invalid_response', async () => {
    for (const iss of ['', `&iss=${encodeURIComponent('https://evil.example')}`]) {
      const context = setUp({ authorizeUrl: null, tokenUrl: null, issuer: ISSUER });
      await signInAndLand(context, (state) => `?code=c&state=${state}${iss}`);
      expect(context.heard.order).to.deep.equal(['error:invalid_response']);
      expect(context.provider.tokenRequests()).to.have.length(0);
    }
  });
});

describe('signing out', () => {
  beforeEach(clearDiscoveryCache);

  it('clears locally first, then revokes the refresh and access tokens (RFC 7009)', async () => {
    const context = setUp({ revocationUrl: `${ISSUER}/revoke` });
    context.provider.tokenAnswers.push(() => Response.json({ access_token: 'at', token_type: 'Bearer', refresh_token: 'rt' }));
    const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
    session.signOut();
    expect(session.token).to.equal(null);
    expect(context.heard.order).to.deep.equal(['token', 'signout:user']);
    await settle();
    const revocations = context.provider.requests
      .filter((request) => request.url.endsWith('/revoke'))
      .map((request) => Object.fromEntries(request.body));
    expect(revocations).to.deep.equal([
      { token: 'rt', token_type_hint: 'refresh_token', client_id: 'app' },
      { token: 'at', token_type_hint: 'access_token', client_id: 'app' },
    ]);
  });

  it('is not blocked by a failing revocation', async () => {
    const context = setUp({ revocationUrl: `${ISSUER}/revoke` });
    context.provider.tokenAnswers.push(() => Response.json({ access_token: 'at', token_type: 'Bearer' }));
    const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
    context.effects.fetch = () => Promise.reject(new TypeError('offline'));
    session.signOut();
    await settle();
    expect(context.heard.order).to.deep.equal(['token', 'signout:user']);
  });

  it('ends the session at the provider when asked, with id_token_hint', async () => {
    const context = setUp({ authorizeUrl: null, tokenUrl: null, issuer: ISSUER, scope: 'openid' });
    let nonce = '';
    context.provider.tokenAnswers.push(() =>
      Response.json({ access_token: 'at', token_type: 'Bearer', id_token: jwt({ iss: ISSUER, aud: 'app', exp: 2e9, nonce }) }),
    );
    const { session } = await signInAndLand(
      context,
      (state, auth) => ((nonce = auth.searchParams.get('nonce')!), `?code=c&state=${state}&iss=${encodeURIComponent(ISSUER)}`),
    );
    session.signOut('user', { endSession: true });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const logout = new URL(context.effects.navigations.at(-1)!);
    expect(logout.origin + logout.pathname).to.equal(`${ISSUER}/logout`);
    expect(logout.searchParams.get('id_token_hint')).to.equal(session.token?.idToken ?? logout.searchParams.get('id_token_hint'));
    expect(logout.searchParams.get('post_logout_redirect_uri')).to.equal(PAGE);
  });
});

describe('across tabs', () => {
  beforeEach(clearDiscoveryCache);

  it('signing out in one tab signs out the others with reason other-tab', async () => {
    const tabs = new FakeTabs();
    const first = setUp({ responseType: 'token', storage: 'local' }, tabs);
    const { session: firstSession } = await signInAndLand(first, (state) => `#access_token=at&token_type=Bearer&state=${state}`);
    const second = setUp({ responseType: 'token', storage: 'local' }, tabs);
    Object.assign(second.effects, { localStorage: () => first.effects.local });
    const secondSession = second.makeSession();
    await secondSession.start();
    expect(second.heard.order).to.deep.equal(['token']);
    firstSession.signOut();
    expect(secondSession.token).to.equal(null);
    expect(second.heard.order).to.deep.equal(['token', 'signout:other-tab']);
  });

  it('with storage="local", signing in in one tab signs in the others', async () => {
    const tabs = new FakeTabs();
    const first = setUp({ responseType: 'token', storage: 'local' }, tabs);
    const second = setUp({ responseType: 'token', storage: 'local' }, tabs);
    Object.assign(second.effects, { localStorage: () => first.effects.local });
    const secondSession = second.makeSession();
    await secondSession.start();
    await signInAndLand(first, (state) => `#access_token=at&token_type=Bearer&state=${state}`);
    expect(second.heard.order).to.deep.equal(['token']);
    expect(secondSession.token!.accessToken).to.equal('at');
  });

  it('never puts a token in a message between tabs', async () => {
    const tabs = new FakeTabs();
    const spy = new FakeEffects(PAGE, tabs).openChannel('oauth-elements');
    const messages: unknown[] = [];
    spy.addEventListener('message', (event) => messages.push((event as MessageEvent).data));
    const first = setUp({ responseType: 'token', storage: 'local' }, tabs);
    const { session } = await signInAndLand(first, (state) => `#access_token=secret-at&token_type=Bearer&state=${state}`);
    session.signOut();
    expect(messages.map((message) => (message as { type: string }).type)).to.deep.equal(['token', 'signout']);
    expect(JSON.stringify(messages)).to.not.contain('secret-at');
  });
});
