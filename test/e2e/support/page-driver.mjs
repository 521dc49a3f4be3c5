// A puppeteer page with what the e2e tests read from it: the events the test page
// recorded, console output, uncaught errors and every request the page made.

const EVENT_TIMEOUT = 8000;

export class TestPage {
  /** @param {import('puppeteer-core').Page} page */
  constructor(page, servers) {
    this.page = page;
    this.servers = servers;
    this.console = [];
    this.pageErrors = [];
    /** Content-Security-Policy reports from the console, with the page they came from. */
    this.cspMessages = [];
    this.requests = [];
    this.redirects = [];
    page.on('console', (message) => {
      this.console.push(`${message.type()}: ${message.text()}`);
      if (/content.security.policy|trusted.?type/i.test(message.text())) this.cspMessages.push({ page: page.url(), text: message.text() });
    });
    page.on('pageerror', (error) => {
      const text = error?.message ?? String(error);
      // Firefox reports CSP blocks as page errors too.
      if (/^content.security.policy/i.test(text)) this.cspMessages.push({ page: page.url(), text });
      else this.pageErrors.push(text);
    });
    page.on('request', (request) => this.requests.push(request.url()));
    page.on('response', (response) => {
      if (response.status() >= 300 && response.status() < 400)
        this.redirects.push({ from: response.url(), to: response.headers().location });
    });
  }

  static async open(page, servers) {
    page.setDefaultTimeout(10_000);
    page.setDefaultNavigationTimeout(10_000);
    return new TestPage(page, servers);
  }

  /** A page name (`auto.html`) or a full URL; resolves once the elements have started. */
  async goto(nameOrUrl, options) {
    const response = await this.page.goto(nameOrUrl.includes('://') ? nameOrUrl : this.servers.pageUrl(nameOrUrl), options);
    await this.settled();
    return response;
  }

  async reload() {
    await this.page.reload();
    await this.settled();
  }

  /**
   * Back or Forward by `delta` entries, like the browser buttons. Done from the page and
   * detected by a marker left in the document being left, because puppeteer's goBack waits
   * for a load that a back/forward-cache restore in Firefox never fires.
   */
  async historyGo(delta) {
    const marker = `left-${Math.random()}`;
    await this.page.evaluate((value) => {
      window.__e2eLeft = value;
    }, marker);
    await this.page.evaluate((steps) => history.go(steps), delta);
    await this.page.waitForFunction((value) => window.__e2eLeft !== value && document.readyState === 'complete', { polling: 50 }, marker);
    await this.settled();
  }

  goBack() {
    return this.historyGo(-1);
  }

  goForward() {
    return this.historyGo(1);
  }

  /** The last authorization response the provider redirected the browser to (its Location header). */
  lastCallback() {
    return this.redirects.filter(({ to }) => to?.includes('#')).at(-1)?.to;
  }

  /**
   * Waits until the elements have been defined and have started (they handle the callback
   * in a task after connecting), plus one more task, so a test can assert that something
   * did not happen.
   */
  async settled() {
    await this.page.waitForFunction(() => window.e2e && customElements.get('oauth-login') && customElements.get('oauth-fetch'), {
      timeout: EVENT_TIMEOUT,
    });
    await this.page.evaluate(() => new Promise((resolve) => setTimeout(() => setTimeout(resolve))));
  }

  url() {
    return this.page.url();
  }

  evaluate(fn, ...args) {
    return this.page.evaluate(fn, ...args);
  }

  /** The events the page recorded on `document`, optionally of one type. */
  events(type) {
    return this.page.evaluate(
      (wanted) =>
        (window.e2e?.events ?? [])
          .filter((event) => !wanted || event.type === wanted)
          .map(({ type, source, detail }) => ({
            type,
            source,
            // `response` data may be large; the tests only need to know it arrived.
            detail: type === 'response' ? { status: detail.status, url: detail.url } : detail,
          })),
      type,
    );
  }

  /** The URLs this page requested (redirects included) whose path is `path`. */
  requestsTo(path) {
    return this.requests.filter((url) => new URL(url).pathname === path);
  }

  /** Waits for the `count`-th event of `type` (from the element with id `source`) and returns it. */
  async waitForEvent(type, { source, count = 1, timeout = EVENT_TIMEOUT } = {}) {
    try {
      await this.page.waitForFunction(
        (wanted, from, n) =>
          (window.e2e?.events ?? []).filter((event) => event.type === wanted && (!from || event.source === from)).length >= n,
        { timeout, polling: 50 },
        type,
        source,
        count,
      );
    } catch (error) {
      const seen = await this.events().catch(() => []);
      throw new Error(
        `No ${type} event${source ? ` from #${source}` : ''} within ${timeout} ms; events: ${JSON.stringify(seen, hideTokens)}; page errors: ${JSON.stringify(this.pageErrors)}`,
        { cause: error },
      );
    }
    const matching = (await this.events(type)).filter((event) => !source || event.source === source);
    return matching[count - 1];
  }

  /** Clicks the real button in `<oauth-login>`'s shadow root and waits for the page to be left. */
  async clickSignIn(loginId = 'login') {
    const button = await this.page.waitForSelector(`#${loginId} >>> button[part="button"]`);
    await Promise.all([this.page.waitForNavigation(), button.click()]);
  }

  /** Signs in through an auto-approving provider: back on the page with the token announced. */
  async signIn(loginId = 'login') {
    const before = (await this.events('token')).filter((event) => event.source === loginId).length;
    await this.clickSignIn(loginId);
    await this.settled();
    return this.waitForEvent('token', { source: loginId, count: before + 1 });
  }

  /**
   * Starts a sign-in with the real (non-approving) provider and stops at its login or
   * consent page: the pending request is then saved in this tab, and its parameters are
   * read from the authorization request URL.
   */
  async startPendingSignIn(loginId = 'login') {
    await this.clickSignIn(loginId);
    const url = new URL(this.page.url());
    if (url.origin !== this.servers.real.url || url.pathname !== '/authorize') {
      throw new Error(`Expected the real provider's /authorize page, got ${url.href}`);
    }
    return url.searchParams;
  }

  /** On the real provider's login page: signs in as the demo user and waits for the consent page. */
  async logInAtProvider(username = 'demo', password = 'demo') {
    await this.page.type('input[name=username]', username);
    await this.page.type('input[name=password]', password);
    await Promise.all([this.page.waitForNavigation(), this.page.click('button[type=submit]')]);
    await this.page.waitForSelector('button[name=decision][value=allow]');
  }

  /** On the real provider's consent page: Allow or Deny, then back on the app's page. */
  async decideAtProvider(decision) {
    await Promise.all([this.page.waitForNavigation(), this.page.click(`button[name=decision][value=${decision}]`)]);
    await this.settled();
  }

  /** The text of an element's shadow root (its rendered text, where the tests look for data). */
  shadowText(selector) {
    return this.page.$eval(selector, (element) => element.shadowRoot?.textContent ?? '');
  }

  /** Resolves once `selector`'s shadow root text contains `text`. */
  async waitForShadowText(selector, text, timeout = EVENT_TIMEOUT) {
    try {
      await this.page.waitForFunction(
        (sel, wanted) => document.querySelector(sel)?.shadowRoot?.textContent.includes(wanted),
        { timeout, polling: 50 },
        selector,
        text,
      );
    } catch (error) {
      throw new Error(`${selector} never showed "${text}"; it shows "${await this.shadowText(selector).catch(() => '?')}"`, {
        cause: error,
      });
    }
  }

  /** Resolves once `selector` has attribute `name` equal to `value`. */
  async waitForAttribute(selector, name, value, timeout = EVENT_TIMEOUT) {
    await this.page.waitForFunction(
      (sel, attr, wanted) => document.querySelector(sel)?.getAttribute(attr) === wanted,
      { timeout, polling: 50 },
      selector,
      name,
      value,
    );
  }
}

/** The authorization response for a pending request, as the provider would build it. */
export function callbackUrl(pageUrl, params) {
  return `${pageUrl}#${new URLSearchParams(params)}`;
}

/** For failure messages: the events' tokens stay out of the test log, their shape stays in. */
function hideTokens(key, value) {
  return ['accessToken', 'idToken', 'refreshToken'].includes(key) && typeof value === 'string' ? `<${value.length} chars>` : value;
}
