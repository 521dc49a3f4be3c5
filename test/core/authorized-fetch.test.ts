import { expect } from '@open-wc/testing';
import type { OAuthError } from '../../src/core/errors.js';
import { CODE_GRANT, createTestSession, land, signIn, type TestSession } from '../helpers/session-harness.js';

const API = 'https://api.example/me';

interface SeenRequest {
  url: string;
  method: string;
  authorization: string | null;
  dpop: string | null;
  redirect: RequestRedirect;
}

/**
 * A resource server at https://api.example behind the page's fetch: `answer` gives each
 * response in turn; every request it sees is kept.
 */
function resourceServer(context: TestSession, ...answers: (() => Response)[]) {
  const seen: SeenRequest[] = [];
  const providerFetch = context.effects.fetch;
  context.effects.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    if (!(input instanceof Request) || !input.url.startsWith('https://api.example/')) return providerFetch(input, init);
    const request = new Request(input, init);
    seen.push({
      url: request.url,
      method: request.method,
      authorization: request.headers.get('Authorization'),
      dpop: request.headers.get('DPoP'),
      redirect: request.redirect,
    });
    const answer = answers.shift();
    return Promise.resolve(answer ? answer() : Response.json({ ok: true }));
  }) as typeof fetch;
  return seen;
}

const tokens = (accessToken: string, extra: Record<string, unknown> = {}) =>
  Response.json({ access_token: accessToken, token_type: 'Bearer', expires_in: 600, ...extra });

/** A session signed in with the code grant; the token endpoint's answers are `answers`, in turn. */
async function signedIn(options = {}, ...answers: (() => Response)[]): Promise<TestSession> {
  const context = createTestSession({ ...CODE_GRANT, ...options });
  context.provider.tokenAnswers.push(...answers);
  const { state } = await signIn(context);
  const landed = await land(context, `?code=c&state=${state}`, {}, { heard: context.heard });
  expect(context.heard.errors).to.deep.equal([]);
  return landed;
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('resolved'),
    (error: OAuthError) => error.detail,
  );

const claims = (jwt: string) => JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;

describe('login.fetch: the page’s own API calls under the token’s rules', () => {
  it('adds Authorization: Bearer and refuses to follow redirects', async () => {
    const context = await signedIn({}, () => tokens('at1'));
    const seen = resourceServer(context);
    const response = await context.session.fetch(API, { method: 'POST', body: 'x' });
    expect(await response.json()).to.deep.equal({ ok: true });
    expect(seen).to.deep.equal([{ url: API, method: 'POST', authorization: 'Bearer at1', dpop: null, redirect: 'manual' }]);
  });

  it('refuses a URL that may not carry the token (http, not loopback) before any request: invalid_config', async () => {
    const context = await signedIn({}, () => tokens('at1'));
    const seen = resourceServer(context);
    expect((await rejection(context.session.fetch('http://api.example/me'))).error).to.equal('invalid_config');
    expect(seen).to.deep.equal([]);
  });

  it('rejects a redirect instead of following it with the token', async () => {
    const context = await signedIn({}, () => tokens('at1'));
    resourceServer(context, () => new Response(null, { status: 302, headers: { Location: 'https://evil.example/' } }));
    expect(await rejection(context.session.fetch(API))).to.include({ error: 'http_error', status: 302 });
  });

  it('never sends an expired token: invalid_token, no request', async () => {
    const context = await signedIn({}, () => tokens('at1', { expires_in: 5 }));
    const seen = resourceServer(context);
    context.effects.advance(5000);
    expect((await rejection(context.session.fetch(API))).error).to.equal('invalid_token');
    expect(seen).to.deep.equal([]);
  });

  it('on a 401 invalid_token, renews once with the refresh token and retries once', async () => {
    const context = await signedIn(
      {},
      () => tokens('at1', { refresh_token: 'rt1' }),
      () => tokens('at2', { refresh_token: 'rt2' }),
    );
    const refused = () => new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } });
    const seen = resourceServer(context, refused);
    const response = await context.session.fetch(API);
    expect(response.status).to.equal(200);
    expect(seen.map((request) => request.authorization)).to.deep.equal(['Bearer at1', 'Bearer at2']);
    expect(context.provider.tokenRequests().map((body) => body.get('grant_type'))).to.deep.equal(['authorization_code', 'refresh_token']);
  });

  it('a second 401 after the renewal is invalid_token, with no second renewal', async () => {
    const context = await signedIn(
      {},
      () => tokens('at1', { refresh_token: 'rt1' }),
      () => tokens('at2', { refresh_token: 'rt2' }),
    );
    const refused = () =>
      new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="revoked"' } });
    const seen = resourceServer(context, refused, refused);
    expect(await rejection(context.session.fetch(API))).to.deep.equal({ error: 'invalid_token', description: 'revoked', status: 401 });
    expect(seen).to.have.length(2);
    expect(context.provider.tokenRequests()).to.have.length(2);
  });

  it('without a refresh token, a 401 is invalid_token at once', async () => {
    const context = await signedIn({}, () => tokens('at1'));
    const seen = resourceServer(context, () => new Response(null, { status: 401 }));
    expect((await rejection(context.session.fetch(API))).error).to.equal('invalid_token');
    expect(seen).to.have.length(1);
  });

  it('a 403 insufficient_scope names the scope; a 401 insufficient_user_authentication says what to step up to', async () => {
    const context = await signedIn({}, () => tokens('at1', { refresh_token: 'rt1' }));
    resourceServer(
      context,
      () => new Response(null, { status: 403, headers: { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="admin"' } }),
      () =>
        new Response(null, {
          status: 401,
          headers: { 'WWW-Authenticate': 'Bearer error="insufficient_user_authentication", acr_values="urn:mfa", max_age="300"' },
        }),
    );
    expect(await rejection(context.session.fetch(API))).to.include({ error: 'insufficient_scope', scope: 'admin', status: 403 });
    expect(await rejection(context.session.fetch(API))).to.include({
      error: 'insufficient_user_authentication',
      acrValues: 'urn:mfa',
      maxAge: 300,
    });
    expect(context.provider.tokenRequests(), 'a step-up is no reason to renew').to.have.length(1);
  });

  it('other answers are the caller’s: a 500 resolves', async () => {
    const context = await signedIn({}, () => tokens('at1'));
    resourceServer(context, () => new Response('boom', { status: 500 }));
    expect((await context.session.fetch(API)).status).to.equal(500);
  });
});

describe('DPoP (RFC 9449)', () => {
  const dpopTokens = (accessToken: string, extra: Record<string, unknown> = {}) =>
    Response.json({ access_token: accessToken, token_type: 'DPoP', expires_in: 600, ...extra });

  it('proves the key at the token endpoint and gets a DPoP token; resource requests carry a fresh proof with ath', async () => {
    const context = createTestSession({ ...CODE_GRANT, dpop: true });
    let tokenProof: string | null = null;
    const providerFetch = context.provider.fetch;
    context.effects.fetch = ((input: RequestInfo | URL, init: RequestInit = {}) => {
      tokenProof ??= new Headers(init.headers).get('DPoP');
      return providerFetch(input, init);
    }) as typeof fetch;
    context.provider.tokenAnswers.push(() => dpopTokens('at1'));
    const { state } = await signIn(context);
    const { session, heard } = await land(context, `?code=c&state=${state}`);
    expect(heard.tokens.map((token) => token.tokenType)).to.deep.equal(['DPoP']);
    expect(claims(tokenProof!)).to.include({ htm: 'POST', htu: 'https://id.example/token' });

    const seen = resourceServer({ ...context, session });
    await session.fetch(`${API}?q=1#f`);
    await session.fetch(API);
    expect(seen.map((request) => request.authorization)).to.deep.equal(['DPoP at1', 'DPoP at1']);
    const [first, second] = seen.map((request) => claims(request.dpop!));
    expect(first).to.include({ htm: 'GET', htu: API });
    const ath = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode('at1')));
    expect(first.ath).to.equal(
      btoa(String.fromCharCode(...ath))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, ''),
    );
    expect(first.jti).to.not.equal(second.jti);
  });

  it('with a provider that answers Bearer, works with the bearer token and says so in tokenType', async () => {
    const context = createTestSession({ ...CODE_GRANT, dpop: true });
    context.provider.tokenAnswers.push(() => tokens('at1'));
    const { state } = await signIn(context);
    const { session, heard } = await land(context, `?code=c&state=${state}`);
    expect(heard.tokens.map((token) => token.tokenType)).to.deep.equal(['Bearer']);
    const seen = resourceServer({ ...context, session });
    await session.fetch(API);
    expect(seen[0]).to.include({ authorization: 'Bearer at1', dpop: null });
  });

  it('retries the token request once with the nonce the server asks for, and a second refusal is an error, not a loop', async () => {
    const context = createTestSession({ ...CODE_GRANT, dpop: true });
    const proofs: string[] = [];
    const providerFetch = context.provider.fetch;
    context.effects.fetch = ((input: RequestInfo | URL, init: RequestInit = {}) => {
      const proof = new Headers(init.headers).get('DPoP');
      if (proof) proofs.push(proof);
      return providerFetch(input, init);
    }) as typeof fetch;
    const askForNonce = (nonce: string) => () =>
      Response.json(
        { error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof' },
        { status: 400, headers: { 'DPoP-Nonce': nonce } },
      );
    context.provider.tokenAnswers.push(askForNonce('n1'), askForNonce('n2'));
    const { state } = await signIn(context);
    const { heard } = await land(context, `?code=c&state=${state}`);
    expect(proofs.map((proof) => claims(proof).nonce)).to.deep.equal([undefined, 'n1']);
    expect(heard.errors.map((error) => error.error)).to.deep.equal(['use_dpop_nonce']);
  });

  it('a resource server that asks for a nonce gets one retry with it', async () => {
    const context = createTestSession({ ...CODE_GRANT, dpop: true });
    context.provider.tokenAnswers.push(() => dpopTokens('at1'));
    const { state } = await signIn(context);
    const { session } = await land(context, `?code=c&state=${state}`);
    const askForNonce = () =>
      new Response(null, { status: 401, headers: { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce"', 'DPoP-Nonce': 'rn1' } });
    const seen = resourceServer({ ...context, session }, askForNonce, askForNonce);
    expect((await rejection(session.fetch(API))).error).to.equal('invalid_token');
    expect(seen.map((request) => claims(request.dpop!).nonce)).to.deep.equal([undefined, 'rn1']);
  });

  it('is invalid_config with the implicit grant, before any navigation', async () => {
    const { session, heard, effects } = createTestSession({ dpop: true });
    await session.signIn();
    expect(heard.errors.map((error) => [error.error, error.description])).to.deep.equal([
      ['invalid_config', 'dpop needs response-type="code": the implicit grant cannot bind a token'],
    ]);
    expect(effects.navigations).to.deep.equal([]);
  });

  it('is invalid_config when discovery says the provider takes no ES256 proofs', async () => {
    const { session, heard, effects, provider } = createTestSession({
      responseType: 'code',
      issuer: 'https://id.example',
      authorizeUrl: null,
      dpop: true,
    });
    provider.discovery.dpop_signing_alg_values_supported = ['PS256'];
    await session.signIn();
    expect(heard.errors.map((error) => error.error)).to.deep.equal(['invalid_config']);
    expect(effects.navigations).to.deep.equal([]);
  });

  it('refuses a DPoP token_type it did not ask for', async () => {
    const context = await signedIn({}, () => dpopTokens('at1')).catch(() => null);
    expect(context).to.equal(null);
  });
});
