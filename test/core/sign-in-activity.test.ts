import { expect, waitUntil } from '@open-wc/testing';
import { POPUP_MESSAGE_TYPE } from '../../src/core/popup.js';
import { CODE_GRANT, createTestSession, ISSUER, land, signIn } from '../helpers/session-harness.js';

const ORIGIN = 'https://app.example';

describe('a sign-in under way', () => {
  it('is pending from the click until the browser is sent to the provider', async () => {
    const context = createTestSession();
    const signingIn = context.session.signIn();
    expect(context.session.pending).to.equal(true);
    await signingIn;
    expect(context.session.pending).to.equal(false);
    expect(context.heard.pending).to.deep.equal([true, false]);
    expect(context.effects.navigations).to.have.length(1);
  });

  it('starts nothing on a second click while the first is being prepared', async () => {
    const context = createTestSession({ ...CODE_GRANT, authorizeUrl: null, issuer: ISSUER });
    const first = context.session.signIn();
    const second = context.session.signIn();
    await Promise.all([first, second]);
    expect(context.effects.navigations).to.have.length(1);
    expect(context.effects.session.length).to.equal(1);
    expect(context.heard.pending).to.deep.equal([true, false]);
  });

  it('ends with an error too, after which a new sign-in starts', async () => {
    const context = createTestSession({ clientId: '' });
    await context.session.signIn();
    expect(context.heard.errors.map((error) => error.error)).to.deep.equal(['invalid_config']);
    expect(context.session.pending).to.equal(false);
    context.options.clientId = 'app';
    await context.session.signIn();
    expect(context.effects.navigations).to.have.length(1);
  });

  it('is pending while the popup is open, and a second click opens no second popup', async () => {
    const context = createTestSession();
    const done = context.session.signInWithPopup();
    void context.session.signInWithPopup();
    void context.session.signIn();
    expect(context.effects.popups).to.have.length(1);
    const popup = context.effects.popups[0];
    await waitUntil(() => popup.navigations.length > 0, 'the popup to go to the provider', { timeout: 5000 });
    expect(context.session.pending).to.equal(true);
    expect(context.effects.navigations).to.deep.equal([]);
    const state = new URL(popup.navigations[0]).searchParams.get('state')!;
    const params = [
      ['access_token', 'at'],
      ['token_type', 'Bearer'],
      ['state', state],
    ];
    context.effects.receiveMessage({ type: POPUP_MESSAGE_TYPE, source: 'fragment', params }, ORIGIN, popup);
    await done;
    expect(context.session.pending).to.equal(false);
    expect(context.heard.tokens).to.have.length(1);
    expect(context.heard.pending).to.deep.equal([true, false]);
  });

  it('is pending during the code exchange after the callback', async () => {
    const context = createTestSession(CODE_GRANT);
    const { state } = await signIn(context);
    let pendingDuringExchange: boolean | undefined;
    const landed = createTestSession(context.options, { effects: context.effects });
    context.provider.tokenAnswers.push(
      () => ((pendingDuringExchange = landed.session.pending), Response.json({ access_token: 'at', token_type: 'Bearer' })),
    );
    context.effects.url = `${ORIGIN}/page?code=c&state=${state}`;
    landed.session.captureCallback();
    await landed.session.start();
    expect(pendingDuringExchange).to.equal(true);
    expect(landed.session.pending).to.equal(false);
    expect(landed.heard.order).to.deep.equal(['token']);
    expect(landed.heard.pending).to.deep.equal([true, false]);
  });

  it('is not pending on a page load with no callback', async () => {
    const context = createTestSession();
    const landed = await land(context, '');
    expect(landed.heard.pending).to.deep.equal([]);
  });
});
