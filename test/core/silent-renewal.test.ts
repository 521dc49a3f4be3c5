import { expect, waitUntil } from '@open-wc/testing';
import { CallbackInbox } from '../../src/core/callback-inbox.js';
import type { LoginSession } from '../../src/core/login-session.js';
import { clearDiscoveryCache } from '../../src/core/discovery.js';
import { loadSilentRenewal } from '../../src/core/login-credentials.js';
import { POPUP_MESSAGE_TYPE } from '../../src/core/popup.js';
import type { FakeFrame } from '../helpers/fake-effects.js';
import { createTestSession, ISSUER, land, PAGE, settle, signInAndLand, type TestSession } from '../helpers/session-harness.js';

await loadSilentRenewal();

const ORIGIN = new URL(PAGE).origin;
const OPENID_IMPLICIT = { responseType: 'id_token token', authorizeUrl: null, issuer: ISSUER, scope: 'openid profile' };

const encode = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const idToken = (claims: Record<string, unknown>) => `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}.c2lnbmF0dXJl`;

async function atHash(accessToken: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken)));
  return btoa(String.fromCharCode(...digest.slice(0, 16)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** Signs in with the implicit grant: a token `at1` that lasts ten minutes. Returns the session on the landed page. */
async function signedIn(context: TestSession): Promise<LoginSession> {
  const { session } = await signInAndLand(context, (state) => `#access_token=at1&token_type=Bearer&expires_in=600&state=${state}`);
  expect(context.heard.order).to.deep.equal(['token']);
  return session;
}

/** Moves to the renewal time (a minute before expiry) and waits for the hidden frame it opens. */
async function silentFrame(context: TestSession, count = 1, ms = 540_000): Promise<FakeFrame> {
  context.effects.advance(ms);
  await waitUntil(() => context.effects.frames.length === count, 'the hidden frame', { timeout: 5000 });
  return context.effects.frames[count - 1];
}

/** What the redirect page in the frame relays: a response in the fragment, posted by the frame from `origin`. */
function frameAnswers(
  context: TestSession,
  frame: FakeFrame,
  params: Record<string, string>,
  origin = ORIGIN,
  source: unknown = frame.window,
) {
  context.effects.receiveMessage({ type: POPUP_MESSAGE_TYPE, source: 'fragment', params: Object.entries(params) }, origin, source);
}

const stateOf = (frame: FakeFrame) => new URL(frame.url).searchParams.get('state')!;

describe('silent renewal for the implicit grant (prompt=none in a hidden frame)', () => {
  beforeEach(clearDiscoveryCache);

  it('asks a minute before expiry with prompt=none and a fresh state, then announces the new token without leaving the page', async () => {
    const context = createTestSession();
    const session = await signedIn(context);
    context.effects.advance(539_999);
    await settle();
    expect(context.effects.frames).to.have.length(0);
    const frame = await silentFrame(context, 1, 1);
    const request = new URL(frame.url);
    expect(request.origin + request.pathname).to.equal(`${ISSUER}/authorize`);
    expect(request.searchParams.get('prompt')).to.equal('none');
    expect(request.searchParams.get('response_type')).to.equal('token');
    expect(request.searchParams.get('redirect_uri')).to.equal(PAGE);
    expect(stateOf(frame)).to.match(/^s\.[A-Za-z0-9_-]{43}$/);
    frameAnswers(context, frame, { access_token: 'at2', token_type: 'Bearer', expires_in: '600', state: stateOf(frame) });
    await waitUntil(() => context.heard.tokens.length === 2, 'the renewed token', { timeout: 5000 });
    expect(context.heard.tokens[1].accessToken).to.equal('at2');
    expect(session.token?.accessToken).to.equal('at2');
    expect(frame.removed).to.equal(true);
    expect(context.effects.navigations).to.have.length(1); // the sign-in only
    expect(context.heard.order).to.deep.equal(['token', 'token']);
    // The new token renews in turn, with a state of its own.
    const next = await silentFrame(context, 2);
    expect(stateOf(next)).to.not.equal(stateOf(frame));
  });

  it('never takes a token from a response with another state: invalid_state, and the token runs out', async () => {
    const context = createTestSession();
    await signedIn(context);
    const frame = await silentFrame(context);
    frameAnswers(context, frame, { access_token: 'forged', token_type: 'Bearer', expires_in: '600', state: `s.${'A'.repeat(43)}` });
    await waitUntil(() => context.heard.errors.length === 1, 'the error', { timeout: 5000 });
    expect(context.heard.errors[0].error).to.equal('invalid_state');
    expect(frame.removed).to.equal(true);
    context.effects.advance(60_000);
    expect(context.heard.order).to.deep.equal(['token', 'error:invalid_state', 'signout:expired']);
    expect(context.heard.tokens.map((token) => token.accessToken)).to.deep.equal(['at1']);
  });

  it('ignores a message from another origin or another window, even with the right state', async () => {
    const context = createTestSession();
    await signedIn(context);
    const frame = await silentFrame(context);
    const answer = { access_token: 'forged', token_type: 'Bearer', expires_in: '600', state: stateOf(frame) };
    frameAnswers(context, frame, answer, 'https://evil.example');
    frameAnswers(context, frame, answer, ORIGIN, {});
    await settle();
    expect(context.heard.order).to.deep.equal(['token']);
    expect(frame.removed).to.equal(false);
  });

  it('checks the response like a callback: a state replayed after the renewal is refused', async () => {
    const context = createTestSession();
    await signedIn(context);
    const frame = await silentFrame(context);
    const answer = { access_token: 'at2', token_type: 'Bearer', expires_in: '600', state: stateOf(frame) };
    frameAnswers(context, frame, answer);
    await waitUntil(() => context.heard.tokens.length === 2, 'the renewed token', { timeout: 5000 });
    // The same response landing on the page again (a replay) finds no pending request.
    const replayed = await land(context, `#${new URLSearchParams(answer)}`);
    expect(replayed.heard.order).to.deep.equal(['error:invalid_state']);
  });

  it('refuses a malformed token in the silent response as invalid_response', async () => {
    const context = createTestSession();
    await signedIn(context);
    const frame = await silentFrame(context);
    frameAnswers(context, frame, { access_token: 'at2', token_type: 'MAC', expires_in: '600', state: stateOf(frame) });
    await waitUntil(() => context.heard.errors.length === 1, 'the error', { timeout: 5000 });
    expect(context.heard.order).to.deep.equal(['token', 'error:invalid_response']);
  });

  for (const answer of ['login_required', 'interaction_required', 'consent_required']) {
    it(`ends quietly after one ${answer}: no error, no second attempt, no navigation, and the token expires`, async () => {
      const context = createTestSession();
      await signedIn(context);
      const frame = await silentFrame(context);
      frameAnswers(context, frame, { error: answer, state: stateOf(frame) });
      await waitUntil(() => frame.removed, 'the frame removed', { timeout: 5000 });
      context.effects.advance(59_999);
      await settle();
      expect(context.effects.frames).to.have.length(1);
      context.effects.advance(1);
      await settle();
      expect(context.heard.order).to.deep.equal(['token', 'signout:expired']);
      expect(context.effects.frames).to.have.length(1);
      expect(context.effects.pendingTimers).to.equal(0);
      expect(context.effects.navigations).to.have.length(1);
    });
  }

  it('ends quietly at its time limit: the frame is removed, the token expires', async () => {
    const context = createTestSession({ timeout: 10_000 });
    await signedIn(context);
    const frame = await silentFrame(context);
    context.effects.advance(10_000);
    await waitUntil(() => frame.removed, 'the frame removed', { timeout: 5000 });
    // An answer after the time limit changes nothing.
    frameAnswers(context, frame, { access_token: 'late', token_type: 'Bearer', expires_in: '600', state: stateOf(frame) });
    context.effects.advance(50_000);
    await settle();
    expect(context.heard.order).to.deep.equal(['token', 'signout:expired']);
    expect(context.effects.frames).to.have.length(1);
  });

  it('drops the answer of a renewal still under way at sign-out', async () => {
    const context = createTestSession();
    const session = await signedIn(context);
    const frame = await silentFrame(context);
    session.signOut();
    frameAnswers(context, frame, { access_token: 'at2', token_type: 'Bearer', expires_in: '600', state: stateOf(frame) });
    await settle();
    expect(context.heard.order).to.deep.equal(['token', 'signout:user']);
    expect(session.token).to.equal(null);
  });

  it('renews a code-grant token with its refresh token only, never in a frame', async () => {
    const context = createTestSession({ responseType: 'code', tokenUrl: `${ISSUER}/token` });
    context.provider.answerTokens({ access_token: 'at1', token_type: 'Bearer', expires_in: 600 });
    await signInAndLand(context, (state) => `?code=c&state=${state}`);
    await waitUntil(() => context.heard.tokens.length === 1, 'the token', { timeout: 5000 });
    context.effects.advance(600_000);
    await settle();
    expect(context.effects.frames).to.have.length(0);
    expect(context.heard.order).to.deep.equal(['token', 'signout:expired']);
  });

  describe('with id_token token', () => {
    async function openidSignedIn(context: TestSession): Promise<void> {
      const hash = await atHash('at1');
      await signInAndLand(context, (state, authorization) => {
        const nonce = authorization.searchParams.get('nonce')!;
        const claims = { iss: ISSUER, aud: 'app', exp: context.effects.now() / 1000 + 600, nonce, at_hash: hash };
        return `#${new URLSearchParams({ access_token: 'at1', token_type: 'Bearer', expires_in: '600', id_token: idToken(claims), state, iss: ISSUER })}`;
      });
      expect(context.heard.order).to.deep.equal(['token']);
    }

    /** The frame's answer with an ID token whose claims `edit` may break. */
    async function openidAnswer(
      context: TestSession,
      frame: FakeFrame,
      edit: (claims: Record<string, unknown>) => Record<string, unknown>,
    ) {
      const request = new URL(frame.url);
      const claims = {
        iss: ISSUER,
        aud: 'app',
        exp: context.effects.now() / 1000 + 600,
        nonce: request.searchParams.get('nonce'),
        at_hash: await atHash('at2'),
      };
      frameAnswers(context, frame, {
        access_token: 'at2',
        token_type: 'Bearer',
        expires_in: '600',
        id_token: idToken(edit(claims)),
        state: stateOf(frame),
        iss: ISSUER,
      });
    }

    it('sends a fresh nonce and takes the new ID token when nonce and at_hash match', async () => {
      const context = createTestSession(OPENID_IMPLICIT);
      await openidSignedIn(context);
      const frame = await silentFrame(context);
      const request = new URL(frame.url);
      expect(request.searchParams.get('response_type')).to.equal('id_token token');
      expect(request.searchParams.get('nonce')).to.match(/^[A-Za-z0-9_-]{43}$/);
      await openidAnswer(context, frame, (claims) => claims);
      await waitUntil(() => context.heard.tokens.length === 2, 'the renewed token', { timeout: 5000 });
      expect(context.heard.tokens[1].idToken).to.be.a('string');
    });

    for (const [name, edit] of [
      ['the nonce of the first sign-in', (claims: Record<string, unknown>) => ({ ...claims, nonce: 'old-nonce' })],
      ['an at_hash of another access token', (claims: Record<string, unknown>) => ({ ...claims, at_hash: 'zz_ZOUUfuDmeKuCS41QJvA' })],
    ] as const) {
      it(`refuses a silent response whose ID token has ${name}: invalid_response, and the token runs out`, async () => {
        const context = createTestSession(OPENID_IMPLICIT);
        await openidSignedIn(context);
        const frame = await silentFrame(context);
        await openidAnswer(context, frame, edit);
        await waitUntil(() => context.heard.errors.length === 1, 'the error', { timeout: 5000 });
        context.effects.advance(60_000);
        expect(context.heard.order).to.deep.equal(['token', 'error:invalid_response', 'signout:expired']);
      });
    }
  });
});

describe('the redirect page inside a silent renewal frame', () => {
  it('relays the response to the parent page at its own origin, cleans its own URL, and keeps nothing', async () => {
    const context = createTestSession();
    const posted: [unknown, string][] = [];
    context.effects.parentWindow = { postMessage: (data: unknown, origin: string) => posted.push([data, origin]) } as unknown as Window;
    const inbox = new CallbackInbox();
    const framed = await land(context, `#access_token=at&token_type=Bearer&state=s.${'B'.repeat(43)}`, {}, { inbox });
    expect(posted).to.have.length(1);
    expect(posted[0][1]).to.equal(ORIGIN);
    expect(posted[0][0]).to.deep.include({ type: POPUP_MESSAGE_TYPE, source: 'fragment' });
    expect(context.effects.url).to.equal(PAGE);
    expect(context.effects.navigations).to.have.length(0);
    // Not signed in inside the frame, and nothing left for another element to claim.
    expect(framed.heard.order).to.deep.equal([]);
    expect(inbox.claim(() => true)).to.equal(undefined);
  });

  it('handles a silent-renewal state on a top-level page as any stray response: invalid_state', async () => {
    const context = createTestSession();
    const landed = await land(context, `#access_token=at&token_type=Bearer&state=s.${'B'.repeat(43)}`);
    expect(landed.heard.order).to.deep.equal(['error:invalid_state']);
  });
});
