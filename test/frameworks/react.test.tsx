/** @jsxRuntime automatic */
// <oauth-login> and <oauth-fetch> inside React 19 components, as docs/frameworks.md shows them:
// attributes as props, `on<event>` props as listeners, `token` set as a property, refs.
import { expect } from '@open-wc/testing';
import { useRef, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { OAuthErrorDetail, OAuthLoginElement, TokenDetail } from '../../src/index.js';
import type {} from '../../src/jsx.js';
import { arriveWith, resetPage } from '../helpers/page.js';
import { API, AUTHORIZE_URL, CLIENT_ID, GOOD_TOKEN, newId, providerCallback, serverLog, waitFor } from './provider.js';

let container: HTMLElement;
let root: Root;

function render(node: ReactNode): void {
  flushSync(() => root.render(node));
}

const shadowText = (element: Element) => element.shadowRoot!.textContent!.replace(/\s+/g, ' ');

interface Heard {
  tokens: TokenDetail[];
  signouts: string[];
  names: string[];
}

function Profile({ loginId, requestId, heard }: { loginId: string; requestId: string; heard: Heard }) {
  const [name, setName] = useState('nobody');
  return (
    <section>
      <oauth-login
        id={loginId}
        authorize-url={AUTHORIZE_URL}
        client-id={CLIENT_ID}
        scope="profile"
        className="login"
        ontoken={(e) => heard.tokens.push(e.detail)}
        onsignout={(e) => {
          heard.signouts.push(e.detail.reason);
          setName('nobody');
        }}
      >
        <span slot="sign-in">Continue with Example</span>
      </oauth-login>
      <oauth-fetch
        for={loginId}
        src={`${API}/profile?id=${requestId}`}
        onresponse={(e) => {
          const data = e.detail.data as { name: string };
          heard.names.push(data.name);
          setName(data.name);
        }}
      />
      <p className="name">{name}</p>
    </section>
  );
}

function HandToken({ token, requestId, errors }: { token: string | null; requestId: string; errors: OAuthErrorDetail[] }) {
  return <oauth-fetch token={token} src={`${API}/profile?id=${requestId}`} onoauth-error={(e) => errors.push(e.detail)} />;
}

function WithRef({ onReady }: { onReady: (login: OAuthLoginElement) => void }) {
  const login = useRef<OAuthLoginElement>(null);
  return (
    <>
      <oauth-login ref={login} authorize-url={AUTHORIZE_URL} client-id={CLIENT_ID} />
      <button type="button" onClick={() => onReady(login.current!)}>
        read
      </button>
    </>
  );
}

describe('React 19', () => {
  beforeEach(() => {
    resetPage();
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });
  afterEach(() => {
    flushSync(() => root.unmount());
    container.remove();
    resetPage();
  });

  it('sets attributes from props and hears `token` through an `ontoken` prop', async () => {
    const loginId = newId('react-login');
    const requestId = newId('react');
    arriveWith(await providerCallback(loginId));
    const heard: Heard = { tokens: [], signouts: [], names: [] };
    render(<Profile loginId={loginId} requestId={requestId} heard={heard} />);

    const login = container.querySelector('oauth-login')!;
    expect(login.getAttribute('client-id')).to.equal(CLIENT_ID);
    expect(login.clientId).to.equal(CLIENT_ID);
    expect(login.authorizeUrl).to.equal(AUTHORIZE_URL);
    expect(login.scope).to.equal('profile');
    expect(login.className).to.equal('login');

    await waitFor(() => heard.tokens.length > 0, 'the token event');
    expect(heard.tokens[0]).to.include({ accessToken: GOOD_TOKEN, tokenType: 'Bearer', scope: 'profile' });
    expect(location.hash).to.equal('');
    expect(login.getAttribute('status')).to.equal('signed-in');
  });

  it('lets <oauth-fetch for> load with the login token, and `onresponse` update React state', async () => {
    const loginId = newId('react-login');
    const requestId = newId('react');
    arriveWith(await providerCallback(loginId));
    const heard: Heard = { tokens: [], signouts: [], names: [] };
    render(<Profile loginId={loginId} requestId={requestId} heard={heard} />);

    await waitFor(() => container.querySelector('.name')!.textContent === 'Ada Demo', 'the name from the response');
    const fetcher = container.querySelector('oauth-fetch')!;
    expect(fetcher.getAttribute('status')).to.equal('loaded');
    expect(shadowText(fetcher)).to.contain('Ada Demo');
    expect(await serverLog(requestId)).to.deep.equal([{ path: '/test-api/profile', authorization: `Bearer ${GOOD_TOKEN}`, origin: null }]);
  });

  it('hears `signout` through an `onsignout` prop when the button signs out', async () => {
    const loginId = newId('react-login');
    arriveWith(await providerCallback(loginId));
    const heard: Heard = { tokens: [], signouts: [], names: [] };
    render(<Profile loginId={loginId} requestId={newId('react')} heard={heard} />);
    await waitFor(() => heard.names.length > 0, 'the response');

    const login = container.querySelector('oauth-login')!;
    await login.updateComplete;
    login.shadowRoot!.querySelector('button')!.click();
    await waitFor(() => heard.signouts.length > 0, 'the signout event');
    expect(heard.signouts).to.deep.equal(['user']);
    await waitFor(() => container.querySelector('.name')!.textContent === 'nobody', 'React state after signout');
    expect(container.querySelector('oauth-fetch')!.getAttribute('status')).to.equal('idle');
  });

  it('sets <oauth-fetch>.token as a property, never as an attribute, and fetches again when the prop changes', async () => {
    const first = newId('react-hand');
    const errors: OAuthErrorDetail[] = [];
    render(<HandToken token={GOOD_TOKEN} requestId={first} errors={errors} />);
    const fetcher = container.querySelector('oauth-fetch')!;
    expect(fetcher.token).to.equal(GOOD_TOKEN);
    expect(fetcher.hasAttribute('token')).to.equal(false);
    expect(container.innerHTML).not.to.contain(GOOD_TOKEN);
    await waitFor(() => fetcher.getAttribute('status') === 'loaded', 'the first response');

    render(<HandToken token="revoked-token" requestId={first} errors={errors} />);
    await waitFor(() => errors.length > 0, 'the oauth-error event');
    expect(errors[0]).to.include({ error: 'invalid_token', status: 401 });
    expect(fetcher.hasAttribute('token')).to.equal(false);

    render(<HandToken token={null} requestId={first} errors={errors} />);
    expect(fetcher.token).to.equal(null);
    await fetcher.updateComplete;
    expect(fetcher.getAttribute('status')).to.equal('idle');
    expect((await serverLog(first)).map((entry) => entry.authorization)).to.deep.equal([`Bearer ${GOOD_TOKEN}`, 'Bearer revoked-token']);
  });

  it('gives a ref to the element itself', async () => {
    let seen: OAuthLoginElement | null = null;
    render(<WithRef onReady={(login) => (seen = login)} />);
    container.querySelector('button')!.click();
    expect(seen).to.equal(container.querySelector('oauth-login'));
    expect(seen!.signedIn).to.equal(false);
    expect(customElements.get('oauth-login')).to.equal((seen as unknown as object).constructor);
  });
});
