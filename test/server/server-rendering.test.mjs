// Server rendering in Node, where there is no DOM: every entry imports without throwing,
// and what React's (19 and 18) renderToString and Vue's server renderer send holds no token.
// Reads dist/ through the package's own name: run `npm run build` first.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
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
    const { OAuthLogin, OAuthFetch, createOAuthComponents } = await import('oauth-elements/react');
    assert.equal(typeof OAuthLoginElement, 'function');
    assert.equal(typeof OAuthFetchElement, 'function');
    assert.equal(OAuthLogin.displayName, 'OAuthLogin');
    assert.equal(OAuthFetch.displayName, 'OAuthFetch');
    assert.equal(typeof createOAuthComponents, 'function');
  });
});

/** Both components, with a token given to `<OAuthFetch>`, as elements of `h` (createElement). */
const tree = (h, { OAuthLogin, OAuthFetch }) =>
  h(
    'main',
    null,
    h(OAuthLogin, { id: 'login', clientId: 'my-app', authorizeUrl: 'https://auth.example.com/authorize', onToken: () => {} }),
    h(OAuthFetch, { token: TOKEN, src: 'https://api.example.com/me', className: 'profile' }),
  );

describe('React server rendering (react-dom/server renderToString)', () => {
  it('writes no token into the HTML: the token is a property, set on the client', async () => {
    const { createElement } = await import('react');
    const { renderToString } = await import('react-dom/server');
    const html = renderToString(tree(createElement, await import('oauth-elements/react')));
    assert.ok(html.includes('<oauth-fetch class="profile"></oauth-fetch>'), html);
    assert.equal(html.includes(TOKEN), false, html);
  });

  it('writes no token into the HTML in React 18 either (components made with createOAuthComponents)', async () => {
    // React 18 lives in its own workspace (test/frameworks/react-18), beside the project's 19.
    const require18 = createRequire(new URL('../frameworks/react-18/package.json', import.meta.url));
    const React = require18('react');
    const { renderToString } = require18('react-dom/server');
    assert.match(React.version, /^18\./);
    const { createOAuthComponents } = await import('oauth-elements/react');
    const html = renderToString(tree(React.createElement, createOAuthComponents(React)));
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
