import { expect, waitUntil } from '@open-wc/testing';
import { DpopKeyStore } from '../../src/core/dpop-key-store.js';
import { ownerKey, type LoginOptions } from '../../src/core/login-options.js';
import { TOKEN_KEY_PREFIX } from '../../src/core/token-store.js';
import { FakeEffects, FakeTabs } from '../helpers/fake-effects.js';
import { CODE_GRANT, createTestSession, ISSUER, land, PAGE, settle, signIn, type TestSession } from '../helpers/session-harness.js';

const RENEWAL_DUE_MS = 540_000;
let clients = 0;

/** DPoP tokens number `n`, lasting ten minutes, with refresh token `rt<n>`. */
const dpopTokens = (n: number) => () =>
  Response.json({ access_token: `at${n}`, token_type: 'DPoP', expires_in: 600, refresh_token: `rt${n}` });

/** Signs in with code + PKCE (a client of its own, so each test has its own key in IndexedDB), answered with `answer`. */
async function signedIn(options: LoginOptions, answer: () => Response, tabs?: FakeTabs): Promise<TestSession> {
  const context = createTestSession(
    { ...CODE_GRANT, revocationUrl: `${ISSUER}/revoke`, clientId: `stored-refresh-${Date.now()}-${clients++}`, ...options },
    { tabs },
  );
  context.effects.indexedDBFactory = indexedDB;
  context.provider.tokenAnswers.push(answer);
  const { state } = await signIn(context);
  const { session } = await land(context, `?code=c&state=${state}`, {}, { heard: context.heard });
  return { ...context, session };
}

/**
 * The page loaded again, or opened in another tab (`tabs`): the same storages, IndexedDB and
 * clock, and a session that has started and, unless `until` says what else to wait for,
 * armed its renewal (a timer beside the token's expiry timer).
 */
async function openAgain(from: TestSession, tabs?: FakeTabs, until?: (opened: TestSession) => boolean): Promise<TestSession> {
  const effects = new FakeEffects(PAGE, tabs);
  effects.time = from.effects.time;
  effects.indexedDBFactory = indexedDB;
  Object.assign(effects, { sessionStorage: () => from.effects.session, localStorage: () => from.effects.local });
  const opened = createTestSession(from.options, { effects });
  await opened.session.start();
  const ready = until ?? (() => effects.requestedDelays.length >= 2);
  await waitUntil(() => ready(opened), 'the reopened page ready', { timeout: 5000 });
  return opened;
}

const stored = (context: TestSession, storage: Storage) =>
  JSON.parse(storage.getItem(TOKEN_KEY_PREFIX + ownerKey(context.options)) ?? 'null') as Record<string, unknown> & {
    refresh?: Record<string, unknown>;
  };

const everythingStored = ({ effects }: TestSession) =>
  [effects.sessionStorage(), effects.localStorage()].flatMap((storage) =>
    Array.from({ length: storage.length }, (_, i) => storage.getItem(storage.key(i)!)),
  );

const refreshRequests = (context: TestSession) =>
  context.provider.tokenRequests().filter((body) => body.get('grant_type') === 'refresh_token');

describe('a DPoP-bound refresh token kept beside the token', () => {
  it('is stored with the thumbprint of its key, which persists, and is never in a token event', async () => {
    const context = await signedIn({ dpop: true, storage: 'session' }, dpopTokens(1));
    const keys = new DpopKeyStore({ subtle: crypto.subtle, indexedDB: () => indexedDB }, 'session');
    const thumbprint = await (await keys.prover(ownerKey(context.options), context.effects)).thumbprint();
    expect(stored(context, context.effects.session).refresh).to.deep.equal({
      refreshToken: 'rt1',
      jkt: thumbprint,
      tokenUrl: `${ISSUER}/token`,
    });
    expect(context.heard.tokens.map((token) => token.accessToken)).to.deep.equal(['at1']);
    expect(JSON.stringify(context.heard.tokens)).not.to.contain('rt1');
  });

  for (const storage of ['session', 'local'] as const) {
    it(`with ${storage} storage, a reload renews as before it, proving the same key`, async () => {
      const context = await signedIn({ dpop: true, storage }, dpopTokens(1));
      const reloaded = await openAgain(context);
      expect(reloaded.heard.tokens.map((token) => token.accessToken)).to.deep.equal(['at1']);
      expect(JSON.stringify(reloaded.heard.tokens)).not.to.contain('rt1');
      reloaded.provider.tokenAnswers.push(dpopTokens(2));
      reloaded.effects.advance(RENEWAL_DUE_MS);
      await waitUntil(() => reloaded.heard.tokens.length === 2, 'the renewed token', { timeout: 5000 });
      const [refresh] = reloaded.provider.requests.filter((request) => request.body.get('grant_type') === 'refresh_token');
      expect(refresh.body.get('refresh_token')).to.equal('rt1');
      expect(reloaded.heard.tokens[1].accessToken).to.equal('at2');
      expect(
        stored(reloaded, storage === 'session' ? reloaded.effects.sessionStorage() : reloaded.effects.localStorage()).refresh?.refreshToken,
      ).to.equal('rt2');
    });
  }

  it('signing out after a reload revokes the stored refresh token and leaves nothing in storage', async () => {
    const context = await signedIn({ dpop: true, storage: 'local' }, dpopTokens(1));
    const reloaded = await openAgain(context);
    reloaded.session.signOut();
    await waitUntil(() => reloaded.provider.revocations().length === 2, 'both revocations', { timeout: 5000 });
    expect(reloaded.provider.revocations().map((revocation) => revocation.token)).to.have.members(['rt1', 'at1']);
    expect(everythingStored(reloaded)).to.deep.equal([]);
  });

  it('bound to a key this browser no longer has, is dropped unsent: the token runs out', async () => {
    const context = await signedIn({ dpop: true, storage: 'session' }, dpopTokens(1));
    // The key is gone (site data cleared but for sessionStorage, a copied storage): a new one is made.
    await new DpopKeyStore({ subtle: crypto.subtle, indexedDB: () => indexedDB }, 'session').delete(ownerKey(context.options));
    const reloaded = await openAgain(context, undefined, (opened) => stored(opened, opened.effects.sessionStorage()).refresh === undefined);
    expect(reloaded.heard.tokens.map((token) => token.accessToken)).to.deep.equal(['at1']);
    reloaded.effects.advance(600_000);
    await settle();
    expect(refreshRequests(reloaded)).to.deep.equal([]);
    expect(reloaded.heard.signouts).to.deep.equal(['expired']);
  });

  it('refused at renewal, is deleted from storage with the error reported once', async () => {
    const context = await signedIn({ dpop: true, storage: 'session' }, dpopTokens(1));
    const reloaded = await openAgain(context);
    reloaded.effects.advance(RENEWAL_DUE_MS);
    await waitUntil(() => reloaded.heard.errors.length === 1, 'the refusal', { timeout: 5000 });
    expect(reloaded.heard.errors[0].error).to.equal('invalid_grant');
    expect(stored(reloaded, reloaded.effects.sessionStorage()).refresh).to.equal(undefined);
    expect(stored(reloaded, reloaded.effects.sessionStorage()).accessToken).to.equal('at1');
  });
});

describe('a bearer refresh token', () => {
  for (const storage of ['session', 'local'] as const) {
    it(`with ${storage} storage, is in no storage, and a reload does not renew`, async () => {
      const bearer = () => Response.json({ access_token: 'at1', token_type: 'Bearer', expires_in: 600, refresh_token: 'bearer-rt' });
      const context = await signedIn({ storage }, bearer);
      expect(everythingStored(context).join(' ')).to.contain('at1').and.not.contain('bearer-rt');
      const reloaded = await openAgain(context, undefined, (opened) => opened.heard.tokens.length === 1);
      await settle();
      reloaded.effects.advance(600_000);
      await settle();
      expect(refreshRequests(reloaded)).to.deep.equal([]);
      expect(reloaded.heard.signouts).to.deep.equal(['expired']);
    });
  }
});

describe('renewing with storage="local" in several tabs', () => {
  it('sends one refresh request per renewal: the tab that waited for the lock takes the stored tokens', async () => {
    const tabs = new FakeTabs();
    const first = await signedIn({ dpop: true, storage: 'local' }, dpopTokens(1), tabs);
    const second = await openAgain(first, tabs);
    first.provider.tokenAnswers.push(dpopTokens(2));
    second.provider.tokenAnswers.push(dpopTokens(2));
    // Both tabs' timers are due at once.
    first.effects.advance(RENEWAL_DUE_MS);
    second.effects.advance(RENEWAL_DUE_MS);
    await waitUntil(() => first.heard.tokens.length === 2 && second.heard.tokens.length === 2, 'both tabs renewed', { timeout: 5000 });
    await settle();
    expect([...refreshRequests(first), ...refreshRequests(second)]).to.have.length(1);
    expect(tabs.lockRequests.every((name) => name === `oauth-elements:refresh:${ownerKey(first.options)}`)).to.equal(true);
    expect(first.heard.tokens.map((token) => token.accessToken)).to.deep.equal(['at1', 'at2']);
    expect(second.heard.tokens.map((token) => token.accessToken)).to.deep.equal(['at1', 'at2']);
    expect([...first.heard.errors, ...second.heard.errors]).to.deep.equal([]);
  });

  it('after the tab that signed in has closed, another tab renews with the stored refresh token', async () => {
    const tabs = new FakeTabs();
    const first = await signedIn({ dpop: true, storage: 'local' }, dpopTokens(1), tabs);
    const second = await openAgain(first, tabs);
    first.session.pause(); // the tab closes: its channel with it, and its clock stops
    second.provider.tokenAnswers.push(dpopTokens(2));
    second.effects.advance(RENEWAL_DUE_MS);
    await waitUntil(() => second.heard.tokens.length === 2, 'the renewed token', { timeout: 5000 });
    expect(refreshRequests(second).map((body) => body.get('refresh_token'))).to.deep.equal(['rt1']);
    expect(refreshRequests(first)).to.deep.equal([]);
    expect(stored(second, first.effects.local).refresh?.refreshToken).to.equal('rt2');
  });

  it('when another tab’s renewal was refused, sends no second refresh with the dead refresh token', async () => {
    const tabs = new FakeTabs();
    const first = await signedIn({ dpop: true, storage: 'local' }, dpopTokens(1), tabs);
    const second = await openAgain(first, tabs);
    first.effects.advance(RENEWAL_DUE_MS);
    second.effects.advance(RENEWAL_DUE_MS);
    await waitUntil(() => first.heard.errors.length + second.heard.errors.length === 1, 'the refusal', { timeout: 5000 });
    await settle();
    expect([...refreshRequests(first), ...refreshRequests(second)]).to.have.length(1);
    expect([...first.heard.errors, ...second.heard.errors].map((error) => error.error)).to.deep.equal(['invalid_grant']);
  });

  it('when both tabs come back online after the token expired there, sends one refresh and both take its tokens', async () => {
    const tabs = new FakeTabs();
    const first = await signedIn({ dpop: true, storage: 'local' }, dpopTokens(1), tabs);
    const second = await openAgain(first, tabs);
    let reachable = false;
    for (const tab of [first, second]) {
      const reach = tab.effects.fetch;
      tab.effects.fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
        reachable || !String(input).endsWith('/token')
          ? reach(input, init)
          : Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;
    }
    for (let elapsed = 0; elapsed < 610; elapsed += 5) {
      first.effects.advance(5000);
      second.effects.advance(5000);
      await settle();
    }
    await waitUntil(() => first.heard.signouts.length + second.heard.signouts.length === 2, 'both tabs expired', { timeout: 5000 });
    reachable = true;
    first.provider.tokenAnswers.push(dpopTokens(2));
    second.provider.tokenAnswers.push(dpopTokens(2));
    first.effects.comeOnline();
    second.effects.comeOnline();
    await waitUntil(() => first.session.token?.accessToken === 'at2' && second.session.token?.accessToken === 'at2', 'both tabs renewed', {
      timeout: 5000,
    });
    await settle();
    expect([...refreshRequests(first), ...refreshRequests(second)].map((body) => body.get('refresh_token'))).to.deep.equal(['rt1']);
    expect([...first.heard.errors, ...second.heard.errors].map((error) => error.error)).not.to.include('invalid_grant');
    expect(stored(first, first.effects.local).refresh?.refreshToken).to.equal('rt2');
  });
});
