import { expect } from '@open-wc/testing';
import { PENDING_LIFETIME_MS, PendingRequestStore, type PendingRequest } from '../../src/core/pending-requests.js';
import { FakeEffects } from '../helpers/fake-effects.js';

function request(effects: FakeEffects, state: string): PendingRequest {
  return { state, owner: 'o', responseType: 'token', redirectUri: 'https://app.example/', scope: '', createdAt: effects.now() };
}

describe('the pending-request store', () => {
  it('keeps requests in sessionStorage, keyed by state', () => {
    const effects = new FakeEffects();
    new PendingRequestStore(effects).save(request(effects, 'abc'));
    expect(effects.session.getItem('oauth-elements:pending:abc')).to.contain('"state":"abc"');
    expect(effects.local.length).to.equal(0);
  });

  it('gives a request once: a second take finds nothing (replay)', () => {
    const effects = new FakeEffects();
    const store = new PendingRequestStore(effects);
    store.save(request(effects, 'abc'));
    expect(store.take('abc').status).to.equal('pending');
    expect(store.take('abc').status).to.equal('unknown');
  });

  it('finds nothing for an unknown state', () => {
    const effects = new FakeEffects();
    const store = new PendingRequestStore(effects);
    store.save(request(effects, 'abc'));
    expect(store.lookup('abd').status).to.equal('unknown');
  });

  it('expires a request after 10 minutes', () => {
    const effects = new FakeEffects();
    const store = new PendingRequestStore(effects);
    store.save(request(effects, 'abc'));
    effects.advance(PENDING_LIFETIME_MS - 1);
    expect(store.lookup('abc').status).to.equal('pending');
    effects.advance(1);
    expect(store.lookup('abc').status).to.equal('expired');
  });

  it('treats a request from the future (clock moved back) as expired', () => {
    const effects = new FakeEffects();
    const store = new PendingRequestStore(effects);
    store.save({ ...request(effects, 'abc'), createdAt: effects.now() + 60_000 });
    expect(store.lookup('abc').status).to.equal('expired');
  });

  it('clears stale and unreadable entries when a new request is saved, and leaves other keys alone', () => {
    const effects = new FakeEffects();
    const store = new PendingRequestStore(effects);
    store.save(request(effects, 'old'));
    effects.session.setItem('oauth-elements:pending:junk', '{not json');
    effects.session.setItem('someone-else', 'x');
    effects.advance(PENDING_LIFETIME_MS);
    store.save(request(effects, 'new'));
    expect(effects.session.getItem('oauth-elements:pending:old')).to.equal(null);
    expect(effects.session.getItem('oauth-elements:pending:junk')).to.equal(null);
    expect(effects.session.getItem('oauth-elements:pending:new')).to.not.equal(null);
    expect(effects.session.getItem('someone-else')).to.equal('x');
  });

  it('does not accept an entry stored under one state that names another', () => {
    const effects = new FakeEffects();
    effects.session.setItem('oauth-elements:pending:a', JSON.stringify(request(effects, 'b')));
    expect(new PendingRequestStore(effects).lookup('a').status).to.equal('unknown');
  });
});
