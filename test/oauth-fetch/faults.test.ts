import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/define.js';
import type { OAuthFetchElement } from '../../src/oauth-fetch/oauth-fetch-element.js';

const GOOD = 'good-token';
/** The test server under another origin: requests with Authorization to it need a CORS preflight. */
const OTHER_ORIGIN_API = `http://localhost:${location.port}/test-api`;
let uniqueId = 0;
const newId = () => `faults-${Date.now()}-${uniqueId++}`;

const serverLog = async (id: string): Promise<unknown[]> => (await fetch(`${location.origin}/test-api/log?id=${id}`)).json();
const preflightsFor = async (id: string): Promise<number> => (await fetch(`${location.origin}/test-api/preflights?id=${id}`)).json();

describe('resource requests and the CORS preflight cache', function () {
  this.timeout(15_000);
  it('makes no preflight per request when the server lets the browser cache it: 10 loads, 10 GETs, at most 2 preflights', async () => {
    const id = newId();
    const src = `${OTHER_ORIGIN_API}/profile?id=${id}`;
    const element = await fixture<OAuthFetchElement>(html`<oauth-fetch .token=${GOOD}></oauth-fetch>`);
    for (let load = 0; load < 10; load++) {
      const loaded = oneEvent(element, 'response');
      if (load === 0) element.src = src;
      else element.reload();
      expect((await loaded).detail.data).to.deep.equal({ name: 'Ada Demo', id });
    }
    // The server answers with Cache-Control: no-store, so every load reached it.
    expect(await serverLog(id)).to.have.length(10);
    // The preflight answer allows caching for 10 minutes (Access-Control-Max-Age); a
    // browser may still send a second one while the first answer is being cached.
    expect(await preflightsFor(id)).to.be.within(1, 2);
  });
});

describe('resource requests that hang', function () {
  this.timeout(10_000);
  it('end in timeout within the element’s limit, in the error state, and the next load works', async () => {
    const id = newId();
    const element = await fixture<OAuthFetchElement>(html`<oauth-fetch .token=${GOOD} .timeout=${500}></oauth-fetch>`);
    const started = performance.now();
    const failed = oneEvent(element, 'oauth-error');
    element.src = `${location.origin}/test-api/hang?id=${id}`;
    const { detail } = await failed;
    expect(performance.now() - started).to.be.below(3000);
    expect(detail).to.deep.equal({ error: 'timeout', description: 'The resource did not answer within 0.5 s' });
    expect(element.getAttribute('status')).to.equal('error');
    const loaded = oneEvent(element, 'response');
    element.src = `${location.origin}/test-api/profile?id=${id}`;
    expect((await loaded).detail.data).to.deep.equal({ name: 'Ada Demo', id });
    expect(element.getAttribute('status')).to.equal('loaded');
  });
});
