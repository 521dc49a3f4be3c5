// Server rendering in Node, where there is no DOM: every entry imports without throwing,
// and what React's renderToString and Vue's server renderer send holds no token.
// Reads dist/ through the package's own name: run `npm run build` first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

const TOKEN = 'server-side-secret-token';

describe('importing the package in Node, without a DOM', () => {
  it('has no DOM to begin with', () => {
    assert.equal(typeof window, 'undefined');
    assert.equal(typeof document, 'undefined');
  });

  for (const entry of ['oauth-elements', 'oauth-elements/define', 'oauth-elements/core', 'oauth-elements/jsx', 'oauth-elements/react']) {
    it(`import('${entry}') does not throw`, async () => {
      await import(entry);
    });
  }

  it('gives the element classes and the components', async () => {
    const { OAuthLoginElement, OAuthFetchElement } = await import('oauth-elements');
    const { OAuthLogin, OAuthFetch } = await import('oauth-elements/react');
    assert.equal(typeof OAuthLoginElement, 'function');
    assert.equal(typeof OAuthFetchElement, 'function');
    assert.equal(OAuthLogin.displayName, 'OAuthLogin');
    assert.equal(OAuthFetch.displayName, 'OAuthFetch');
  });
});

describe('React server rendering (react-dom/server renderToString)', () => {
  it('writes no token into the HTML: the token is a property, set on the client', async () => {
    const { createElement: h } = await import('react');
    const { renderToString } = await import('react-dom/server');
    const { OAuthFetch, OAuthLogin } = await import('oauth-elements/react');
    const html = renderToString(
      h(
        'main',
        null,
        h(OAuthLogin, { id: 'login', clientId: 'my-app', authorizeUrl: 'https://auth.example.com/authorize', onToken: () => {} }),
        h(OAuthFetch, { token: TOKEN, src: 'https://api.example.com/me', className: 'profile' }),
      ),
    );
    assert.ok(html.includes('<oauth-fetch class="profile"></oauth-fetch>'), html);
    assert.equal(html.includes(TOKEN), false, html);
  });
});

describe('Vue server rendering (vue/server-renderer), as docs/frameworks.md shows it', () => {
  it('writes no token into the HTML: <oauth-fetch for>, and a token set in onMounted', async () => {
    const { createSSRApp, h, onMounted, ref } = await import('vue');
    const { renderToString } = await import('vue/server-renderer');
    const app = createSSRApp({
      setup() {
        const byHand = ref(null);
        // Runs in the browser only: on the server nothing is mounted.
        onMounted(() => (byHand.value.token = TOKEN));
        return () =>
          h('main', [
            h('oauth-login', { id: 'login', 'client-id': 'my-app', 'authorize-url': 'https://auth.example.com/authorize' }),
            h('oauth-fetch', { for: 'login', src: 'https://api.example.com/me' }),
            h('oauth-fetch', { ref: byHand, src: 'https://api.example.com/other' }),
          ]);
      },
    });
    const html = await renderToString(app);
    assert.ok(html.includes('<oauth-fetch for="login" src="https://api.example.com/me">'), html);
    assert.equal(html.includes(TOKEN), false, html);
  });
});
