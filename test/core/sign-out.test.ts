import { expect, waitUntil } from '@open-wc/testing';
import { clearDiscoveryCache } from '../../src/core/discovery.js';
import { OAuthError } from '../../src/core/errors.js';
import { resolveLoginConfig } from '../../src/core/login-config.js';
import type { LoginOptions } from '../../src/core/login-options.js';
import { signOutAtProvider } from '../../src/core/sign-out-at-provider.js';
import type { TokenDetail } from '../../src/core/token.js';
import { FakeEffects } from '../helpers/fake-effects.js';
import { CODE_GRANT, createTestSession, FakeProvider, ISSUER, jwt, PAGE, settle, signInAndLand } from '../helpers/session-harness.js';

const setUp = (options: LoginOptions = {}) => createTestSession({ ...CODE_GRANT, ...options });

describe('signing out at the provider', () => {
  beforeEach(clearDiscoveryCache);

  it('clears locally first, then revokes the refresh and access tokens (RFC 7009)', async () => {
    const context = setUp({ revocationUrl: `${ISSUER}/revoke` });
    context.provider.answerTokens({ access_token: 'at', token_type: 'Bearer', refresh_token: 'rt' });
    const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
    session.signOut();
    expect(session.token).to.equal(null);
    expect(context.heard.order).to.deep.equal(['token', 'signout:user']);
    await waitUntil(() => context.provider.revocations().length === 2, 'both revocations', { timeout: 5000 });
    const revocations = context.provider.revocations();
    expect(revocations).to.deep.equal([
      { token: 'rt', token_type_hint: 'refresh_token', client_id: 'app' },
      { token: 'at', token_type_hint: 'access_token', client_id: 'app' },
    ]);
  });

  it('is not blocked by a failing revocation, and says so once, after the sign-out', async () => {
    const context = setUp({ revocationUrl: `${ISSUER}/revoke` });
    context.provider.answerTokens({ access_token: 'at', token_type: 'Bearer', refresh_token: 'rt' });
    const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
    context.effects.fetch = () => Promise.reject(new TypeError('offline'));
    session.signOut();
    expect(session.token).to.equal(null);
    await settle();
    expect(context.heard.order).to.deep.equal(['token', 'signout:user', 'error:network_error']);
  });

  it('reports a provider that refuses to revoke for a public client (401) as one oauth-error with its code', async () => {
    const context = setUp({ revocationUrl: `${ISSUER}/revoke` });
    context.provider.answerTokens({ access_token: 'at', token_type: 'Bearer', refresh_token: 'rt' });
    const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
    const fetchNow = context.provider.fetch;
    context.effects.fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
      String(input).endsWith('/revoke')
        ? Promise.resolve(Response.json({ error: 'invalid_client', error_description: 'client authentication failed' }, { status: 401 }))
        : fetchNow(input, init)) as typeof fetch;
    session.signOut();
    await waitUntil(() => context.heard.errors.length > 0, 'the revocation failure', { timeout: 5000 });
    await settle();
    expect(context.heard.order).to.deep.equal(['token', 'signout:user', 'error:invalid_client']);
    expect(context.heard.errors[0]).to.include({ status: 401 });
    expect(context.heard.errors[0].description).to.contain('stays valid');
  });

  it('reports a refusal without an error code as http_error with the status', async () => {
    const context = setUp({ revocationUrl: `${ISSUER}/revoke` });
    context.provider.answerTokens({ access_token: 'at', token_type: 'Bearer' });
    const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
    context.effects.fetch = (() => Promise.resolve(new Response('<h1>Forbidden</h1>', { status: 403 }))) as typeof fetch;
    session.signOut();
    await waitUntil(() => context.heard.errors.length > 0, 'the revocation failure', { timeout: 5000 });
    expect(context.heard.errors.map(({ error, status }) => ({ error, status }))).to.deep.equal([{ error: 'http_error', status: 403 }]);
  });

  it('reports nothing when the revocations succeed', async () => {
    const context = setUp({ revocationUrl: `${ISSUER}/revoke` });
    context.provider.answerTokens({ access_token: 'at', token_type: 'Bearer', refresh_token: 'rt' });
    const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
    session.signOut();
    await waitUntil(() => context.provider.revocations().length === 2, 'both revocations', { timeout: 5000 });
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
    const idToken = session.token!.idToken;
    session.signOut('user', { endSession: true });
    // The sign-in's navigation, then the end-session one.
    await waitUntil(() => context.effects.navigations.length === 2, 'the end-session navigation', { timeout: 5000 });
    const logout = new URL(context.effects.navigations.at(-1)!);
    expect(logout.origin + logout.pathname).to.equal(`${ISSUER}/logout`);
    expect(logout.searchParams.get('id_token_hint')).to.equal(idToken);
    expect(logout.searchParams.get('post_logout_redirect_uri')).to.equal(PAGE);
  });
});

describe('signOutAtProvider', () => {
  const token: TokenDetail = { accessToken: 'at', tokenType: 'Bearer', expiresAt: null, scope: 'read', idToken: 'the-id-token' };
  const metadata = { issuer: ISSUER, revocation_endpoint: `${ISSUER}/revoke`, end_session_endpoint: `${ISSUER}/logout` };

  function setUpProvider() {
    const effects = new FakeEffects(PAGE);
    const provider = new FakeProvider();
    effects.fetch = provider.fetch as typeof fetch;
    return { effects, provider };
  }
  const config = (withMetadata = metadata) =>
    resolveLoginConfig({ authorizeUrl: `${ISSUER}/authorize`, clientId: 'app' }, PAGE, withMetadata);

  it('revokes the refresh token first, then the access token, as form posts without credentials', async () => {
    const { effects, provider } = setUpProvider();
    const sent: RequestInit[] = [];
    const fetchNow = provider.fetch;
    effects.fetch = ((input: RequestInfo | URL, init: RequestInit) => (sent.push(init), fetchNow(input, init))) as typeof fetch;
    await signOutAtProvider(effects, config(), { token, refreshToken: 'rt' }, false);
    expect(provider.revocations()).to.deep.equal([
      { token: 'rt', token_type_hint: 'refresh_token', client_id: 'app' },
      { token: 'at', token_type_hint: 'access_token', client_id: 'app' },
    ]);
    for (const init of sent) expect(init).to.include({ method: 'POST', credentials: 'omit', redirect: 'error' });
    expect(effects.navigations).to.deep.equal([]);
  });

  it('revokes nothing without a revocation endpoint', async () => {
    const { effects, provider } = setUpProvider();
    await signOutAtProvider(effects, config({ ...metadata, revocation_endpoint: undefined! }), { token, refreshToken: 'rt' }, false);
    expect(provider.requests).to.deep.equal([]);
  });

  it('still ends the session when revocation fails, then throws the failure', async () => {
    const { effects } = setUpProvider();
    effects.fetch = () => Promise.reject(new TypeError('offline'));
    const thrown = await signOutAtProvider(effects, config(), { token }, true).catch((error: OAuthError) => error);
    expect(effects.navigations).to.have.length(1);
    expect(thrown).to.be.instanceOf(OAuthError);
    expect((thrown as OAuthError).detail.error).to.equal('network_error');
  });

  it('ends the session with client_id, post_logout_redirect_uri and the ID token as id_token_hint', async () => {
    const { effects } = setUpProvider();
    await signOutAtProvider(effects, config(), { token }, true);
    const logout = new URL(effects.navigations[0]);
    expect(logout.origin + logout.pathname).to.equal(`${ISSUER}/logout`);
    const state = logout.searchParams.get('state')!;
    expect(Object.fromEntries(logout.searchParams)).to.deep.equal({
      client_id: 'app',
      post_logout_redirect_uri: PAGE,
      state,
      id_token_hint: 'the-id-token',
    });
    // Some providers return to post_logout_redirect_uri only with a state (RP-Initiated Logout 1.0 §2).
    expect(state).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it('never puts the access or refresh token in the end-session URL', async () => {
    const { effects } = setUpProvider();
    const bare = { ...token, accessToken: 'secret-at', idToken: undefined };
    await signOutAtProvider(effects, config(), { token: bare, refreshToken: 'secret-rt' }, true);
    const logout = new URL(effects.navigations[0]);
    expect(logout.searchParams.has('id_token_hint')).to.equal(false);
    expect(decodeURIComponent(logout.href)).to.not.contain('secret');
  });

  it('leaves the page only when asked, and only with an end-session endpoint', async () => {
    const { effects } = setUpProvider();
    await signOutAtProvider(effects, config(), { token }, false);
    await signOutAtProvider(effects, config({ ...metadata, end_session_endpoint: undefined! }), { token }, true);
    expect(effects.navigations).to.deep.equal([]);
  });
});

describe('ending the provider session from a signed-in session', () => {
  beforeEach(clearDiscoveryCache);

  it('sends the ID token it received as id_token_hint', async () => {
    const context = setUp({ authorizeUrl: null, tokenUrl: null, issuer: ISSUER, scope: 'openid' });
    let idToken = '';
    context.provider.tokenAnswers.push(() => Response.json({ access_token: 'at', token_type: 'Bearer', id_token: idToken }));
    const { session } = await signInAndLand(context, (state, auth) => {
      idToken = jwt({ iss: ISSUER, aud: 'app', exp: 2e9, nonce: auth.searchParams.get('nonce') });
      return `?code=c&state=${state}&iss=${encodeURIComponent(ISSUER)}`;
    });
    expect(session.token!.idToken).to.equal(idToken);
    session.signOut('user', { endSession: true });
    await waitUntil(() => context.effects.navigations.length === 2, 'the end-session navigation', { timeout: 5000 });
    expect(new URL(context.effects.navigations[1]).searchParams.get('id_token_hint')).to.equal(idToken);
  });
});

describe('coming back from the provider’s sign-out', () => {
  beforeEach(clearDiscoveryCache);

  it('takes the state it sent away from the address bar, keeping the rest, without a history entry', async () => {
    const context = setUp({ authorizeUrl: null, tokenUrl: null, issuer: ISSUER, scope: 'openid' });
    let nonce = '';
    context.provider.tokenAnswers.push(() =>
      Response.json({ access_token: 'at', token_type: 'Bearer', id_token: jwt({ iss: ISSUER, aud: 'app', exp: 2e9, nonce }) }),
    );
    const { session } = await signInAndLand(
      context,
      (state, auth) => ((nonce = auth.searchParams.get('nonce')!), `?code=c&state=${state}&iss=${encodeURIComponent(ISSUER)}`),
    );
    expect(context.heard.order).to.deep.equal(['token']);
    session.signOut('user', { endSession: true });
    await waitUntil(() => context.effects.navigations.length === 2, 'the end-session navigation', { timeout: 5000 });
    const state = new URL(context.effects.navigations[1]).searchParams.get('state')!;
    context.effects.url = `${PAGE}?tab=2&state=${state}#s3`;
    const back = createTestSession(context.options, { effects: context.effects });
    back.session.captureCallback();
    await back.session.start();
    expect(context.effects.url).to.equal(`${PAGE}?tab=2#s3`);
    expect(back.heard.order).to.deep.equal([]);
  });

  it('leaves a state it did not send alone', async () => {
    const context = setUp();
    context.effects.url = `${PAGE}?state=the-page-s-own`;
    context.session.captureCallback();
    await context.session.start();
    expect(context.effects.url).to.equal(`${PAGE}?state=the-page-s-own`);
  });
});
