import { expect } from '@open-wc/testing';
import { CrossTabChannel, type CrossTabMessage } from '../../src/core/cross-tab.js';
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

  describe('storage events', () => {
    it("are heard for a login kept in localStorage, a token key's write as token and its removal as signout", () => {
      const effects = new FakeEffects(PAGE);
      const heard: CrossTabMessage[] = [];
      const channel = new CrossTabChannel(effects, (message) => heard.push(message));
      channel.open(true);
      effects.storageChanged('oauth-elements:token:login client', '{}');
      effects.storageChanged('unrelated', '{}');
      effects.storageChanged('oauth-elements:token:login client', null);
      expect(heard).to.deep.equal([
        { type: 'token', owner: 'login client' },
        { type: 'signout', owner: 'login client' },
      ]);
      channel.close();
      expect(effects.storageListeners.size).to.equal(0);
    });

    // The first storage listener of a page opens its localStorage: a cost on the callback's path.
    for (const storage of ['memory', 'session']) {
      it(`are not listened to for a login kept in ${storage}, whose token they never carry`, async () => {
        const test = createTestSession({ responseType: 'token', storage });
        await test.session.start();
        expect(test.effects.storageListeners.size).to.equal(0);
        expect(test.effects.tabs.channels.size).to.equal(1);
      });
    }

    it('are listened to for a login kept in local', async () => {
      const test = createTestSession(LOCAL_TOKEN);
      await test.session.start();
      expect(test.effects.storageListeners.size).to.equal(1);
    });
  });
});
