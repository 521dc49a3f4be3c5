import { expect, waitUntil } from '@open-wc/testing';
import { CallbackInbox } from '../../src/core/callback-inbox.js';
import { PendingRequestStore } from '../../src/core/pending-requests.js';
import { POPUP_MESSAGE_TYPE, POPUP_TIME_LIMIT_MS } from '../../src/core/popup.js';
import { FakeEffects, FakePopup, FakeTabs } from '../helpers/fake-effects.js';
import { createTestSession, PAGE, settle, type TestSession } from '../helpers/session-harness.js';

const ORIGIN = new URL(PAGE).origin;

const setUp = (tabs = new FakeTabs()) => createTestSession({}, { tabs });

/** Starts a popup sign-in and returns the popup and the state it was sent with. */
async function startPopup(context: TestSession) {
  const done = context.session.signInWithPopup();
  const popup = context.effects.popups[0];
  await waitUntil(() => popup.navigations.length > 0, 'the popup to go to the provider', { timeout: 5000 });
  const state = new URL(popup.navigations[0]).searchParams.get('state')!;
  return { popup, state, done };
}

const message = (state: string, token = 'at') => ({
  type: POPUP_MESSAGE_TYPE,
  source: 'fragment',
  params: [
    ['access_token', token],
    ['token_type', 'Bearer'],
    ['state', state],
  ],
});

describe('popup sign-in: the opener', () => {
  it('opens the popup synchronously, inside the click', () => {
    const { session, effects } = setUp();
    void session.signInWithPopup();
    expect(effects.popups).to.have.length(1);
  });

  it('fires popup_blocked when the browser blocks the popup, and starts nothing', async () => {
    const context = setUp();
    context.effects.blockPopups = true;
    await context.session.signInWithPopup();
    expect(context.heard.errors.map((error) => error.error)).to.deep.equal(['popup_blocked']);
    expect(context.effects.session.length).to.equal(0);
  });

  it('sends the popup (not the page) to the provider with a popup state', async () => {
    const context = setUp();
    const { state } = await startPopup(context);
    expect(state).to.match(/^p\.[A-Za-z0-9_-]{43}$/);
    expect(context.effects.navigations).to.deep.equal([]);
  });

  it('accepts the response from its popup, at its own origin, with its state', async () => {
    const context = setUp();
    const { popup, state, done } = await startPopup(context);
    context.effects.receiveMessage(message(state), ORIGIN, popup);
    await done;
    expect(context.heard.tokens.map((token) => token.accessToken)).to.deep.equal(['at']);
    expect(context.effects.messageListenerCount).to.equal(0);
    // The page never left, so there is nowhere to return to.
    expect(context.heard.tokens[0]).to.not.have.property('returnTo');
  });

  const ignored: [string, (popup: FakePopup, state: string) => [unknown, string, unknown]][] = [
    ['from another origin', (popup, state) => [message(state, 'evil'), 'https://evil.example', popup]],
    ['from another window', (_, state) => [message(state, 'evil'), ORIGIN, new FakePopup()]],
    ['that is not a response message', (popup, state) => [{ type: 'something-else', params: [['state', state]] }, ORIGIN, popup]],
    [
      'with malformed parameters',
      (popup, state) => [
        {
          type: POPUP_MESSAGE_TYPE,
          params: [
            ['state', state, 'x'],
            [1, 2],
          ],
        },
        ORIGIN,
        popup,
      ],
    ],
  ];
  for (const [name, makeMessage] of ignored) {
    it(`ignores a message ${name}`, async () => {
      const context = setUp();
      const { popup, state, done } = await startPopup(context);
      context.effects.receiveMessage(...makeMessage(popup, state));
      context.effects.receiveMessage(message(state, 'real'), ORIGIN, popup);
      await done;
      expect(context.heard.tokens.map((token) => token.accessToken)).to.deep.equal(['real']);
      expect(context.heard.errors).to.deep.equal([]);
    });
  }

  it('fails with invalid_state when its own popup answers with another state, and takes no token', async () => {
    const context = setUp();
    const { popup, done } = await startPopup(context);
    context.effects.receiveMessage(message('p.other', 'planted'), ORIGIN, popup);
    await done;
    expect(context.heard.tokens).to.deep.equal([]);
    expect(context.heard.errors.map((error) => error.error)).to.deep.equal(['invalid_state']);
    expect(popup.closed).to.equal(true);
  });

  it('takes the first valid message only', async () => {
    const context = setUp();
    const { popup, state, done } = await startPopup(context);
    context.effects.receiveMessage(message(state, 'first'), ORIGIN, popup);
    context.effects.receiveMessage(message(state, 'second'), ORIGIN, popup);
    await done;
    await settle();
    expect(context.heard.tokens.map((token) => token.accessToken)).to.deep.equal(['first']);
    expect(context.heard.errors).to.deep.equal([]);
  });

  it('fires popup_closed when the user closes the popup', async () => {
    const context = setUp();
    const { popup, done } = await startPopup(context);
    popup.close();
    context.effects.advance(1000);
    await done;
    expect(context.heard.errors.map((error) => error.error)).to.deep.equal(['popup_closed']);
  });

  it('closes the popup and fires popup_closed after the time limit', async () => {
    const context = setUp();
    const { popup, done } = await startPopup(context);
    context.effects.advance(POPUP_TIME_LIMIT_MS);
    await done;
    expect(popup.closed).to.equal(true);
    expect(context.heard.errors.map((error) => error.error)).to.deep.equal(['popup_closed']);
  });

  it('takes the response over the BroadcastChannel when the opener link is cut (COOP)', async () => {
    const tabs = new FakeTabs();
    const context = setUp(tabs);
    const { state, done } = await startPopup(context);
    const popupPage = new FakeEffects(`${PAGE}#access_token=from-channel&token_type=Bearer&state=${state}`, tabs);
    new CallbackInbox().capture(popupPage, new PendingRequestStore(popupPage));
    await done;
    expect(context.heard.tokens.map((token) => token.accessToken)).to.deep.equal(['from-channel']);
  });
});

describe('popup sign-in: the popup page', () => {
  it('hands a popup response to its opener at its own origin, removes it from the address bar and closes', () => {
    const popupPage = new FakeEffects(`${PAGE}#access_token=at&token_type=Bearer&state=p.abc`);
    const sent: [unknown, string][] = [];
    popupPage.openerWindow = { postMessage: (data: unknown, origin: string) => sent.push([data, origin]) } as unknown as Window;
    const inbox = new CallbackInbox();
    inbox.capture(popupPage, new PendingRequestStore(popupPage));
    expect(sent).to.have.length(1);
    expect(sent[0][1]).to.equal(ORIGIN);
    expect((sent[0][0] as { params: string[][] }).params).to.deep.include(['access_token', 'at']);
    expect(popupPage.url).to.equal(PAGE);
    expect(popupPage.closed).to.equal(true);
    expect(inbox.claim(() => true)).to.equal(undefined);
  });

  it('keeps a popup-looking response without an opener, so an element here reports it', () => {
    const page = new FakeEffects(`${PAGE}#access_token=forged&token_type=Bearer&state=p.forged`);
    const inbox = new CallbackInbox();
    inbox.capture(page, new PendingRequestStore(page));
    expect(inbox.claim(() => true)).to.not.equal(undefined);
  });
});
