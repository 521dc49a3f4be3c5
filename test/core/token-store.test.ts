import { expect } from '@open-wc/testing';
import type { TokenDetail } from '../../src/core/token.js';
import { TokenStore } from '../../src/core/token-store.js';
import { FakeEffects } from '../helpers/fake-effects.js';

const DAY = 24 * 60 * 60 * 1000;

function token(effects: FakeEffects, lifetimeMs: number | null): TokenDetail {
  return {
    accessToken: 'secret-token',
    tokenType: 'Bearer',
    expiresAt: lifetimeMs === null ? null : effects.now() + lifetimeMs,
    scope: 'read',
  };
}

function setUp(kind: 'memory' | 'session' | 'local') {
  const effects = new FakeEffects();
  const expirations: number[] = [];
  const store = new TokenStore(effects, kind, 'owner', () => expirations.push(effects.now()));
  return { effects, store, expirations };
}

describe('the token store', () => {
  it('with memory storage, writes the token nowhere', () => {
    const { effects, store } = setUp('memory');
    store.save(token(effects, 60_000));
    expect(store.current()!.accessToken).to.equal('secret-token');
    expect(effects.session.length + effects.local.length).to.equal(0);
  });

  for (const kind of ['session', 'local'] as const) {
    it(`with ${kind} storage, restores the token in a new store (a reload) and deletes it on clear`, () => {
      const { effects, store } = setUp(kind);
      const storage = kind === 'session' ? effects.session : effects.local;
      const other = kind === 'session' ? effects.local : effects.session;
      store.save(token(effects, 60_000));
      expect(storage.length).to.equal(1);
      expect(other.length).to.equal(0);
      const reloaded = new TokenStore(effects, kind, 'owner', () => {});
      expect(reloaded.restore()!.accessToken).to.equal('secret-token');
      reloaded.clear();
      expect(storage.length).to.equal(0);
    });
  }

  it('does not restore an expired token, and deletes it', () => {
    const { effects, store } = setUp('session');
    store.save(token(effects, 1000));
    effects.time += 1000;
    expect(new TokenStore(effects, 'session', 'owner', () => {}).restore()).to.equal(null);
    expect(effects.session.length).to.equal(0);
  });

  it('does not restore a tampered entry', () => {
    const { effects } = setUp('session');
    effects.session.setItem(
      'oauth-elements:token:owner',
      JSON.stringify({ accessToken: 'x', tokenType: 'MAC', expiresAt: null, scope: '' }),
    );
    expect(new TokenStore(effects, 'session', 'owner', () => {}).restore()).to.equal(null);
  });

  it('drops the token when expiresAt passes and reports it once', () => {
    const { effects, store, expirations } = setUp('memory');
    store.save(token(effects, 5000));
    effects.advance(4999);
    expect(store.current()).to.not.equal(null);
    effects.advance(1);
    expect(store.current()).to.equal(null);
    expect(expirations).to.have.length(1);
  });

  it('re-checks expiry on every read, even when the timer is late (a background tab)', () => {
    const { effects, store, expirations } = setUp('memory');
    store.save(token(effects, 5000));
    effects.time += 5000; // the clock moves, the timer has not fired
    expect(store.current()).to.equal(null);
    expect(expirations).to.have.length(1);
  });

  it('keeps a token that lives longer than 2^31-1 ms until it really expires', () => {
    const { effects, store, expirations } = setUp('memory');
    store.save(token(effects, 80 * DAY));
    effects.advance(79 * DAY);
    expect(store.current()).to.not.equal(null);
    expect(expirations).to.have.length(0);
    expect(Math.max(...effects.requestedDelays)).to.be.at.most(2 ** 31 - 1);
    effects.advance(1 * DAY);
    expect(expirations).to.deep.equal([effects.now()]);
  });

  it('never expires a token without a lifetime', () => {
    const { effects, store } = setUp('memory');
    store.save(token(effects, null));
    effects.advance(365 * DAY);
    expect(store.current()).to.not.equal(null);
    expect(effects.pendingTimers).to.equal(0);
  });

  it('holds no timer while paused, and expires on resume when the time has passed', () => {
    const { effects, store, expirations } = setUp('memory');
    store.save(token(effects, 5000));
    store.pause();
    expect(effects.pendingTimers).to.equal(0);
    effects.time += 6000;
    store.resume();
    expect(expirations).to.have.length(1);
  });
});
