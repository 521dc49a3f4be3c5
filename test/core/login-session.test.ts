import { expect } from '@open-wc/testing';
import { CallbackInbox } from '../../src/core/callback-inbox.js';
import { FakeEffects } from '../helpers/fake-effects.js';
import { createTestSession, land, PAGE, signIn } from '../helpers/session-harness.js';

describe('signing in', () => {
  it('navigates to the authorization URL with a fresh state and keeps the request pending', async () => {
    const first = createTestSession();
    const { effects } = first;
    const { state: stateOne } = await signIn(first);
    const { state: stateTwo } = await signIn(first);
    expect(stateOne).to.not.equal(stateTwo);
    expect(effects.session.getItem(`oauth-elements:pending:${stateOne}`)).to.not.equal(null);
    const url = new URL(effects.navigations[0]);
    expect(url.searchParams.get('redirect_uri')).to.equal(PAGE);
    expect(url.searchParams.get('response_type')).to.equal('token');
  });

  it('with an unusable configuration, fires invalid_config and does not navigate', async () => {
    const { session, heard, effects } = createTestSession({ authorizeUrl: 'http://id.example/authorize' });
    await session.signIn();
    expect(heard.errors.map((e) => e.error)).to.deep.equal(['invalid_config']);
    expect(effects.navigations).to.have.length(0);
    expect(effects.session.length).to.equal(0);
  });
});

describe('completing a sign-in from the callback', () => {
  it('accepts the response to its pending request and announces the token', async () => {
    const first = createTestSession();
    const { effects } = first;
    const { state } = await signIn(first);
    const { session, heard } = await land(first, `#access_token=tok&token_type=Bearer&expires_in=60&scope=read&state=${state}`);
    expect(heard.errors).to.deep.equal([]);
    expect(heard.tokens).to.deep.equal([
      { accessToken: 'tok', tokenType: 'Bearer', expiresAt: effects.now() + 60_000, scope: 'read', returnTo: '/page' },
    ]);
    expect(session.token!.accessToken).to.equal('tok');
  });

  it('removes the fragment from the address bar before anything else, leaving the query', async () => {
    const first = createTestSession();
    const { effects } = first;
    // Started on another path: nothing to put back, so what is left is what the removal left.
    effects.url = 'https://app.example/start';
    const { state } = await signIn(first);
    effects.url = `${PAGE}?tab=2#access_token=tok&token_type=Bearer&state=${state}`;
    const { session, heard } = createTestSession({}, { effects });
    session.captureCallback();
    expect(effects.urlReplacements).to.deep.equal([`${PAGE}?tab=2`]);
    expect(heard.order).to.deep.equal([]);
    await session.start();
    expect(heard.order).to.deep.equal(['token']);
  });

  it('leaves a route or an anchor in the address bar and raises nothing', async () => {
    const page = createTestSession();
    const { effects } = page;
    for (const fragment of ['#/settings', '#section-2']) {
      const { heard } = await land(page, fragment);
      expect(effects.url).to.equal(PAGE + fragment);
      expect(heard.order).to.deep.equal([]);
    }
    expect(effects.urlReplacements).to.deep.equal([]);
  });

  it('announces a token that arrives already expired, then signs out with expired', async () => {
    const first = createTestSession();
    const { state } = await signIn(first);
    const { heard } = await land(first, `#access_token=tok&token_type=Bearer&expires_in=0&state=${state}`);
    expect(heard.order).to.deep.equal(['token', 'signout:expired']);
  });
});

describe('several login elements on one page', () => {
  it('each completes only the responses to its own requests', async () => {
    const effects = new FakeEffects(PAGE);
    const startA = createTestSession({ clientId: 'a' }, { effects });
    const startB = createTestSession({ clientId: 'b' }, { effects });
    const { state: stateB } = await signIn(startB);
    await signIn(startA);

    effects.url = `${PAGE}#access_token=for-b&token_type=Bearer&state=${stateB}`;
    const inbox = new CallbackInbox();
    const a = createTestSession({ clientId: 'a' }, { effects, inbox });
    const b = createTestSession({ clientId: 'b' }, { effects, inbox });
    a.session.captureCallback();
    b.session.captureCallback();
    await a.session.start();
    await b.session.start();
    expect(a.heard.order).to.deep.equal([]);
    expect(b.heard.tokens.map((t) => t.accessToken)).to.deep.equal(['for-b']);
  });

  it('reports a response nobody can own exactly once', async () => {
    const effects = new FakeEffects(`${PAGE}#access_token=x&token_type=Bearer&state=forged`);
    const inbox = new CallbackInbox();
    const a = createTestSession({ clientId: 'a' }, { effects, inbox });
    const b = createTestSession({ clientId: 'b' }, { effects, inbox });
    a.session.captureCallback();
    b.session.captureCallback();
    await a.session.start();
    await b.session.start();
    expect([...a.heard.order, ...b.heard.order]).to.deep.equal(['error:invalid_state']);
  });
});

describe('signing out', () => {
  it('forgets the token, clears its storage and says why', async () => {
    const first = createTestSession();
    const { effects } = first;
    const { state } = await signIn(first);
    const { session, heard } = await land(first, `#access_token=tok&token_type=Bearer&state=${state}`, { storage: 'session' });
    expect(effects.session.length).to.equal(1);
    session.signOut();
    expect(session.token).to.equal(null);
    expect(heard.signouts).to.deep.equal(['user']);
    expect(effects.session.length).to.equal(0);
  });

  it('restores a saved token on the next load and announces it', async () => {
    const first = createTestSession();
    const { state } = await signIn(first);
    await land(first, `#access_token=tok&token_type=Bearer&state=${state}`, { storage: 'local' });
    const reload = await land(first, '', { storage: 'local' });
    expect(reload.heard.tokens.map((t) => t.accessToken)).to.deep.equal(['tok']);
  });
});
