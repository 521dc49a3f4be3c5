import { expect } from '@open-wc/testing';
import { clearDiscoveryCache } from '../../src/core/discovery.js';
import { FakeEffects, FakeTabs } from '../helpers/fake-effects.js';
import { createTestSession, PAGE, signInAndLand } from '../helpers/session-harness.js';

const LOCAL_TOKEN = { responseType: 'token', storage: 'local' };

describe('across tabs', () => {
  beforeEach(clearDiscoveryCache);

  it('signing out in one tab signs out the others with reason other-tab', async () => {
    const tabs = new FakeTabs();
    const first = createTestSession(LOCAL_TOKEN, { tabs });
    const { session: firstSession } = await signInAndLand(first, (state) => `#access_token=at&token_type=Bearer&state=${state}`);
    const second = createTestSession(LOCAL_TOKEN, { tabs });
    Object.assign(second.effects, { localStorage: () => first.effects.local });
    const secondSession = second.session;
    await secondSession.start();
    expect(second.heard.order).to.deep.equal(['token']);
    firstSession.signOut();
    expect(secondSession.token).to.equal(null);
    expect(second.heard.order).to.deep.equal(['token', 'signout:other-tab']);
  });

  it('with storage="local", signing in in one tab signs in the others', async () => {
    const tabs = new FakeTabs();
    const first = createTestSession(LOCAL_TOKEN, { tabs });
    const second = createTestSession(LOCAL_TOKEN, { tabs });
    Object.assign(second.effects, { localStorage: () => first.effects.local });
    const secondSession = second.session;
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
    const first = createTestSession(LOCAL_TOKEN, { tabs });
    const { session } = await signInAndLand(first, (state) => `#access_token=secret-at&token_type=Bearer&state=${state}`);
    session.signOut();
    expect(messages.map((message) => (message as { type: string }).type)).to.deep.equal(['token', 'signout']);
    expect(JSON.stringify(messages)).to.not.contain('secret-at');
  });
});
