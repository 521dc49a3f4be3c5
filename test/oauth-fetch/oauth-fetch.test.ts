import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { render } from 'lit';
import '../../src/define.js';
import { browserEffects, type Effects } from '../../src/core/effects.js';
import type { OAuthFetchElement } from '../../src/oauth-fetch/oauth-fetch-element.js';
import type { OAuthLoginElement } from '../../src/oauth-login/oauth-login-element.js';
import { eventShape } from '../helpers/event-shape.js';
import { arriveWith, resetPage } from '../helpers/page.js';

const API = `${location.origin}/test-api`;
const GOOD = 'good-token';
let uniqueId = 0;
const newId = () => `t${Date.now()}-${uniqueId++}`;

interface FetchCall {
  url: string;
  authorization: string | null;
  /** The request as it went out: its own settings, with those fetch was called with over them. */
  init: RequestInit;
}

/** Real fetch, with every call and its abort signal recorded. */
function recordingEffects(): Effects & { calls: FetchCall[] } {
  const calls: FetchCall[] = [];
  const base = browserEffects();
  return {
    ...base,
    calls,
    fetch: (input, init = {}) => {
      const request = new Request(input, init);
      const { credentials, cache, referrerPolicy, redirect, headers } = request;
      calls.push({
        url: request.url,
        authorization: headers.get('Authorization'),
        init: { credentials, cache, referrerPolicy, redirect, ...init },
      });
      return base.fetch(input, init);
    },
  };
}

async function serverLog(id: string): Promise<{ path: string; authorization: string | null }[]> {
  return (await fetch(`${API}/log?id=${id}`)).json();
}

async function createFetch(src: string | null, token: string | null = GOOD) {
  const effects = recordingEffects();
  const element = await fixture<OAuthFetchElement>(html`<oauth-fetch src=${src ?? ''} .effects=${effects} .token=${token}></oauth-fetch>`);
  return { element, effects };
}

const text = (element: Element) => element.shadowRoot!.textContent!.replace(/\s+/g, ' ');

/** Waits for the element to finish: a response or an error. */
function settled(element: OAuthFetchElement): Promise<CustomEvent> {
  return Promise.race([oneEvent(element, 'response'), oneEvent(element, 'oauth-error')]) as Promise<CustomEvent>;
}

describe('<oauth-fetch>', () => {
  beforeEach(resetPage);
  afterEach(resetPage);

  describe('fetching', () => {
    it('sends the bearer with credentials omitted, no referrer, no redirect, the HTTP cache as the server says, and shows the JSON', async () => {
      const id = newId();
      const effects = recordingEffects();
      const element = document.createElement('oauth-fetch');
      element.effects = effects;
      element.token = GOOD;
      element.src = `${API}/profile?id=${id}`;
      const event = oneEvent(element, 'response');
      document.body.append(element);
      const { detail } = await event;
      expect(detail).to.deep.equal({ data: { name: 'Ada Demo', id }, status: 200, url: `${API}/profile?id=${id}` });
      expect(effects.calls[0].init).to.include({
        credentials: 'omit',
        // Not no-store: that would also skip the CORS preflight cache (test/oauth-fetch/faults.test.ts).
        cache: 'default',
        referrerPolicy: 'no-referrer',
        redirect: 'manual',
      });
      expect(await serverLog(id)).to.deep.equal([{ path: '/test-api/profile', authorization: `Bearer ${GOOD}`, origin: null }]);
      expect(element.getAttribute('status')).to.equal('loaded');
      expect(text(element)).to.contain('name').and.to.contain('Ada Demo');
      element.remove();
    });

    it('says "Loading…" in the font of the tree, which is then ready when the data arrives', async () => {
      const { element } = await createFetch(null);
      element.src = `${API}/profile`;
      await element.updateComplete;
      const status = element.shadowRoot!.querySelector('[part="status"]')!;
      expect(status.textContent!.trim()).to.equal('Loading…');
      await oneEvent(element, 'response');
      const tree = element.shadowRoot!.querySelector('.json-tree')!;
      expect(getComputedStyle(status).fontFamily).to.equal(getComputedStyle(tree).fontFamily).and.to.contain('monospace');
    });

    it('accepts a +json media type', async () => {
      const { element } = await createFetch(null);
      element.src = `${API}/vendor-json`;
      expect((await oneEvent(element, 'response')).detail.data).to.deep.equal({ ok: true });
    });

    /** An element whose requests all answer `body`, one byte per chunk (or failing after `cutAfter` bytes). */
    async function answering(body: Uint8Array, cutAfter?: number) {
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === cutAfter) controller.error(new TypeError('connection reset'));
          else if (sent < body.length) controller.enqueue(body.slice(sent, ++sent));
          else controller.close();
        },
      });
      const effects = { ...browserEffects(), fetch: async () => new Response(stream, { headers: { 'Content-Type': 'application/json' } }) };
      const element = await fixture<OAuthFetchElement>(html`<oauth-fetch .effects=${effects} .token=${GOOD}></oauth-fetch>`);
      element.src = `${API}/anything`;
      return element;
    }

    it('decodes the body as UTF-8 as a whole: a byte order mark dropped, characters split between chunks kept', async () => {
      const json = new TextEncoder().encode('{"city":"Zürich","party":"🎉"}');
      const element = await answering(new Uint8Array([0xef, 0xbb, 0xbf, ...json]));
      expect((await oneEvent(element, 'response')).detail.data).to.deep.equal({ city: 'Zürich', party: '🎉' });
    });

    it('a body cut off on the way is network_error', async () => {
      const element = await answering(new TextEncoder().encode('{"items":[1,2,3]}'), 5);
      const { detail } = await oneEvent(element, 'oauth-error');
      expect(detail).to.deep.equal({ error: 'network_error', description: "The resource's answer was cut off" });
    });

    it('shows only the part a JSON Pointer picks', async () => {
      const { element } = await createFetch(null);
      element.pointer = '/name';
      element.src = `${API}/profile`;
      await oneEvent(element, 'response');
      expect(element.shadowRoot!.querySelector('[part="view"]')!.textContent).to.contain('Ada Demo').and.not.contain('name');
    });

    it('lets the page replace the view with its own rendering: a node, or a lit template rendered into one', async () => {
      const { element } = await createFetch(null);
      element.renderData = (data) => {
        const container = document.createElement('div');
        render(html`<p class="custom">Hello, ${(data as { name: string }).name}</p>`, container);
        return container;
      };
      element.src = `${API}/profile`;
      await oneEvent(element, 'response');
      expect(element.shadowRoot!.querySelector('.custom')!.textContent).to.equal('Hello, Ada Demo');
    });

    it('shows a string from the render hook as text, never as HTML', async () => {
      const { element } = await createFetch(null);
      element.renderData = () => '<img src=x onerror="window.__pwned=1">';
      element.src = `${API}/profile`;
      await oneEvent(element, 'response');
      const view = element.shadowRoot!.querySelector('[part="view"]')!;
      expect(view.querySelector('img')).to.equal(null);
      expect(view.textContent).to.equal('<img src=x onerror="window.__pwned=1">');
    });

    it('builds as many elements for a ten times larger response: the view stays the same size', async () => {
      const record = (i: number) => ({ id: i, name: `user ${i}`, tags: ['a', 'b'], address: { city: 'X', zip: String(i) } });
      const elementsFor = async (count: number) => {
        const body = JSON.stringify({
          meta: { count },
          items: Array.from({ length: count }, (_, i) => record(i)),
          ...Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i])),
        });
        const effects: Effects = {
          ...browserEffects(),
          fetch: () => Promise.resolve(new Response(body, { headers: { 'Content-Type': 'application/json' } })),
        };
        const element = await fixture<OAuthFetchElement>(
          html`<oauth-fetch src=${`${API}/big`} .effects=${effects} .token=${GOOD}></oauth-fetch>`,
        );
        await oneEvent(element, 'response');
        await element.updateComplete;
        const items = [...element.shadowRoot!.querySelectorAll('summary')].find((summary) => summary.textContent!.includes('"items"'))!;
        (items.parentElement as HTMLDetailsElement).open = true;
        await oneEvent(items.parentElement!, 'toggle');
        return element.shadowRoot!.querySelectorAll('*').length;
      };
      const small = await elementsFor(1_000);
      expect(small).to.be.greaterThan(200);
      expect(await elementsFor(10_000)).to.equal(small);
    });

    it('is idle, and requests nothing, without a token or without a src', async () => {
      const withoutToken = await createFetch(`${API}/profile`, null);
      const withoutSrc = await createFetch(null);
      expect(withoutToken.element.getAttribute('status')).to.equal('idle');
      expect(withoutSrc.element.getAttribute('status')).to.equal('idle');
      expect([...withoutToken.effects.calls, ...withoutSrc.effects.calls]).to.deep.equal([]);
    });
  });

  describe('one outcome per load', () => {
    /** Every event the element fires until it has been quiet for a while. */
    async function eventsOf(element: OAuthFetchElement, start: () => void): Promise<string[]> {
      const heard: string[] = [];
      for (const type of ['response', 'oauth-error']) element.addEventListener(type, (event) => heard.push(event.type));
      start();
      await waitUntil(() => heard.length > 0, 'no event', { timeout: 5000 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      return heard;
    }

    it('a pointer to nothing in a good response fires oauth-error alone, never response', async () => {
      const { element } = await createFetch(null);
      element.pointer = '/nope';
      const heard = await eventsOf(element, () => (element.src = `${API}/profile`));
      expect(heard).to.deep.equal(['oauth-error']);
      expect(element.getAttribute('status')).to.equal('error');
      expect(text(element)).to.contain('The response has nothing at /nope').and.not.contain('Ada Demo');
    });

    it('a pointer changed after a load re-resolves the loaded data without a request: one response or one oauth-error each time', async () => {
      const { element, effects } = await createFetch(null);
      element.pointer = '/name';
      expect(await eventsOf(element, () => (element.src = `${API}/profile`))).to.deep.equal(['response']);
      const heard: string[] = [];
      for (const type of ['response', 'oauth-error']) element.addEventListener(type, (event) => heard.push(event.type));

      element.pointer = '/id';
      await element.updateComplete;
      expect([heard, element.getAttribute('status')]).to.deep.equal([['response'], 'loaded']);

      element.pointer = '/nope';
      await element.updateComplete;
      expect([heard, element.getAttribute('status')]).to.deep.equal([['response', 'oauth-error'], 'error']);
      expect(text(element)).to.not.contain('Ada Demo');

      element.pointer = '/name';
      await element.updateComplete;
      expect([heard, element.getAttribute('status')]).to.deep.equal([['response', 'oauth-error', 'response'], 'loaded']);
      expect(element.shadowRoot!.querySelector('[part="view"]')!.textContent).to.contain('Ada Demo');
      expect(effects.calls).to.have.length(1);
    });
  });

  describe('events', () => {
    const cases: [string, string][] = [
      ['response', `${API}/profile`],
      ['oauth-error', 'http://example.com/api'],
    ];
    for (const [type, src] of cases) {
      it(`${type} bubbles, is composed and is not cancelable: document hears it from inside a shadow root`, async () => {
        const host = await fixture<HTMLElement>(html`<div></div>`);
        const element = document.createElement('oauth-fetch');
        element.token = GOOD;
        host.attachShadow({ mode: 'open' }).append(element);
        const heard: ReturnType<typeof eventShape>[] = [];
        const listen = (event: Event) => heard.push(eventShape(event, host, element));
        document.addEventListener(type, listen);
        try {
          element.src = src;
          await waitUntil(() => heard.length > 0, `document heard no ${type}`, { timeout: 5000 });
        } finally {
          document.removeEventListener(type, listen);
        }
        expect(heard).to.deep.equal([{ bubbles: true, composed: true, cancelable: false, retargetedToHost: true, firedByElement: true }]);
      });
    }

    it('status is loaded when response fires, and error when oauth-error fires', async () => {
      const { element } = await createFetch(null);
      const seen: string[] = [];
      for (const type of ['response', 'oauth-error']) {
        element.addEventListener(type, (event) => seen.push(`${event.type}: ${element.status} ${element.getAttribute('status')}`));
      }
      element.src = `${API}/profile`;
      await waitUntil(() => seen.length === 1, 'no response', { timeout: 5000 });
      element.src = 'http://example.com/api';
      await waitUntil(() => seen.length === 2, 'no oauth-error', { timeout: 5000 });
      expect(seen).to.deep.equal(['response: loaded loaded', 'oauth-error: error error']);
    });
  });

  describe('refetching and aborting', () => {
    it('fetches again when src changes, aborting the request it replaces; the stale response never shows', async () => {
      const { element, effects } = await createFetch(`${API}/slow?ms=400&tag=first`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const responses: unknown[] = [];
      element.addEventListener('response', (event) => responses.push(event.detail.data));
      element.src = `${API}/slow?ms=10&tag=second`;
      await oneEvent(element, 'response');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(effects.calls).to.have.length(2);
      expect(effects.calls[0].init.signal!.aborted).to.equal(true);
      expect(responses).to.deep.equal([{ tag: 'second' }]);
      expect(text(element)).to.contain('second').and.not.contain('first');
    });

    it('fetches again when the token changes', async () => {
      const { element, effects } = await createFetch(`${API}/profile`, 'wrong-token');
      expect((await settled(element)).type).to.equal('oauth-error');
      element.token = GOOD;
      await oneEvent(element, 'response');
      expect(effects.calls.map((call) => call.authorization)).to.deep.equal(['Bearer wrong-token', `Bearer ${GOOD}`]);
    });

    it('aborts its request when removed from the page', async () => {
      const { element, effects } = await createFetch(`${API}/slow?ms=300`);
      element.remove();
      expect(effects.calls[0].init.signal!.aborted).to.equal(true);
    });

    it('clears what it shows when the token is cleared', async () => {
      const { element } = await createFetch(`${API}/profile`);
      await oneEvent(element, 'response');
      element.token = null;
      await element.updateComplete;
      expect(element.getAttribute('status')).to.equal('idle');
      expect(text(element)).to.not.contain('Ada Demo');
    });
  });

  describe('errors', () => {
    const cases: [string, string, string, number | undefined][] = [
      ['a 401 is invalid_token, with the WWW-Authenticate description', '/profile', 'invalid_token', 401],
      ['another non-2xx is http_error with its status', '/server-error', 'http_error', 500],
      ['a 403 insufficient_scope is insufficient_scope 403, naming the scope', '/forbidden', 'insufficient_scope', 403],
      ['a text/plain body is invalid_response', '/text', 'invalid_response', undefined],
      ['an HTML body is invalid_response and is not rendered', '/html', 'invalid_response', undefined],
      ['invalid JSON is invalid_response', '/invalid-json', 'invalid_response', undefined],
    ];
    for (const [name, path, code, status] of cases) {
      it(name, async () => {
        const { element } = await createFetch(null, path === '/profile' ? 'unknown-token' : GOOD);
        element.src = API + path;
        const { detail } = await oneEvent(element, 'oauth-error');
        expect(detail.error).to.equal(code);
        if (status) expect(detail.status).to.equal(status);
        if (code === 'invalid_token') expect(detail.description).to.equal('The access token is unknown');
        if (code === 'insufficient_scope') expect(detail.scope).to.equal('admin');
        expect(element.getAttribute('status')).to.equal('error');
        expect(element.shadowRoot!.querySelector('[part="view"]')!.childElementCount).to.equal(0);
        expect(element.shadowRoot!.querySelector('img')).to.equal(null);
      });
    }

    it('a network failure is network_error', async () => {
      const { element } = await createFetch(null);
      element.src = 'http://127.0.0.1:9/unreachable';
      expect((await oneEvent(element, 'oauth-error')).detail.error).to.equal('network_error');
    });

    it('shows the error as text in a status region, polite by its role', async () => {
      const { element } = await createFetch(null, 'unknown-token');
      element.src = `${API}/profile`;
      await oneEvent(element, 'oauth-error');
      await element.updateComplete;
      const status = element.shadowRoot!.querySelector('[part="status"]')!;
      expect(status.getAttribute('role')).to.equal('status');
      // role="status" is a polite live region by itself; an aria-live beside it would only repeat it.
      expect(status.hasAttribute('aria-live')).to.equal(false);
      expect(status.textContent).to.contain('The access token is unknown');
    });
  });

  describe('bearer safety', () => {
    for (const src of ['http://example.com/api', 'http://192.168.1.10/api', 'ftp://example.com/x', 'javascript:alert(1)']) {
      it(`refuses ${src} with invalid_config before any request`, async () => {
        const { element, effects } = await createFetch(null);
        element.src = src;
        expect((await oneEvent(element, 'oauth-error')).detail.error).to.equal('invalid_config');
        expect(effects.calls).to.deep.equal([]);
      });
    }

    it('does not follow a redirect to another origin: the other origin receives nothing', async () => {
      const id = newId();
      const otherOrigin = `http://localhost:${location.port}`;
      const { element } = await createFetch(null);
      element.src = `${API}/redirect?id=${id}&to=${encodeURIComponent(`${otherOrigin}/test-api/record?id=${id}`)}`;
      const { detail } = await oneEvent(element, 'oauth-error');
      expect(detail.error).to.equal('http_error');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await serverLog(id)).map((entry) => entry.path)).to.deep.equal(['/test-api/redirect']);
    });

    it('never sends a token that has expired', async () => {
      const effects = recordingEffects();
      const login = document.createElement('oauth-login');
      login.id = 'expiring-login';
      const element = await fixture<OAuthFetchElement>(html`<oauth-fetch for="expiring-login" .effects=${effects}></oauth-fetch>`);
      element.before(login);
      login.dispatchEvent(
        new CustomEvent('token', {
          bubbles: true,
          composed: true,
          detail: { accessToken: GOOD, tokenType: 'Bearer', expiresAt: Date.now() - 1, scope: '' },
        }),
      );
      element.src = `${API}/profile`;
      const { detail } = await oneEvent(element, 'oauth-error');
      expect(detail.error).to.equal('invalid_token');
      expect(effects.calls).to.deep.equal([]);
      login.remove();
    });

    it('renders hostile strings (keys and values) as text, creating no element and running nothing', async () => {
      const { element } = await createFetch(`${API}/hostile`);
      await oneEvent(element, 'response');
      for (const details of element.shadowRoot!.querySelectorAll('details')) details.open = true;
      await new Promise((resolve) => setTimeout(resolve, 50));
      const view = element.shadowRoot!.querySelector('[part="view"]')!;
      expect(view.textContent).to.contain('<img src=x onerror=window.__pwned=1>');
      expect(view.textContent).to.contain('<b onmouseover=alert(1)>key</b>');
      expect(view.querySelector('img, b, script, svg')).to.equal(null);
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
      expect(({} as { polluted?: boolean }).polluted).to.equal(undefined);
    });

    it('never writes the token into the DOM or an attribute', async () => {
      const { element } = await createFetch(`${API}/profile`);
      await oneEvent(element, 'response');
      expect(element.outerHTML + element.shadowRoot!.innerHTML).to.not.contain(GOOD);
    });
  });

  describe('following a login', () => {
    /** Signs a real <oauth-login> in through its callback, as a page load would. */
    async function signedInLogin(id: string, clientId: string): Promise<OAuthLoginElement> {
      const navigations: string[] = [];
      const starter = document.createElement('oauth-login');
      Object.assign(starter, { id, effects: { ...browserEffects(), navigate: (url: string) => navigations.push(url) } });
      starter.setAttribute('authorize-url', 'https://id.example/authorize');
      starter.setAttribute('client-id', clientId);
      document.body.append(starter);
      await starter.signIn();
      starter.remove();
      arriveWith(`#access_token=${GOOD}&token_type=Bearer&state=${new URL(navigations[0]).searchParams.get('state')}`);
      const login = starter.cloneNode() as OAuthLoginElement;
      const token = oneEvent(login, 'token');
      document.body.append(login);
      await token;
      return login;
    }

    it('with for="id", uses the tokens of that login, even one that was signed in before it appeared', async () => {
      const login = await signedInLogin('login-a', 'a');
      const element = await fixture<OAuthFetchElement>(html`<oauth-fetch for="login-a" src=${`${API}/profile`}></oauth-fetch>`);
      const { detail } = await settled(element);
      expect(detail.data.name).to.equal('Ada Demo');
      login.remove();
    });

    it('with for="id", ignores the tokens of another login', async () => {
      const element = await fixture<OAuthFetchElement>(html`<oauth-fetch for="login-b" src=${`${API}/profile`}></oauth-fetch>`);
      const other = await signedInLogin('login-c', 'c');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(element.getAttribute('status')).to.equal('idle');
      other.remove();
    });

    it('with for="id", picks up the login when that id appears later', async () => {
      const element = await fixture<OAuthFetchElement>(html`<oauth-fetch for="login-late" src=${`${API}/profile`}></oauth-fetch>`);
      const response = oneEvent(element, 'response');
      const login = await signedInLogin('login-late', 'late');
      expect((await response).detail.status).to.equal(200);
      login.remove();
    });

    it('without for, follows token events that reach document, and clears on signout', async () => {
      const element = await fixture<OAuthFetchElement>(html`<oauth-fetch src=${`${API}/profile`}></oauth-fetch>`);
      const response = oneEvent(element, 'response');
      const login = await signedInLogin('login-d', 'd');
      await response;
      expect(text(element)).to.contain('Ada Demo');
      login.signOut();
      await element.updateComplete;
      expect(element.getAttribute('status')).to.equal('idle');
      expect(text(element)).to.not.contain('Ada Demo');
      login.remove();
    });

    it('inside a shadow root, resolves for="id" in its own root', async () => {
      const host = await fixture<HTMLElement>(html`<div></div>`);
      const root = host.attachShadow({ mode: 'open' });
      const login = await signedInLogin('shadow-login', 'e');
      login.remove();
      root.append(login);
      const element = document.createElement('oauth-fetch');
      element.setAttribute('for', 'shadow-login');
      element.src = `${API}/profile`;
      const response = oneEvent(element, 'response');
      root.append(element);
      expect((await response).detail.status).to.equal(200);
    });
  });

  it('passes an axe accessibility check with data shown', async () => {
    const { element } = await createFetch(`${API}/profile`);
    await oneEvent(element, 'response');
    await expect(element).to.be.accessible();
  });
});
