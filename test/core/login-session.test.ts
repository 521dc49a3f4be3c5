import { expect } from '@open-wc/testing';
import { CallbackInbox } from '../../src/core/callback-inbox.js';
import type { OAuthErrorDetail } from '../../src/core/errors.js';
import type { LoginOptions } from '../../src/core/login-config.js';
import { LoginSession, type SignOutReason } from '../../src/core/login-session.js';
import { PENDING_LIFETIME_MS } from '../../src/core/pending-requests.js';
import type { TokenDetail } from '../../src/core/token.js';
import { FakeEffects } from '../helpers/fake-effects.js';

const PAGE = 'https://app.example/page';

interface Heard {
  tokens: TokenDetail[];
  signouts: SignOutReason[];
  errors: OAuthErrorDetail[];
  order: string[];
}

function createSession(effects: FakeEffects, inbox: CallbackInbox, options: LoginOptions = {}) {
  const heard: Heard = { tokens: [], signouts: [], errors: [], order: [] };
  const session = new LoginSession(
    effects,
    { authorizeUrl: 'https://id.example/authorize', clientId: 'app', scope: 'read', ...options },
    {
      token: (token) => (heard.tokens.push(token), heard.order.push('token')),
      signout: (reason) => (heard.signouts.push(reason), heard.order.push(`signout:${reason}`)),
      error: (error) => (heard.errors.push(error), heard.order.push(`error:${error.error}`)),
    },
    inbox,
  );
  return { session, heard };
}

/** Starts a sign-in and returns the state it sent. */
async function signIn(session: LoginSession, effects: FakeEffects): Promise<string> {
  await session.signIn();
  return new URL(effects.navigations.at(-1)!).searchParams.get('state')!;
}

/** Lands on the page with `fragment`, as a new page load would, and runs the session. */
async function land(effects: FakeEffects, fragment: string, options: LoginOptions = {}) {
  effects.url = PAGE + fragment;
  const landed = createSession(effects, new CallbackInbox(), options);
  landed.session.captureCallback();
  await landed.session.start();
  return landed;
}

function setUp() {
  const effects = new FakeEffects(PAGE);
  const first = createSession(effects, new CallbackInbox());
  return { effects, first };
}

describe('signing in', () => {
  it('navigates to the authorization URL with a fresh state and keeps the request pending', async () => {
    const { effects, first } = setUp();
    const stateOne = await signIn(first.session, effects);
    const stateTwo = await signIn(first.session, effects);
    expect(stateOne).to.not.equal(stateTwo);
    expect(effects.session.getItem(`oauth-elements:pending:${stateOne}`)).to.not.equal(null);
    const url = new URL(effects.navigations[0]);
    expect(url.searchParams.get('redirect_uri')).to.equal(PAGE);
    expect(url.searchParams.get('response_type')).to.equal('token');
  });

  it('with an unusable configuration, fires invalid_config and does not navigate', async () => {
    const effects = new FakeEffects(PAGE);
    const { session, heard } = createSession(effects, new CallbackInbox(), { authorizeUrl: 'http://id.example/authorize' });
    await session.signIn();
    expect(heard.errors.map((e) => e.error)).to.deep.equal(['invalid_config']);
    expect(effects.navigations).to.have.length(0);
    expect(effects.session.length).to.equal(0);
  });
});

describe('completing a sign-in from the callback', () => {
  it('accepts the response to its pending request and announces the token', async () => {
    const { effects, first } = setUp();
    const state = await signIn(first.session, effects);
    const { session, heard } = await land(effects, `#access_token=tok&token_type=Bearer&expires_in=60&scope=read&state=${state}`);
    expect(heard.errors).to.deep.equal([]);
    expect(heard.tokens).to.deep.equal([{ accessToken: 'tok', tokenType: 'Bearer', expiresAt: effects.now() + 60_000, scope: 'read' }]);
    expect(session.token!.accessToken).to.equal('tok');
  });

  it('removes the fragment from the address bar before anything else, leaving the query', async () => {
    const { effects, first } = setUp();
    const state = await signIn(first.session, effects);
    effects.url = `${PAGE}?tab=2#access_token=tok&token_type=Bearer&state=${state}`;
    const { session, heard } = createSession(effects, new CallbackInbox());
    session.captureCallback();
    expect(effects.urlReplacements).to.deep.equal([`${PAGE}?tab=2`]);
    expect(heard.order).to.deep.equal([]);
    await session.start();
    expect(heard.order).to.deep.equal(['token']);
  });

  it('leaves a route or an anchor in the address bar and raises nothing', async () => {
    const effects = new FakeEffects(PAGE);
    for (const fragment of ['#/settings', '#section-2']) {
      const { heard } = await land(effects, fragment);
      expect(effects.url).to.equal(PAGE + fragment);
      expect(heard.order).to.deep.equal([]);
    }
    expect(effects.urlReplacements).to.deep.equal([]);
  });

  it('announces a token that arrives already expired, then signs out with expired', async () => {
    const { effects, first } = setUp();
    const state = await signIn(first.session, effects);
    const { heard } = await land(effects, `#access_token=tok&token_type=Bearer&expires_in=0&state=${state}`);
    expect(heard.order).to.deep.equal(['token', 'signout:expired']);
  });

  it('passes a provider error through with its code and description', async () => {
    const { effects, first } = setUp();
    const state = await signIn(first.session, effects);
    const { heard } = await land(effects, `#error=access_denied&error_description=The+user+said+no&state=${state}`);
    expect(heard.errors).to.deep.equal([{ error: 'access_denied', description: 'The user said no' }]);
    expect(heard.tokens).to.deep.equal([]);
  });
});

describe('the state check', () => {
  const cases: [string, (effects: FakeEffects, state: string) => string][] = [
    ['a response without state', () => '#access_token=tok&token_type=Bearer'],
    ['a response with an empty state', () => '#access_token=tok&token_type=Bearer&state='],
    ['a response with an unknown state (forged)', () => '#access_token=tok&token_type=Bearer&state=forged'],
    [
      'a response whose state differs from the pending one by one character',
      (_, state) => `#access_token=tok&token_type=Bearer&state=${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`,
    ],
    ['an error response with an unknown state', () => '#error=access_denied&error_description=forged&state=forged'],
    [
      'a response whose request expired (10 minutes)',
      (effects, state) => {
        effects.advance(PENDING_LIFETIME_MS);
        return `#access_token=tok&token_type=Bearer&state=${state}`;
      },
    ],
  ];
  for (const [name, makeFragment] of cases) {
    it(`rejects ${name} with invalid_state and no token`, async () => {
      const { effects, first } = setUp();
      const state = await signIn(first.session, effects);
      const { heard, session } = await land(effects, makeFragment(effects, state));
      expect(heard.order).to.deep.equal(['error:invalid_state']);
      expect(session.token).to.equal(null);
      expect(effects.url).to.equal(PAGE);
    });
  }

  it('rejects a replayed response (the same callback loaded again)', async () => {
    const { effects, first } = setUp();
    const state = await signIn(first.session, effects);
    const fragment = `#access_token=tok&token_type=Bearer&state=${state}`;
    expect((await land(effects, fragment)).heard.order).to.deep.equal(['token']);
    const replay = await land(effects, fragment);
    expect(replay.heard.order).to.deep.equal(['error:invalid_state']);
    expect(replay.session.token).to.equal(null);
  });

  it('keeps the real pending request usable after a forged response', async () => {
    const { effects, first } = setUp();
    const state = await signIn(first.session, effects);
    await land(effects, '#access_token=forged&token_type=Bearer&state=forged');
    expect((await land(effects, `#access_token=tok&token_type=Bearer&state=${state}`)).heard.tokens).to.have.length(1);
  });

  it('uses up the pending request even when the response is an error', async () => {
    const { effects, first } = setUp();
    const state = await signIn(first.session, effects);
    await land(effects, `#error=access_denied&state=${state}`);
    expect((await land(effects, `#access_token=tok&token_type=Bearer&state=${state}`)).heard.order).to.deep.equal(['error:invalid_state']);
  });
});

describe('bad callbacks: each yields one oauth-error with the exact code, and never a token', () => {
  const table: [string, (state: string) => string, string][] = [
    ['duplicated access_token', (s) => `#access_token=a&access_token=b&token_type=Bearer&state=${s}`, 'invalid_response'],
    ['duplicated state', (s) => `#access_token=a&token_type=Bearer&state=${s}&state=${s}`, 'invalid_response'],
    ['missing access_token', (s) => `#token_type=Bearer&state=${s}`, 'invalid_response'],
    ['empty access_token', (s) => `#access_token=&token_type=Bearer&state=${s}`, 'invalid_response'],
    ['token_type=mac', (s) => `#access_token=a&token_type=mac&state=${s}`, 'invalid_response'],
    ['missing token_type', (s) => `#access_token=a&state=${s}`, 'invalid_response'],
    ['expires_in=soon', (s) => `#access_token=a&token_type=Bearer&expires_in=soon&state=${s}`, 'invalid_response'],
    ['expires_in=-1', (s) => `#access_token=a&token_type=Bearer&expires_in=-1&state=${s}`, 'invalid_response'],
    ['an access token with a space', (s) => `#access_token=a%20b&token_type=Bearer&state=${s}`, 'invalid_response'],
    ['malformed percent-encoding in the token', (s) => `#access_token=%E0%A4%A&token_type=Bearer&state=${s}`, 'invalid_response'],
    ['a 1 MB fragment', (s) => `#access_token=${'a'.repeat(1024 * 1024)}&token_type=Bearer&state=${s}`, 'invalid_response'],
    ['an error code outside the RFC charset', (s) => `#error=%22%5C&state=${s}`, 'invalid_response'],
    ['an access_denied error', (s) => `#error=access_denied&state=${s}`, 'access_denied'],
    ['no state at all', () => '#access_token=a&token_type=Bearer', 'invalid_state'],
  ];
  for (const [name, makeFragment, code] of table) {
    it(`${name} → ${code}`, async () => {
      const { effects, first } = setUp();
      const state = await signIn(first.session, effects);
      const { heard, session } = await land(effects, makeFragment(state));
      expect(heard.order).to.deep.equal([`error:${code}`]);
      expect(heard.tokens).to.deep.equal([]);
      expect(session.token).to.equal(null);
      expect(effects.url).to.equal(PAGE);
      expect(effects.session.getItem('oauth-elements:token:' + ' app https://id.example/authorize')).to.equal(null);
    });
  }
});

describe('several login elements on one page', () => {
  it('each completes only the responses to its own requests', async () => {
    const effects = new FakeEffects(PAGE);
    const startA = createSession(effects, new CallbackInbox(), { clientId: 'a' });
    const startB = createSession(effects, new CallbackInbox(), { clientId: 'b' });
    const stateB = await signIn(startB.session, effects);
    await signIn(startA.session, effects);

    effects.url = `${PAGE}#access_token=for-b&token_type=Bearer&state=${stateB}`;
    const inbox = new CallbackInbox();
    const a = createSession(effects, inbox, { clientId: 'a' });
    const b = createSession(effects, inbox, { clientId: 'b' });
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
    const a = createSession(effects, inbox, { clientId: 'a' });
    const b = createSession(effects, inbox, { clientId: 'b' });
    a.session.captureCallback();
    b.session.captureCallback();
    await a.session.start();
    await b.session.start();
    expect([...a.heard.order, ...b.heard.order]).to.deep.equal(['error:invalid_state']);
  });
});

describe('signing out', () => {
  it('forgets the token, clears its storage and says why', async () => {
    const { effects, first } = setUp();
    const state = await signIn(first.session, effects);
    const { session, heard } = await land(effects, `#access_token=tok&token_type=Bearer&state=${state}`, { storage: 'session' });
    expect(effects.session.length).to.equal(1);
    session.signOut();
    expect(session.token).to.equal(null);
    expect(heard.signouts).to.deep.equal(['user']);
    expect(effects.session.length).to.equal(0);
  });

  it('restores a saved token on the next load and announces it', async () => {
    const { effects, first } = setUp();
    const state = await signIn(first.session, effects);
    await land(effects, `#access_token=tok&token_type=Bearer&state=${state}`, { storage: 'local' });
    const reload = await land(effects, '', { storage: 'local' });
    expect(reload.heard.tokens.map((t) => t.accessToken)).to.deep.equal(['tok']);
  });
});
