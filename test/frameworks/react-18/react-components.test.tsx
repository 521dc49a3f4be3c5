/** @jsxRuntime automatic */
// oauth-elements/react in React 18, from this workspace's own react and react-dom (the JSX
// runtime too): React 18 sets every prop of a plain custom element as an attribute and never
// listens to its events, so this shows the components do both themselves. The components are
// made with createOAuthComponents(React), since the package's own `react` is the project's 19.
import { expect } from '@open-wc/testing';
import * as React from 'react';
import { flushSync } from 'react-dom';
import { createRoot, hydrateRoot, type Root } from 'react-dom/client';
import type { ResponseDetail, SignOutReason, TokenDetail } from '../../../src/index.js';
import { createOAuthComponents } from '../../../src/react.js';
import { arriveWith, resetPage } from '../../helpers/page.js';
import { API, AUTHORIZE_URL, CLIENT_ID, GOOD_TOKEN, newId, providerCallback, serverLog, waitFor } from '../provider.js';

const { OAuthLogin, OAuthFetch } = createOAuthComponents(React);

let container: HTMLElement;
let root: Root | null;

describe('oauth-elements/react in React 18', () => {
  beforeEach(() => {
    resetPage();
    container = document.createElement('div');
    document.body.append(container);
    root = null;
  });
  afterEach(() => {
    if (root) flushSync(() => root!.unmount());
    container.remove();
    resetPage();
  });

  it('is React 18, not the project React 19', () => {
    expect(React.version).to.match(/^18\./);
  });

  it('hears token, response and signout through onToken, onResponse and onSignout, with typed details', async () => {
    const loginId = newId('react-18-login');
    const requestId = newId('react-18');
    arriveWith(await providerCallback(loginId));
    const tokens: TokenDetail[] = [];
    const responses: ResponseDetail[] = [];
    const signouts: SignOutReason[] = [];
    root = createRoot(container);
    flushSync(() =>
      root!.render(
        <>
          <OAuthLogin
            id={loginId}
            authorizeUrl={AUTHORIZE_URL}
            clientId={CLIENT_ID}
            scope="profile"
            onToken={(e) => tokens.push(e.detail)}
            onSignout={(e) => signouts.push(e.detail.reason)}
            onOauthError={(e) => expect.fail(e.detail.error)}
          />
          <OAuthFetch for={loginId} src={`${API}/profile?id=${requestId}`} onResponse={(e) => responses.push(e.detail)} />
        </>,
      ),
    );
    await waitFor(() => responses.length > 0, 'the response event');
    expect(tokens[0]).to.include({ accessToken: GOOD_TOKEN, tokenType: 'Bearer' });
    expect(responses[0]).to.include({ status: 200 });
    expect(await serverLog(requestId)).to.have.length(1);

    const login = container.querySelector('oauth-login')!;
    expect(login.clientId).to.equal(CLIENT_ID);
    login.signOut();
    expect(signouts).to.deep.equal(['user']);
    expect(container.innerHTML).to.not.contain(GOOD_TOKEN);
  });

  it('sets token as a property, never as an attribute', async () => {
    const requestId = newId('react-18');
    root = createRoot(container);
    flushSync(() => root!.render(<OAuthFetch token={GOOD_TOKEN} src={`${API}/profile?id=${requestId}`} />));
    const fetcher = container.querySelector('oauth-fetch')!;
    expect(fetcher.token).to.equal(GOOD_TOKEN);
    await waitFor(() => fetcher.status === 'loaded', 'the data');
    expect(fetcher.hasAttribute('token')).to.equal(false);
    expect(container.innerHTML).to.not.contain(GOOD_TOKEN);
  });

  it('hydrates the server markup, which holds no token, and then loads with the token', async () => {
    const requestId = newId('react-18');
    // What React 18's renderToString sends for this tree (test/server/server-rendering.test.mjs).
    container.innerHTML = '<main><oauth-fetch class="profile"></oauth-fetch></main>';
    const errors: unknown[] = [];
    const app = (
      <main>
        <OAuthFetch className="profile" token={GOOD_TOKEN} src={`${API}/profile?id=${requestId}`} />
      </main>
    );
    flushSync(() => {
      root = hydrateRoot(container, app, { onRecoverableError: (error) => errors.push(error) });
    });
    const fetcher = container.querySelector('oauth-fetch')!;
    await waitFor(() => fetcher.status === 'loaded', 'the data after hydration');
    expect(errors).to.deep.equal([]);
    expect(fetcher.shadowRoot!.textContent).to.contain('Ada Demo');
    expect(await serverLog(requestId)).to.deep.equal([{ path: '/test-api/profile', authorization: `Bearer ${GOOD_TOKEN}`, origin: null }]);
    expect(fetcher.hasAttribute('token')).to.equal(false);
  });
});
