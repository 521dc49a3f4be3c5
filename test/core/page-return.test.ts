import { expect, waitUntil } from '@open-wc/testing';
import { browserEffects } from '../../src/core/effects.js';
import { CODE_GRANT, createTestSession, settle, signInAndLand, type TestSession } from '../helpers/session-harness.js';

/** A ten-minute token `at<n>` with refresh token `rt<n>`. */
const tokens = (n: number) => () =>
  Response.json({ access_token: `at${n}`, token_type: 'Bearer', expires_in: 600, refresh_token: `rt${n}` });

/**
 * Signed in with the code grant (token at1, refresh token rt1); `offline()` makes the token
 * endpoint unreachable until `online()`; `tries()` counts the refreshes sent, reached or not.
 */
async function signedIn() {
  const context = createTestSession(CODE_GRANT);
  context.provider.tokenAnswers.push(tokens(1));
  const { session } = await signInAndLand(context, (state) => `?code=c&state=${state}`);
  // No jitter: the retries then fall at fixed times, none in the second before expiry, where
  // its failure would be said after the token's end instead of before it.
  context.effects.getRandomValues = (bytes) => bytes.fill(0);
  const reach = context.effects.fetch;
  let reachable = true;
  let tries = 0;
  context.effects.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    if (!String(input).endsWith('/token')) return reach(input, init);
    tries++;
    return reachable ? reach(input, init) : Promise.reject(new TypeError('Failed to fetch'));
  }) as typeof fetch;
  return { ...context, session, offline: () => (reachable = false), online: () => (reachable = true), tries: () => tries };
}

/** Offline from before the renewal until the token has expired: every retry fails, the error is said once. */
async function expiredOffline(context: Awaited<ReturnType<typeof signedIn>>) {
  context.offline();
  context.effects.advance(540_000);
  await settle();
  for (let second = 540; second < 610; second++) {
    context.effects.advance(1000);
    await settle();
  }
  expect(context.heard.order).to.deep.equal(['token', 'error:network_error', 'signout:expired']);
}

const refreshRequests = ({ provider }: TestSession) =>
  provider.tokenRequests().filter((body) => body.get('grant_type') === 'refresh_token');

describe('a refresh token that outlived its access token', () => {
  for (const [moment, comeBack] of [
    ['the browser comes back online', (context: TestSession) => context.effects.comeOnline()],
    ['the page is shown again from the back-forward cache', (context: TestSession) => context.effects.restoreFromCache()],
  ] as const) {
    it(`renews when ${moment}, announcing the new token`, async () => {
      const context = await signedIn();
      await expiredOffline(context);
      const tries = refreshRequests(context).length;
      context.online();
      context.provider.tokenAnswers.push(tokens(2));
      comeBack(context);
      await waitUntil(() => context.session.token?.accessToken === 'at2', 'the renewed token', { timeout: 5000 });
      expect(
        refreshRequests(context)
          .slice(tries)
          .map((body) => body.get('refresh_token')),
      ).to.deep.equal(['rt1']);
      expect(context.heard.order).to.deep.equal(['token', 'error:network_error', 'signout:expired', 'token']);
      // Renewing as before: the new token is renewed with the new refresh token.
      context.provider.tokenAnswers.push(tokens(3));
      context.effects.advance(540_000);
      await waitUntil(() => context.session.token?.accessToken === 'at3', 'the next renewal', { timeout: 5000 });
      expect(refreshRequests(context).at(-1)?.get('refresh_token')).to.equal('rt2');
    });
  }

  it('still unreachable when the page comes back: tries again for half a minute without saying more, then waits for the next chance', async () => {
    const context = await signedIn();
    await expiredOffline(context);
    const tries = context.tries();
    context.effects.restoreFromCache();
    await settle();
    expect(context.tries()).to.equal(tries + 1);
    for (let second = 0; second < 40; second++) {
      context.effects.advance(1000);
      await settle();
    }
    const retried = context.tries() - tries - 1;
    expect(retried, 'retried with backoff after the page came back').to.be.within(2, 6);
    context.effects.advance(600_000);
    await settle();
    expect(context.tries(), 'no retries after that half minute').to.equal(tries + 1 + retried);
    context.online();
    context.provider.tokenAnswers.push(tokens(2));
    context.effects.comeOnline();
    await waitUntil(() => context.session.token?.accessToken === 'at2', 'the renewed token', { timeout: 5000 });
    expect(context.heard.order).to.deep.equal(['token', 'error:network_error', 'signout:expired', 'token']);
  });

  it('renews when the network works a moment after the page came back online', async () => {
    const context = await signedIn();
    await expiredOffline(context);
    context.effects.comeOnline();
    await settle();
    context.online();
    context.provider.tokenAnswers.push(tokens(2));
    for (let second = 0; second < 5 && context.session.token?.accessToken !== 'at2'; second++) {
      context.effects.advance(1000);
      await settle();
    }
    expect(context.session.token?.accessToken).to.equal('at2');
  });

  it('refused when the page comes back: reported once, dropped, never sent again', async () => {
    const context = await signedIn();
    await expiredOffline(context);
    context.online();
    context.provider.answerTokens({ error: 'invalid_grant' }, 400);
    context.effects.comeOnline();
    await waitUntil(() => context.heard.errors.length === 2, 'the refusal', { timeout: 5000 });
    const tries = context.tries();
    context.effects.comeOnline();
    context.effects.restoreFromCache();
    await settle();
    expect(context.tries()).to.equal(tries);
    expect(context.heard.order).to.deep.equal(['token', 'error:network_error', 'signout:expired', 'error:invalid_grant']);
    expect(context.session.token).to.equal(null);
  });

  it('is given up at sign-out, here or in another tab: the page coming back renews nothing', async () => {
    const context = await signedIn();
    await expiredOffline(context);
    context.online();
    context.session.signOut();
    const tries = context.tries();
    context.effects.comeOnline();
    context.effects.restoreFromCache();
    await settle();
    expect(context.tries()).to.equal(tries);
    expect(context.session.token).to.equal(null);
  });

  it('when the page was frozen past the expiry with a renewal due: one refresh, and its token is kept although the old one expired meanwhile', async () => {
    const context = await signedIn();
    context.provider.tokenAnswers.push(tokens(2));
    // In the back-forward cache no timer runs: the clock moves on, the timers fire when the page is back.
    context.effects.time += 900_000;
    context.effects.restoreFromCache();
    context.effects.advance(0);
    await waitUntil(() => context.session.token?.accessToken === 'at2', 'the renewed token', { timeout: 5000 });
    await settle();
    expect(refreshRequests(context).map((body) => body.get('refresh_token'))).to.deep.equal(['rt1']);
    expect(context.heard.order).to.deep.equal(['token', 'signout:expired', 'token']);
  });

  it('is not woken while the token is valid and its renewal is on time', async () => {
    const context = await signedIn();
    context.effects.comeOnline();
    context.effects.restoreFromCache();
    await settle();
    expect(context.tries()).to.equal(0);
  });
});

describe('the browser’s back-forward cache effect', () => {
  it('hears a pageshow that restores the page from the cache, not one of a fresh load', () => {
    const shown: string[] = [];
    const stop = browserEffects().onPageRestored(() => shown.push('restored'));
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
    expect(shown).to.deep.equal([]);
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    expect(shown).to.deep.equal(['restored']);
    stop();
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    expect(shown).to.deep.equal(['restored']);
  });
});
