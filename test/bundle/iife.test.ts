// dist/oauth-elements.iife.js as a page without modules uses it: a classic <script src>
// (no type="module"), in a page where nothing else has defined the tags. Reads dist/:
// run `npm run build` first.
import { expect, waitUntil } from '@open-wc/testing';
import type { OAuthFetchElement, OAuthLoginElement } from '../../src/index.js';

type Exposed = { OAuthLoginElement: typeof OAuthLoginElement; OAuthFetchElement: typeof OAuthFetchElement };
const exposed = () => (window as unknown as { OAuthElements?: Exposed }).OAuthElements;

const BUNDLE = '/dist/oauth-elements.iife.js';
const pageErrors: string[] = [];
window.addEventListener('error', (event) => pageErrors.push(String(event.message)));

/** Adds a classic script (no `type`) and resolves once it has run, or rejects if it could not load. */
function addClassicScript(src: string): Promise<HTMLScriptElement> {
  const script = document.createElement('script');
  script.src = src;
  return new Promise((resolve, reject) => {
    script.addEventListener('load', () => resolve(script));
    script.addEventListener('error', () => reject(new Error(`${src} did not load`)));
    document.head.append(script);
  });
}

describe('dist/oauth-elements.iife.js, a classic script', () => {
  before(async () => {
    expect(customElements.get('oauth-login'), 'nothing defined the tags before the script').to.equal(undefined);
    const script = await addClassicScript(BUNDLE);
    expect(script.type).to.equal('');
  });

  it('runs as a classic script without a syntax error (no import or export in it)', () => {
    expect(pageErrors).to.deep.equal([]);
  });

  it('registers <oauth-login> and <oauth-fetch> and exposes their classes as window.OAuthElements', () => {
    const classes = exposed();
    expect(classes).to.not.equal(undefined);
    expect(customElements.get('oauth-login')).to.equal(classes!.OAuthLoginElement);
    expect(customElements.get('oauth-fetch')).to.equal(classes!.OAuthFetchElement);
    expect(document.createElement('oauth-login')).to.be.instanceOf(classes!.OAuthLoginElement);
  });

  it('included a second time, throws nothing and keeps the first definitions', async () => {
    const first = customElements.get('oauth-login');
    await addClassicScript(`${BUNDLE}?copy=2`);
    expect(pageErrors).to.deep.equal([]);
    expect(customElements.get('oauth-login')).to.equal(first);
  });

  it('works: a sign-in button, and an <oauth-fetch> that loads with a token set as a property', async () => {
    const login = document.createElement('oauth-login');
    document.body.append(login);
    await login.updateComplete;
    expect(login.shadowRoot!.querySelector('button')!.textContent).to.equal('Sign in');

    const fetcher = document.createElement('oauth-fetch');
    fetcher.src = `${location.origin}/test-api/profile?id=iife`;
    fetcher.token = 'good-token';
    document.body.append(fetcher);
    await waitUntil(() => fetcher.status === 'loaded', 'the data loads', { timeout: 3000 });
    expect(fetcher.shadowRoot!.textContent).to.contain('Ada Demo');
    expect(fetcher.outerHTML).to.not.contain('good-token');
    login.remove();
    fetcher.remove();
  });
});
