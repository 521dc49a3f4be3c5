import { expect } from '@open-wc/testing';
import { OAuthError } from '../../src/core/errors.js';
import { loadDpop, loadPopupWaiting, loadProviderClient, onDemand, partsFor } from '../../src/core/on-demand.js';

describe('preloading what a login’s attributes say it will need', () => {
  it('loads nothing more for a plain implicit sign-in in redirect mode', () => {
    expect(partsFor({})).to.deep.equal([]);
    expect(partsFor({ responseType: 'token', mode: 'redirect' })).to.deep.equal([]);
  });

  it('loads the provider client for code, OpenID implicit, an issuer or a revocation endpoint', () => {
    expect(partsFor({ responseType: 'code' })).to.deep.equal([loadProviderClient]);
    expect(partsFor({ responseType: 'id_token token' })).to.deep.equal([loadProviderClient]);
    expect(partsFor({ issuer: 'https://id.example' })).to.deep.equal([loadProviderClient]);
    expect(partsFor({ revocationUrl: 'https://id.example/revoke' })).to.deep.equal([loadProviderClient]);
  });

  it('loads the DPoP keys for dpop and the popup waiting for mode="popup"', () => {
    expect(partsFor({ responseType: 'code', dpop: true })).to.deep.equal([loadDpop, loadProviderClient]);
    expect(partsFor({ mode: 'popup' })).to.deep.equal([loadPopupWaiting]);
    expect(partsFor({ responseType: 'code', issuer: 'https://id.example', dpop: true, mode: 'popup' })).to.deep.equal([
      loadDpop,
      loadProviderClient,
      loadPopupWaiting,
    ]);
  });
});

describe('a part that fails to load', () => {
  it('fails the step with network_error, and the next step loads it again', async () => {
    let attempts = 0;
    const load = onDemand(() => (++attempts === 1 ? Promise.reject(new TypeError('Failed to fetch')) : Promise.resolve('part')));
    const failure = await load().catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(OAuthError);
    expect((failure as OAuthError).detail.error).to.equal('network_error');
    expect(load.loaded).to.equal(undefined);
    expect(await load()).to.equal('part');
    expect(load.loaded).to.equal('part');
    expect(await load()).to.equal('part');
    expect(attempts).to.equal(2);
  });
});
