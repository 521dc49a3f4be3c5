import { expect, waitUntil } from '@open-wc/testing';
import { clearDiscoveryCache } from '../../src/core/discovery.js';
import type { OAuthError } from '../../src/core/errors.js';
import { MAX_PROVIDER_RESPONSE_BYTES, readBoundedText } from '../../src/core/response-body.js';
import { PROVIDER_TIME_LIMIT_MS, withTimeLimit } from '../../src/core/time-limit.js';
import { CODE_GRANT, createTestSession, land, settle, signIn, type TestSession } from '../helpers/session-harness.js';
import { MemoryStorage } from '../helpers/fake-effects.js';

const tokens = (accessToken: string, refreshToken: string, expiresIn = 600) =>
  Response.json({ access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, refresh_token: refreshToken });

/** A fetch answer that never comes, until the request is aborted (as a hung server). */
const hung = (init: RequestInit = {}) =>
  new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));

/** Signs in with `context`, then lands on a code callback in a new session that `context.heard` hears too. */
async function signInAndLand(context: TestSession) {
  const { state } = await signIn(context);
  return land(context, `?code=c&state=${state}`, {}, { heard: context.heard });
}

/** Signs in with the code grant; the token endpoint's first answer is `first`. */
async function signedIn(context: TestSession, first: () => Response) {
  context.provider.tokenAnswers.push(first);
  return signInAndLand(context);
}

/** Lets the renewal timer fire (at 540 s of a 600 s token) and its request run. */
async function reachRenewal(context: TestSession) {
  context.effects.advance(540_000);
  await settle();
}

describe('time limits: no request waits without end', () => {
  beforeEach(clearDiscoveryCache);

  it('ends a hung code exchange in one timeout at the limit, signed out, and the next sign-in works', async () => {
    const context = createTestSession({ ...CODE_GRANT, timeout: 5000 });
    let signal: AbortSignal | undefined;
    const realFetch = context.effects.fetch;
    context.effects.fetch = ((input: RequestInfo | URL, init: RequestInit = {}) => {
      if (String(input).endsWith('/token') && !signal) {
        signal = init.signal ?? undefined;
        return hung(init);
      }
      return realFetch(input, init);
    }) as typeof fetch;
    const landing = signInAndLand(context);
    await settle();
    expect(context.heard.order).to.deep.equal([]);
    context.effects.advance(4999);
    await settle();
    expect(context.heard.order).to.deep.equal([]);
    context.effects.advance(1);
    const { session } = await landing;
    expect(context.heard.errors).to.deep.equal([{ error: 'timeout', description: 'The token endpoint did not answer within 5 s' }]);
    expect(signal?.aborted, 'the request itself is aborted').to.equal(true);
    expect(session.token).to.equal(null);

    context.provider.tokenAnswers.push(() => tokens('at2', 'rt2'));
    await signInAndLand(context);
    expect(context.heard.order).to.deep.equal(['error:timeout', 'token']);
  });

  it('uses a 30 s limit by default', async () => {
    const effects = createTestSession().effects;
    const answer = withTimeLimit(effects, PROVIDER_TIME_LIMIT_MS, 'The token endpoint', () => new Promise<never>(() => {}));
    effects.advance(29_999);
    let settled = false;
    answer.catch(() => (settled = true));
    await settle();
    expect(settled).to.equal(false);
    effects.advance(1);
    await answer.then(
      () => expect.fail('resolved'),
      (error: OAuthError) => expect(error.detail.error).to.equal('timeout'),
    );
  });

  it('passes an abort of the caller through as it is, not as a timeout', async () => {
    const effects = createTestSession().effects;
    const outer = new AbortController();
    const answer = withTimeLimit(effects, 1000, 'x', (signal) => hung({ signal }), outer.signal);
    outer.abort();
    await answer.then(
      () => expect.fail('resolved'),
      (error: Error) => expect(error.name).to.equal('AbortError'),
    );
    expect(effects.pendingTimers).to.equal(0);
  });
});

describe('bounds and codes of token-endpoint answers', () => {
  it('refuses an answer larger than 64 KB (a 1 MB token) with invalid_response', async () => {
    const context = createTestSession(CODE_GRANT);
    let pulled = 0;
    const chunk = new Uint8Array(16 * 1024).fill(0x61);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        if (pulled > 64) controller.close();
        else controller.enqueue(chunk);
      },
    });
    await signedIn(context, () => new Response(body, { headers: { 'Content-Type': 'application/json' } }));
    expect(context.heard.errors.map((e) => [e.error, e.description])).to.deep.equal([
      ['invalid_response', 'The token endpoint answered more than 64 KB'],
    ]);
    expect(context.heard.tokens).to.deep.equal([]);
  });

  it('accepts an answer of exactly 64 KB', async () => {
    const text = 'x'.repeat(MAX_PROVIDER_RESPONSE_BYTES);
    expect(await readBoundedText(new Response(text), MAX_PROVIDER_RESPONSE_BYTES, 'The token endpoint')).to.equal(text);
  });

  it('calls a body cut off in the middle network_error', async () => {
    const context = createTestSession(CODE_GRANT);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"access_token":"a'));
        controller.error(new TypeError('network error'));
      },
    });
    await signedIn(context, () => new Response(body));
    expect(context.heard.errors).to.deep.equal([{ error: 'network_error', description: "The token endpoint's answer was cut off" }]);
  });

  for (const status of [500, 503]) {
    it(`says the status of a ${status} that is not JSON`, async () => {
      const context = createTestSession(CODE_GRANT);
      await signedIn(context, () => new Response('<h1>Service Unavailable</h1>', { status }));
      expect(context.heard.errors).to.deep.equal([
        { error: 'http_error', description: `The token endpoint answered HTTP ${status}`, status },
      ]);
    });
  }
});

describe('renewal survives a bad moment', () => {
  it('after a 503 with Retry-After: 1, tries again 1 s later and keeps the session: no signout, one error-free renewal', async () => {
    const context = createTestSession(CODE_GRANT);
    const { session } = await signedIn(context, () => tokens('at1', 'rt1'));
    context.provider.tokenAnswers.push(() =>
      Response.json({ error: 'temporarily_unavailable' }, { status: 503, headers: { 'Retry-After': '1' } }),
    );
    context.provider.tokenAnswers.push(() => tokens('at2', 'rt2'));
    await reachRenewal(context);
    expect(context.provider.tokenRequests()).to.have.length(2);
    context.effects.advance(999);
    await settle();
    expect(context.provider.tokenRequests(), 'not before Retry-After').to.have.length(2);
    context.effects.advance(1);
    await settle();
    expect(context.provider.tokenRequests()).to.have.length(3);
    expect(Object.fromEntries(context.provider.tokenRequests()[2])).to.include({ refresh_token: 'rt1' });
    await waitUntil(() => session.token?.accessToken === 'at2', 'the renewed token', { timeout: 5000 });
    expect(context.heard.order).to.deep.equal(['token', 'token']);
  });

  it('retries network failures with growing, capped waits until the token expires, then reports once and lets it run out', async () => {
    const context = createTestSession(CODE_GRANT);
    await signedIn(context, () => tokens('at1', 'rt1'));
    const realFetch = context.effects.fetch;
    context.effects.fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
      String(input).endsWith('/token') ? Promise.reject(new TypeError('offline')) : realFetch(input, init)) as typeof fetch;
    const attemptsAt: number[] = [];
    const counting = context.effects.fetch;
    context.effects.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      attemptsAt.push(context.effects.now());
      return counting(input, init);
    }) as typeof fetch;
    await reachRenewal(context);
    for (let second = 0; second < 60; second++) {
      context.effects.advance(1000);
      await settle();
    }
    const waits = attemptsAt.slice(1).map((at, i) => at - attemptsAt[i]);
    expect(attemptsAt.length).to.be.within(4, 8);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).to.be.at.least(waits[i - 1] / 2);
    expect(Math.max(...waits)).to.be.at.most(60_000);
    expect(context.heard.order).to.deep.equal(['token', 'error:network_error', 'signout:expired']);
  });

  it('never retries invalid_grant', async () => {
    const context = createTestSession(CODE_GRANT);
    await signedIn(context, () => tokens('at1', 'rt1'));
    context.provider.tokenAnswers.push(() => Response.json({ error: 'invalid_grant' }, { status: 400 }));
    await reachRenewal(context);
    context.effects.advance(60_000);
    await settle();
    expect(context.provider.tokenRequests()).to.have.length(2);
    expect(context.heard.order).to.deep.equal(['token', 'error:invalid_grant', 'signout:expired']);
  });

  it('tries again at once when the browser comes back online', async () => {
    const context = createTestSession(CODE_GRANT);
    const { session } = await signedIn(context, () => tokens('at1', 'rt1'));
    const realFetch = context.effects.fetch;
    let offline = true;
    context.effects.fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
      offline && String(input).endsWith('/token') ? Promise.reject(new TypeError('offline')) : realFetch(input, init)) as typeof fetch;
    await reachRenewal(context);
    offline = false;
    context.provider.tokenAnswers.push(() => tokens('at2', 'rt2'));
    context.effects.comeOnline();
    await settle();
    expect(session.token!.accessToken).to.equal('at2');
    expect(context.heard.order).to.deep.equal(['token', 'token']);
  });

  it('a hung refresh ends in its time limit and is tried again', async () => {
    const context = createTestSession({ ...CODE_GRANT, timeout: 2000 });
    const { session } = await signedIn(context, () => tokens('at1', 'rt1'));
    const realFetch = context.effects.fetch;
    let hangs = 1;
    context.effects.fetch = ((input: RequestInfo | URL, init: RequestInit = {}) =>
      String(input).endsWith('/token') && hangs-- > 0 ? hung(init) : realFetch(input, init)) as typeof fetch;
    context.provider.tokenAnswers.push(() => tokens('at2', 'rt2'));
    await reachRenewal(context);
    context.effects.advance(2000);
    await settle();
    for (let second = 0; second < 5 && session.token?.accessToken !== 'at2'; second++) {
      context.effects.advance(1000);
      await settle();
    }
    expect(session.token!.accessToken).to.equal('at2');
    expect(context.heard.order).to.deep.equal(['token', 'token']);
  });
});

describe("a token's arrival is all or nothing", () => {
  class FullStorage extends MemoryStorage {
    override setItem(key: string): void {
      if (key.startsWith('oauth-elements:token:')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
  }

  it('when localStorage refuses the token: token event, then one storage_error; signed in, in memory, renewing, expiring', async () => {
    const context = createTestSession({ ...CODE_GRANT, storage: 'local' });
    Object.defineProperty(context.effects, 'local', { value: new FullStorage() });
    const { session } = await signedIn(context, () => tokens('at1', 'rt1'));
    expect(context.heard.order).to.deep.equal(['token', 'error:storage_error']);
    expect(context.heard.errors[0].description).to.equal('The browser refused to store the token; it is kept in memory for this page');
    expect(session.token!.accessToken).to.equal('at1');
    context.provider.tokenAnswers.push(() => tokens('at2', 'rt2', 100));
    await reachRenewal(context);
    expect(session.token!.accessToken).to.equal('at2');
    expect(context.heard.order, 'one storage_error, not one per renewal').to.deep.equal(['token', 'error:storage_error', 'token']);
    context.effects.advance(100_000);
    await settle();
    expect(context.heard.order).to.include('signout:expired');
    expect(session.token).to.equal(null);
  });

  it('when sessionStorage refuses the pending request, the sign-in does not start: storage_error, no navigation', async () => {
    const context = createTestSession();
    Object.defineProperty(context.effects, 'session', {
      value: Object.assign(new MemoryStorage(), {
        setItem() {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        },
      }),
    });
    await context.session.signIn();
    expect(context.heard.errors.map((e) => e.error)).to.deep.equal(['storage_error']);
    expect(context.effects.navigations).to.deep.equal([]);
  });
});
