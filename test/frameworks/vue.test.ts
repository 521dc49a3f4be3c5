// <oauth-login> and <oauth-fetch> inside a Vue 3 app, as docs/frameworks.md shows them:
// `isCustomElement` for the oauth- tags, attributes, `@event` listeners, `:token` as a property.
import { expect } from '@open-wc/testing';
import { createApp, nextTick, ref, type App } from 'vue/dist/vue.esm-browser.prod.js';
import { OAuthFetchElement, OAuthLoginElement, type OAuthErrorDetail, type ResponseEvent, type TokenEvent } from '../../src/index.js';
import { arriveWith, resetPage } from '../helpers/page.js';
import { API, AUTHORIZE_URL, CLIENT_ID, GOOD_TOKEN, newId, providerCallback, serverLog, waitFor } from './provider.js';

let container: HTMLElement;
let app: App | undefined;

function mount(component: Parameters<typeof createApp>[0]): void {
  app = createApp(component);
  app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('oauth-');
  app.mount(container);
}

const shadowText = (element: Element) => element.shadowRoot!.textContent!.replace(/\s+/g, ' ');

describe('Vue 3', () => {
  beforeEach(() => {
    resetPage();
    container = document.createElement('div');
    document.body.append(container);
  });
  afterEach(() => {
    app?.unmount();
    app = undefined;
    container.remove();
    resetPage();
  });

  it('renders the tags as the custom elements, with their attributes', () => {
    mount({
      template: `<oauth-login authorize-url="${AUTHORIZE_URL}" client-id="${CLIENT_ID}" scope="profile" storage="session">
        <span slot="sign-in">Continue with Example</span>
      </oauth-login>`,
    });
    const login = container.querySelector('oauth-login')!;
    expect(login).to.be.instanceOf(OAuthLoginElement);
    expect(login.getAttribute('client-id')).to.equal(CLIENT_ID);
    expect(login.clientId).to.equal(CLIENT_ID);
    expect(login.storage).to.equal('session');
    expect(login.querySelector('[slot="sign-in"]')!.textContent).to.equal('Continue with Example');
  });

  it('hears `token`, `response` and `signout` through @event listeners, with <oauth-fetch for> following the login', async () => {
    const loginId = newId('vue-login');
    const requestId = newId('vue');
    arriveWith(await providerCallback(loginId));
    const tokens: string[] = [];
    const signouts: string[] = [];
    mount({
      setup() {
        const name = ref('nobody');
        return {
          name,
          src: `${API}/profile?id=${requestId}`,
          onToken: (e: TokenEvent) => tokens.push(e.detail.accessToken),
          onSignOut: (e: CustomEvent<{ reason: string }>) => {
            signouts.push(e.detail.reason);
            name.value = 'nobody';
          },
          onResponse: (e: ResponseEvent) => (name.value = (e.detail.data as { name: string }).name),
        };
      },
      template: `
        <oauth-login id="${loginId}" authorize-url="${AUTHORIZE_URL}" client-id="${CLIENT_ID}" scope="profile"
          @token="onToken" @signout="onSignOut"></oauth-login>
        <oauth-fetch for="${loginId}" :src="src" @response="onResponse"></oauth-fetch>
        <p class="name">{{ name }}</p>`,
    });

    await waitFor(() => container.querySelector('.name')!.textContent === 'Ada Demo', 'the name from the response');
    expect(tokens).to.deep.equal([GOOD_TOKEN]);
    expect(location.hash).to.equal('');
    const fetcher = container.querySelector('oauth-fetch')!;
    expect(fetcher).to.be.instanceOf(OAuthFetchElement);
    expect(shadowText(fetcher)).to.contain('Ada Demo');
    expect(await serverLog(requestId)).to.deep.equal([{ path: '/test-api/profile', authorization: `Bearer ${GOOD_TOKEN}`, origin: null }]);

    const login = container.querySelector('oauth-login')!;
    login.shadowRoot!.querySelector('button')!.click();
    await waitFor(() => signouts.length > 0, 'the signout event');
    expect(signouts).to.deep.equal(['user']);
    await nextTick();
    expect(container.querySelector('.name')!.textContent).to.equal('nobody');
    expect(fetcher.getAttribute('status')).to.equal('idle');
  });

  it('sets :token as a property, never as an attribute, and @oauth-error hears a refused token', async () => {
    const requestId = newId('vue-hand');
    const token = ref<string | null>(GOOD_TOKEN);
    const errors: OAuthErrorDetail[] = [];
    mount({
      setup: () => ({ token, src: `${API}/profile?id=${requestId}`, onError: (e: CustomEvent<OAuthErrorDetail>) => errors.push(e.detail) }),
      template: `<oauth-fetch :token="token" :src="src" @oauth-error="onError"></oauth-fetch>`,
    });
    const fetcher = container.querySelector('oauth-fetch')!;
    expect(fetcher.token).to.equal(GOOD_TOKEN);
    expect(fetcher.hasAttribute('token')).to.equal(false);
    expect(container.innerHTML).not.to.contain(GOOD_TOKEN);
    await waitFor(() => fetcher.getAttribute('status') === 'loaded', 'the first response');

    token.value = 'revoked-token';
    await waitFor(() => errors.length > 0, 'the oauth-error event');
    expect(errors[0]).to.include({ error: 'invalid_token', status: 401 });
    expect(fetcher.hasAttribute('token')).to.equal(false);

    token.value = null;
    await nextTick();
    await fetcher.updateComplete;
    expect(fetcher.getAttribute('status')).to.equal('idle');
    expect((await serverLog(requestId)).map((entry) => entry.authorization)).to.deep.equal([
      `Bearer ${GOOD_TOKEN}`,
      'Bearer revoked-token',
    ]);
  });
});
