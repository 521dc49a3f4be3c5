import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/define.js';
import { browserEffects, type Effects } from '../../src/core/effects.js';
import type { OAuthLoginElement } from '../../src/oauth-login/oauth-login-element.js';
import { resetPage } from '../helpers/page.js';

/**
 * Faults met at a real token endpoint (the test server's /test-api/token, whose `plan` says
 * what it answers each request: hang, busy = 503 Retry-After: 1, big = a 1 MB token, ok =
 * a 3-second token with a refresh token, invalid_grant), by a real element.
 */
const AUTHORIZE = 'https://id.example/authorize';
let uniqueId = 0;
const newId = () => `login-faults-${Date.now()}-${uniqueId++}`;

function stayOnPage(): Effects & { navigations: string[] } {
  const navigations: string[] = [];
  return { ...browserEffects(), navigate: (url: string) => navigations.push(url), navigations };
}

interface Heard {
  events: string[];
  errors: { error: string; description?: string }[];
}

const tokenRequests = async (id: string): Promise<number> =>
  ((await (await fetch(`${location.origin}/test-api/log?id=${id}`)).json()) as { path: string }[]).filter(
    (entry) => entry.path === '/test-api/token',
  ).length;

/**
 * Signs in with the code grant against the test token endpoint with `plan`, then lands on
 * the callback in a new element (as a new page load would), listening from the start.
 */
async function signInAndLand(plan: string, options: { timeout?: number; storage?: string } = {}) {
  const id = newId();
  const tokenUrl = `${location.origin}/test-api/token?id=${id}&plan=${plan}`;
  const login = (effects: Effects) => html`
    <oauth-login
      authorize-url=${AUTHORIZE}
      client-id="app"
      response-type="code"
      token-url=${tokenUrl}
      storage=${options.storage ?? 'memory'}
      .timeout=${options.timeout ?? null}
      .effects=${effects}
    ></oauth-login>
  `;
  const starting = stayOnPage();
  const first = await fixture<OAuthLoginElement>(login(starting));
  await first.signIn();
  const state = new URL(starting.navigations[0]).searchParams.get('state')!;
  first.remove();

  history.replaceState(null, '', `${location.pathname}?code=c&state=${state}`);
  const heard: Heard = { events: [], errors: [] };
  const listen = (event: Event) => {
    heard.events.push(event.type);
    if (event.type === 'oauth-error') heard.errors.push((event as CustomEvent<Heard['errors'][0]>).detail);
  };
  for (const type of ['token', 'signout', 'oauth-error']) document.addEventListener(type, listen);
  const effects = stayOnPage();
  const element = await fixture<OAuthLoginElement>(login(effects));
  const stop = () => {
    for (const type of ['token', 'signout', 'oauth-error']) document.removeEventListener(type, listen);
  };
  return { id, element, effects, heard, stop };
}

describe('<oauth-login> at a token endpoint that misbehaves', function () {
  // Real time: 3-second tokens, their renewal and expiry.
  this.timeout(15_000);
  beforeEach(resetPage);
  afterEach(() => {
    resetPage();
    history.replaceState(null, '', location.pathname);
  });

  it('a hung code exchange ends in timeout within the limit, signed out, and the button starts a new sign-in', async () => {
    const started = performance.now();
    const { element, effects, heard, stop } = await signInAndLand('hang', { timeout: 800 });
    await waitUntil(() => heard.events.length > 0, 'an outcome', { timeout: 4000 });
    stop();
    expect(performance.now() - started).to.be.below(6000);
    expect(heard.errors).to.deep.equal([{ error: 'timeout', description: 'The token endpoint did not answer within 0.8 s' }]);
    expect(element.getAttribute('status')).to.equal('signed-out');
    expect(element.token).to.equal(null);
    element.shadowRoot!.querySelector('button')!.click();
    await waitUntil(() => effects.navigations.length === 1, 'the next sign-in', { timeout: 8000 });
  });

  it('after a timeout, the next sign-in succeeds', async () => {
    const first = await signInAndLand('hang', { timeout: 500 });
    await waitUntil(() => first.heard.errors.length === 1, 'the timeout', { timeout: 4000 });
    first.stop();
    const second = await signInAndLand('ok');
    await waitUntil(() => second.heard.events.includes('token'), 'the token', { timeout: 8000 });
    second.stop();
    expect(second.element.getAttribute('status')).to.equal('signed-in');
    expect(second.heard.errors).to.deep.equal([]);
  });

  it('refuses a 1 MB token answer with invalid_response and stays signed out', async () => {
    const { element, heard, stop } = await signInAndLand('big');
    await waitUntil(() => heard.events.length > 0, 'an outcome', { timeout: 8000 });
    stop();
    expect(heard.errors.map((error) => [error.error, error.description])).to.deep.equal([
      ['invalid_response', 'The token endpoint answered more than 64 KB'],
    ]);
    expect(element.getAttribute('status')).to.equal('signed-out');
  });

  it('keeps the session through a renewal that meets a 503 with Retry-After: 1, then a 200: no signout, no error', async () => {
    const { id, element, heard, stop } = await signInAndLand('ok,busy,ok');
    await oneEvent(element, 'token');
    // The 3-second token renews at half its life; the 503 asks for one more second.
    await waitUntil(() => heard.events.filter((type) => type === 'token').length === 2, 'the renewed token', { timeout: 6000 });
    stop();
    expect(heard.events).to.deep.equal(['token', 'token']);
    expect(await tokenRequests(id)).to.equal(3);
    expect(element.getAttribute('status')).to.equal('signed-in');
    element.remove();
  });

  it('never retries invalid_grant: one error, the token runs out, two requests in all', async () => {
    const { id, element, heard, stop } = await signInAndLand('ok,invalid_grant');
    await waitUntil(() => heard.events.includes('signout'), 'the expiry', { timeout: 6000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    stop();
    expect(heard.events).to.deep.equal(['token', 'oauth-error', 'signout']);
    expect(heard.errors.map((error) => error.error)).to.deep.equal(['invalid_grant']);
    expect(await tokenRequests(id)).to.equal(2);
    expect(element.getAttribute('status')).to.equal('signed-out');
  });
});

describe('<oauth-login storage="local"> when localStorage is full', function () {
  // Filling the storage quota (5 MB or more) takes a while.
  this.timeout(20_000);
  /** Fills localStorage to its quota; returns the keys written, to remove them. */
  function fillLocalStorage(): string[] {
    const keys: string[] = [];
    let chunk = 'x'.repeat(1024 * 1024);
    for (let index = 0; chunk.length > 16; index++) {
      try {
        localStorage.setItem(`fill-${index}`, chunk);
        keys.push(`fill-${index}`);
      } catch {
        chunk = chunk.slice(chunk.length / 2);
      }
    }
    return keys;
  }

  it('announces the token, then one storage_error, and is signed in with the token in memory: status, token and events agree', async () => {
    const filled = fillLocalStorage();
    try {
      const { element, heard, stop } = await signInAndLand('ok', { storage: 'local' });
      await waitUntil(() => heard.events.length >= 2, 'the outcome', { timeout: 8000 });
      stop();
      expect(heard.events).to.deep.equal(['token', 'oauth-error']);
      expect(heard.errors[0].error).to.equal('storage_error');
      expect(element.getAttribute('status')).to.equal('signed-in');
      expect(element.token?.accessToken).to.equal('good-token');
      expect(Object.keys(localStorage).filter((key) => key.startsWith('oauth-elements:'))).to.deep.equal([]);
      element.remove();
    } finally {
      for (const key of filled) localStorage.removeItem(key);
    }
  });
});
