import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/define.js';
import { browserEffects, type Effects } from '../../src/core/effects.js';
import type { OAuthLoginElement } from '../../src/oauth-login/oauth-login-element.js';
import { eventShape } from '../helpers/event-shape.js';
import { arriveWith, projectStorageDump, resetPage } from '../helpers/page.js';

const AUTHORIZE = 'https://id.example/authorize';

/** Real effects, except that navigation is recorded instead of leaving the test page. */
function stayOnPage(): Effects & { navigations: string[] } {
  const navigations: string[] = [];
  return { ...browserEffects(), navigate: (url: string) => navigations.push(url), navigations };
}

async function createLogin(options: { storage?: string; clientId?: string; id?: string } = {}) {
  const effects = stayOnPage();
  const element = await fixture<OAuthLoginElement>(html`
    <oauth-login
      id=${options.id ?? 'login'}
      authorize-url=${AUTHORIZE}
      client-id=${options.clientId ?? 'app'}
      scope="profile read"
      storage=${options.storage ?? 'memory'}
      .effects=${effects}
    ></oauth-login>
  `);
  await new Promise((resolve) => setTimeout(resolve));
  return { element, effects };
}

/** Clicks "Sign in" on a fresh element and returns the state it sent to the provider. */
async function startSignIn(options: Parameters<typeof createLogin>[0] = {}): Promise<string> {
  const { element, effects } = await createLogin(options);
  element.shadowRoot!.querySelector('button')!.click();
  await waitUntil(() => effects.navigations.length > 0, 'no navigation to the provider', { timeout: 5000 });
  element.remove();
  return new URL(effects.navigations[0]).searchParams.get('state')!;
}

/** A new page load on the callback URL: the element appears with the fragment in the address bar. */
async function land(fragment: string, options: Parameters<typeof createLogin>[0] = {}) {
  arriveWith(fragment);
  const historyLength = history.length;
  const effects = stayOnPage();
  const events: string[] = [];
  const heard: { token?: CustomEvent; error?: CustomEvent; signout?: CustomEvent } = {};
  const listen = (event: Event) => {
    events.push(event.type);
    heard[event.type === 'oauth-error' ? 'error' : (event.type as 'token' | 'signout')] = event as CustomEvent;
  };
  for (const type of ['token', 'oauth-error', 'signout']) document.addEventListener(type, listen);
  const urlSeenByFirstListener: string[] = [];
  const element = await fixture<OAuthLoginElement>(html`
    <oauth-login
      id=${options.id ?? 'login'}
      authorize-url=${AUTHORIZE}
      client-id=${options.clientId ?? 'app'}
      scope="profile read"
      storage=${options.storage ?? 'memory'}
      .effects=${effects}
      @token=${() => urlSeenByFirstListener.push(location.href)}
    ></oauth-login>
  `);
  await new Promise((resolve) => setTimeout(resolve, 10));
  for (const type of ['token', 'oauth-error', 'signout']) document.removeEventListener(type, listen);
  return { element, events, heard, historyLength, urlSeenByFirstListener };
}

describe('<oauth-login>', () => {
  beforeEach(resetPage);
  afterEach(resetPage);

  describe('the button', () => {
    it('is a real button part, labelled "Sign in" when signed out', async () => {
      const { element } = await createLogin();
      const button = element.shadowRoot!.querySelector('button')!;
      expect(button.getAttribute('part')).to.equal('button');
      expect(button.textContent!.trim()).to.equal('Sign in');
      expect(element.getAttribute('status')).to.equal('signed-out');
      expect(element.shadowRoot!.mode).to.equal('open');
    });

    it('starts a sign-in from the keyboard (Tab, then Enter)', async () => {
      const { element, effects } = await createLogin();
      const before = document.createElement('input');
      element.before(before);
      before.focus();
      await sendKeys({ press: 'Tab' });
      expect(element.shadowRoot!.activeElement).to.equal(element.shadowRoot!.querySelector('button'));
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => effects.navigations.length > 0, 'no navigation to the provider', { timeout: 5000 });
      expect(effects.navigations).to.have.length(1);
      before.remove();
    });

    it('takes its labels from the sign-in and sign-out slots', async () => {
      const effects = stayOnPage();
      const element = await fixture<OAuthLoginElement>(html`
        <oauth-login authorize-url=${AUTHORIZE} client-id="app" .effects=${effects}>
          <span slot="sign-in">Log in with Example</span><span slot="sign-out">Leave</span>
        </oauth-login>
      `);
      const slot = element.shadowRoot!.querySelector('slot')!;
      expect(slot.name).to.equal('sign-in');
      expect(slot.assignedElements()[0].textContent).to.equal('Log in with Example');
    });

    it('passes an axe accessibility check signed out and signed in', async () => {
      const { element } = await createLogin();
      await expect(element).to.be.accessible();
      const state = await startSignIn();
      const landed = await land(`#access_token=tok&token_type=Bearer&state=${state}`);
      expect(landed.element.getAttribute('status')).to.equal('signed-in');
      await expect(landed.element).to.be.accessible();
    });
  });

  describe('signing in', () => {
    it('sends the browser to the authorize-url with response_type, client_id, redirect_uri, scope and state', async () => {
      const { element, effects } = await createLogin();
      await element.signIn();
      const url = new URL(effects.navigations[0]);
      expect(url.origin + url.pathname).to.equal(AUTHORIZE);
      expect(url.searchParams.get('response_type')).to.equal('token');
      expect(url.searchParams.get('client_id')).to.equal('app');
      expect(url.searchParams.get('redirect_uri')).to.equal(location.origin + location.pathname);
      expect(url.searchParams.get('scope')).to.equal('profile read');
      expect(url.searchParams.get('state')).to.match(/^[A-Za-z0-9_-]{43}$/);
    });

    it('passes signIn(options) to the provider: login_hint, prompt and extra parameters', async () => {
      const { element, effects } = await createLogin();
      await element.signIn({ loginHint: 'ada', prompt: 'select_account', params: { resource: 'https://api.example/' } });
      const url = new URL(effects.navigations[0]);
      expect(url.searchParams.get('login_hint')).to.equal('ada');
      expect(url.searchParams.get('prompt')).to.equal('select_account');
      expect(url.searchParams.get('resource')).to.equal('https://api.example/');
    });

    it('fires invalid_config and does not navigate when signIn params name a protocol parameter', async () => {
      const { element, effects } = await createLogin();
      setTimeout(() => element.signIn({ params: { state: 'chosen' } }));
      const event = await oneEvent(element, 'oauth-error');
      expect(event.detail.error).to.equal('invalid_config');
      expect(effects.navigations).to.deep.equal([]);
    });

    it('keeps the pending request in sessionStorage only', async () => {
      const state = await startSignIn();
      expect(sessionStorage.getItem(`oauth-elements:pending:${state}`)).to.contain(state);
      expect(Object.keys(localStorage).filter((key) => key.startsWith('oauth-elements:'))).to.deep.equal([]);
    });

    it('fires invalid_config and does not navigate when the authorize-url is plain http to another host', async () => {
      const effects = stayOnPage();
      const element = await fixture<OAuthLoginElement>(html`
        <oauth-login authorize-url="http://id.example/authorize" client-id="app" .effects=${effects}></oauth-login>
      `);
      setTimeout(() => element.signIn());
      const event = await oneEvent(element, 'oauth-error');
      expect(event.detail.error).to.equal('invalid_config');
      expect(effects.navigations).to.deep.equal([]);
    });
  });

  describe('a sign-in under way', () => {
    it('in popup mode: status pending, aria-busy on the button, and a second click opens no second popup', async () => {
      const popups: { closed: boolean; location: { assign(url: string): void }; close(): void }[] = [];
      const effects: Effects = {
        ...stayOnPage(),
        openPopup: () => {
          const popup = { closed: false, location: { assign: () => {} }, close: () => (popup.closed = true) };
          popups.push(popup);
          return popup as unknown as Window;
        },
      };
      const element = await fixture<OAuthLoginElement>(html`
        <oauth-login authorize-url=${AUTHORIZE} client-id="app" mode="popup" .effects=${effects}></oauth-login>
      `);
      const button = element.shadowRoot!.querySelector('button')!;
      expect(button.hasAttribute('aria-busy')).to.equal(false);
      button.click();
      button.click();
      await element.updateComplete;
      expect(popups).to.have.length(1);
      expect(element.status).to.equal('pending');
      expect(element.getAttribute('status')).to.equal('pending');
      expect(button.getAttribute('aria-busy')).to.equal('true');
      await expect(element).to.be.accessible();

      popups[0].closed = true;
      const error = await oneEvent(element, 'oauth-error');
      expect(error.detail.error).to.equal('popup_closed');
      await element.updateComplete;
      expect(element.getAttribute('status')).to.equal('signed-out');
      expect(button.hasAttribute('aria-busy')).to.equal(false);
      button.click();
      expect(popups).to.have.length(2);
      popups[1].closed = true;
      await oneEvent(element, 'oauth-error');
    });
  });

  describe('the callback', () => {
    it('accepts the response to its own request, fires token, and is signed in', async () => {
      const state = await startSignIn();
      const { element, events, heard } = await land(`#access_token=tok-123&token_type=Bearer&expires_in=3600&scope=profile&state=${state}`);
      expect(events).to.deep.equal(['token']);
      expect(heard.token!.detail).to.include({ accessToken: 'tok-123', tokenType: 'Bearer', scope: 'profile' });
      expect(heard.token!.detail.expiresAt).to.be.closeTo(Date.now() + 3_600_000, 5000);
      expect(heard.token!.bubbles && heard.token!.composed).to.equal(true);
      expect(element.signedIn).to.equal(true);
      expect(element.token!.accessToken).to.equal('tok-123');
      expect(element.shadowRoot!.querySelector('button')!.textContent!.trim()).to.equal('Sign out');
    });

    it("announces the callback's outcome through afterPageScripts, so listeners added after the element hear it", async () => {
      const state = await startSignIn();
      arriveWith(`#access_token=tok&token_type=Bearer&state=${state}`);
      const queued: (() => void)[] = [];
      const base = stayOnPage();
      const effects: Effects = {
        ...base,
        afterPageScripts: (callback) => queued.push(callback),
      };
      const element = await fixture<OAuthLoginElement>(html`
        <oauth-login id="login" authorize-url=${AUTHORIZE} client-id="app" scope="profile read" .effects=${effects}></oauth-login>
      `);
      const token = oneEvent(element, 'token');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect([queued.length, element.signedIn]).to.deep.equal([1, false]);
      queued[0]();
      expect((await token).detail.accessToken).to.equal('tok');
    });

    it('removes the fragment with replaceState before any listener runs: no bare #, no new history entry', async () => {
      const state = await startSignIn();
      const { historyLength, urlSeenByFirstListener } = await land(`#access_token=tok&token_type=Bearer&state=${state}`);
      expect(location.href).to.not.contain('#');
      expect(location.href).to.not.contain('tok');
      expect(urlSeenByFirstListener).to.have.length(1);
      expect(urlSeenByFirstListener[0]).to.not.contain('#');
      expect(history.length).to.equal(historyLength);
    });

    it('never writes the token into an attribute, the DOM or (with memory storage) any storage', async () => {
      const state = await startSignIn();
      const { element } = await land(`#access_token=SECRETtok&token_type=Bearer&state=${state}`);
      expect(element.signedIn).to.equal(true);
      expect(document.documentElement.outerHTML).to.not.contain('SECRETtok');
      expect(element.shadowRoot!.innerHTML).to.not.contain('SECRETtok');
      expect(projectStorageDump()).to.not.contain('SECRETtok');
      expect(document.cookie).to.not.contain('SECRETtok');
    });

    const rejected: [string, (state: string) => string, string][] = [
      ['a forged response (no pending request)', () => '#access_token=forged&token_type=Bearer&state=made-up', 'invalid_state'],
      ['a response without state', () => '#access_token=forged&token_type=Bearer', 'invalid_state'],
      ['duplicated parameters', (s) => `#access_token=a&access_token=b&token_type=Bearer&state=${s}`, 'invalid_response'],
      ['token_type=mac', (s) => `#access_token=a&token_type=mac&state=${s}`, 'invalid_response'],
      ['a malformed expires_in', (s) => `#access_token=a&token_type=Bearer&expires_in=1e3&state=${s}`, 'invalid_response'],
      ['malformed percent-encoding', (s) => `#access_token=%E0%A4%A&token_type=Bearer&state=${s}`, 'invalid_response'],
    ];
    for (const [name, makeFragment, code] of rejected) {
      it(`rejects ${name} with ${code}, no token, and the fragment removed`, async () => {
        const state = await startSignIn();
        const { element, events, heard } = await land(makeFragment(state));
        expect(events).to.deep.equal(['oauth-error']);
        expect(heard.error!.detail.error).to.equal(code);
        expect(element.signedIn).to.equal(false);
        expect(location.href).to.not.contain('#');
      });
    }

    it('rejects a replay of a callback it already accepted', async () => {
      const state = await startSignIn();
      const fragment = `#access_token=tok&token_type=Bearer&state=${state}`;
      expect((await land(fragment)).events).to.deep.equal(['token']);
      const replay = await land(fragment);
      expect(replay.events).to.deep.equal(['oauth-error']);
      expect(replay.heard.error!.detail.error).to.equal('invalid_state');
      expect(replay.element.signedIn).to.equal(false);
    });

    it('leaves a hash route and an anchor alone', async () => {
      for (const fragment of ['#/settings', '#section-2']) {
        const { events } = await land(fragment);
        expect(events).to.deep.equal([]);
        expect(location.hash).to.equal(fragment);
      }
    });

    it("shows the provider's error_description as text, never as HTML", async () => {
      const state = await startSignIn();
      const hostile = encodeURIComponent('<img src=x onerror="window.__pwned=1">');
      const { element, heard } = await land(`#error=access_denied&error_description=${hostile}&state=${state}`);
      expect(heard.error!.detail).to.include({ error: 'access_denied', description: '<img src=x onerror="window.__pwned=1">' });
      const shown = element.shadowRoot!.querySelector('[part="error"]')!;
      expect(shown.textContent).to.equal('<img src=x onerror="window.__pwned=1">');
      expect(shown.querySelector('img')).to.equal(null);
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    });
  });

  describe('events', () => {
    const cases: [string, () => Promise<void>, (login: OAuthLoginElement) => Promise<void>][] = [
      ['token', async () => arriveWith(`#access_token=tok&token_type=Bearer&state=${await startSignIn()}`), async () => {}],
      ['oauth-error', async () => arriveWith('#access_token=forged&token_type=Bearer&state=made-up'), async () => {}],
      [
        'signout',
        async () => arriveWith(`#access_token=tok&token_type=Bearer&state=${await startSignIn()}`),
        async (login) => {
          await waitUntil(() => login.signedIn, 'never signed in', { timeout: 5000 });
          login.signOut();
        },
      ],
    ];
    for (const [type, arrive, act] of cases) {
      it(`${type} bubbles, is composed and is not cancelable: document hears it from inside a shadow root`, async () => {
        await arrive();
        const host = await fixture<HTMLElement>(html`<div></div>`);
        const login = document.createElement('oauth-login');
        Object.assign(login, { id: 'login', effects: stayOnPage() });
        login.setAttribute('authorize-url', AUTHORIZE);
        login.setAttribute('client-id', 'app');
        const heard: ReturnType<typeof eventShape>[] = [];
        const listen = (event: Event) => heard.push(eventShape(event, host, login));
        document.addEventListener(type, listen);
        try {
          host.attachShadow({ mode: 'open' }).append(login);
          await act(login);
          await waitUntil(() => heard.length > 0, `document heard no ${type}`, { timeout: 5000 });
        } finally {
          document.removeEventListener(type, listen);
        }
        expect(heard).to.deep.equal([{ bubbles: true, composed: true, cancelable: false, retargetedToHost: true, firedByElement: true }]);
      });
    }
  });

  describe('several logins on one page', () => {
    it('each handles only the callbacks of its own requests', async () => {
      const stateB = await startSignIn({ id: 'b', clientId: 'client-b' });
      arriveWith(`#access_token=for-b&token_type=Bearer&state=${stateB}`);
      const effects = stayOnPage();
      const container = await fixture<HTMLElement>(html`
        <div>
          <oauth-login id="a" authorize-url=${AUTHORIZE} client-id="client-a" .effects=${effects}></oauth-login>
          <oauth-login id="b" authorize-url=${AUTHORIZE} client-id="client-b" .effects=${effects}></oauth-login>
        </div>
      `);
      const [a, b] = container.querySelectorAll('oauth-login');
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(a.signedIn).to.equal(false);
      expect(b.token!.accessToken).to.equal('for-b');
    });
  });

  describe('storage', () => {
    it('with storage="session", restores the token on the next load and fires token', async () => {
      const state = await startSignIn({ storage: 'session' });
      await land(`#access_token=kept&token_type=Bearer&expires_in=600&state=${state}`, { storage: 'session' });
      const reload = await land('', { storage: 'session' });
      expect(reload.events).to.deep.equal(['token']);
      expect(reload.element.token!.accessToken).to.equal('kept');
    });

    it('signing out clears the token from storage and fires signout with reason user', async () => {
      const state = await startSignIn({ storage: 'local' });
      const { element } = await land(`#access_token=kept&token_type=Bearer&state=${state}`, { storage: 'local' });
      expect(projectStorageDump()).to.contain('kept');
      setTimeout(() => element.shadowRoot!.querySelector('button')!.click());
      const event = await oneEvent(element, 'signout');
      expect(event.detail).to.deep.equal({ reason: 'user' });
      expect(projectStorageDump()).to.equal('');
      expect(element.getAttribute('status')).to.equal('signed-out');
    });
  });

  describe('expiry', () => {
    it('announces a short-lived token, then drops it and fires signout with reason expired', async () => {
      const state = await startSignIn();
      const { element, events } = await land(`#access_token=brief&token_type=Bearer&expires_in=1&state=${state}`);
      expect(events).to.deep.equal(['token']);
      const event = await oneEvent(element, 'signout');
      expect(event.detail.reason).to.equal('expired');
      expect(element.token).to.equal(null);
      expect(element.getAttribute('status')).to.equal('signed-out');
    });
  });
});
