// The bytes-by-page half of `npm run bench`: every JS response a real page loads in
// headless Chromium (the bundle and the chunks from dist/chunks/ its attributes make it
// fetch), each body gzip -9 as scripts/build.mjs counts, for our kinds of page and
// for the peers' browser files loaded the same way.
//
// A page that names an issuer is signed in up to the provider: signIn() reads the
// discovery document this server answers and then leaves for /authorize, so what a
// sign-in fetches before it navigates is counted too.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

export const PAGE_TARGETS = { implicit: 12_288, everything: 15_360 };

const minified = async (contents) =>
  (
    await build({
      stdin: { contents, resolveDir: process.cwd(), loader: 'js' },
      bundle: true,
      format: 'esm',
      minify: true,
      write: false,
      logLevel: 'error',
    })
  ).outputFiles[0].text;

/** The peers' files: as their packages ship them for a script tag, minified by us only where a package ships no minified file. */
async function peerScripts() {
  return {
    '/peers/hello.min.js': readFileSync(require.resolve('hellojs/dist/hello.min.js')),
    '/peers/oidc-client-ts.min.js': readFileSync(
      join(dirname(require.resolve('oidc-client-ts/package.json')), 'dist/browser/oidc-client-ts.min.js'),
    ),
    '/peers/keycloak.js': await minified(`export { default } from 'keycloak-js';`),
    '/peers/lit.js': await minified(`export * from 'lit';`),
  };
}

const html = (body) => `<!doctype html><html lang="en"><meta charset="utf-8"><title>bytes</title><body>${body}</body></html>`;

/** Our pages and the peers', each a `{ id, label, target?, html(origin), signIn? }`. */
export const BYTES_PAGES = [
  {
    id: 'implicit',
    label: 'implicit sign-in + <oauth-fetch>, signed out',
    target: PAGE_TARGETS.implicit,
    html: (o) =>
      html(`<script type="module" src="/dist/oauth-elements.js"></script>
        <oauth-login id="login" client-id="bench" authorize-url="${o}/bytes/authorize" scope="read"></oauth-login>
        <oauth-fetch for="login" src="${o}/bytes/api"></oauth-fetch>`),
  },
  // The same page once it shows data: a token set on <oauth-fetch> by hand stands for a sign-in.
  {
    id: 'implicit-data',
    label: 'the same, showing data',
    html: (o) =>
      html(`<script type="module" src="/dist/oauth-elements.js"></script>
        <oauth-login id="login" client-id="bench" authorize-url="${o}/bytes/authorize" scope="read"></oauth-login>
        <oauth-fetch src="${o}/bytes/api"></oauth-fetch>
        <script type="module">document.querySelector('oauth-fetch').token = 'bench';</script>`),
  },
  {
    id: 'code',
    label: 'code + PKCE + discovery',
    signIn: true,
    html: (o) =>
      html(`<script type="module" src="/dist/oauth-elements.js"></script>
        <oauth-login id="login" client-id="bench" response-type="code" issuer="${o}/bytes/issuer" scope="read"></oauth-login>
        <oauth-fetch for="login" src="${o}/bytes/api"></oauth-fetch>`),
  },
  {
    id: 'everything',
    label: 'every feature (dpop, popup, code, issuer, revoke, fetch)',
    target: PAGE_TARGETS.everything,
    signIn: true,
    html: (o) =>
      html(`<script type="module" src="/dist/oauth-elements.js"></script>
        <oauth-login id="login" client-id="bench" response-type="code" issuer="${o}/bytes/issuer" dpop mode="popup"
          revocation-url="${o}/bytes/revoke" storage="session" scope="read"></oauth-login>
        <oauth-fetch for="login" src="${o}/bytes/api"></oauth-fetch>
        <script type="module">
          const login = document.getElementById('login');
          login.addEventListener('token', () => login.fetch('${o}/bytes/api'));
        </script>`),
  },
  { id: 'hello', label: 'hello.js (dist/hello.min.js)', html: () => html(`<script src="/peers/hello.min.js"></script>`) },
  {
    id: 'keycloak',
    label: 'keycloak-js (lib/keycloak.js, minified)',
    html: () =>
      html(
        `<script type="module">import Keycloak from '/peers/keycloak.js'; window.kc = new Keycloak({ url: location.origin, realm: 'r', clientId: 'c' });</script>`,
      ),
  },
  {
    id: 'oidc-client-ts',
    label: 'oidc-client-ts (dist/browser/…min.js)',
    html: () => html(`<script src="/peers/oidc-client-ts.min.js"></script>`),
  },
  { id: 'lit', label: 'lit alone (minified)', html: () => html(`<script type="module" src="/peers/lit.js"></script>`) },
];

/**
 * What the bench's server answers for this table (`false`: not ours): the pages, the
 * peers' files, dist/chunks/ (read once, like the bundle), a discovery document and an
 * /authorize that only ends the page.
 */
export async function bytesRoutes(repo) {
  const peers = await peerScripts();
  const chunksDir = join(repo, 'dist', 'chunks');
  let chunks = new Map();
  try {
    chunks = new Map(readdirSync(chunksDir).map((name) => [`/dist/chunks/${name}`, readFileSync(join(chunksDir, name))]));
  } catch {
    // No build: the pages fail to load and the table says so.
  }
  return (path, origin, send) => {
    const page = BYTES_PAGES.find((p) => path === `/bytes/${p.id}.html`);
    if (page) return send(200, 'text/html; charset=utf-8', page.html(origin));
    if (peers[path]) return send(200, 'text/javascript', peers[path]);
    if (chunks.has(path)) return send(200, 'text/javascript', chunks.get(path));
    if (path === '/bytes/issuer/.well-known/openid-configuration') {
      const issuer = `${origin}/bytes/issuer`;
      return send(
        200,
        'application/json',
        JSON.stringify({
          issuer,
          authorization_endpoint: `${origin}/bytes/authorize`,
          token_endpoint: `${origin}/bytes/token`,
          revocation_endpoint: `${origin}/bytes/revoke`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          dpop_signing_alg_values_supported: ['ES256'],
        }),
      );
    }
    if (path === '/bytes/authorize') return send(200, 'text/html; charset=utf-8', html('provider'));
    if (path === '/bytes/api') return send(200, 'application/json', JSON.stringify({ items: [{ id: 1, name: 'Ada' }] }));
    return false;
  };
}

/** Loads one page in a fresh context and answers `{ files: [{ url, gzip }], total }`. */
export async function measurePageBytes(browser, origin, page) {
  const context = await browser.createBrowserContext();
  try {
    const tab = await context.newPage();
    const bodies = [];
    const watch = (target) =>
      target.on('response', (response) => {
        if (response.request().resourceType() === 'script' && response.ok())
          bodies.push(response.buffer().then((b) => [response.url(), b]));
      });
    watch(tab);
    tab.on('popup', (popup) => popup && watch(popup));
    await tab.goto(`${origin}/bytes/${page.id}.html`, { waitUntil: 'load' });
    await tab.waitForNetworkIdle({ idleTime: 300 });
    if (page.signIn) {
      const left = page.id === 'everything' ? context.waitForTarget((t) => t.url().includes('/bytes/authorize')) : tab.waitForNavigation();
      // A click, as a person would: the popup needs a user gesture.
      await tab.evaluate(() => document.getElementById('login').shadowRoot.querySelector('button').click());
      await left;
    }
    const files = await Promise.all(bodies);
    const seen = new Map(files.map(([url, body]) => [new URL(url).pathname, gzipSync(body, { level: 9 }).length]));
    return { files: [...seen].map(([path, gzip]) => ({ path, gzip })), total: [...seen.values()].reduce((a, b) => a + b, 0) };
  } finally {
    await context.close();
  }
}
