// The callback half of `npm run bench`: how long after the callback document's navigation
// starts the access token is in the page's hands, for <oauth-login> (its `token` event),
// hello.js (`getAuthResponse()` in a script after it, and its `auth.login` event) and a
// hand-written inline script (the floor: URLSearchParams, a state check, replaceState), also
// loaded as a module file (what any script from a URL pays before its first line runs).
//
// Every run is a whole sign-in in a fresh browser context: a start page saves its pending
// request the way each library does and leaves for /authorize, which answers with a 302 to
// the callback page and the token in the fragment, as a provider does. The clock is the
// callback document's own (performance.now() counts from its navigation start, which
// includes the 302 hop), read by the page when the token reaches it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);
const HELLO = readFileSync(require.resolve('hellojs/dist/hello.min.js'));

/** How long a start page is left alone before the sign-in starts. */
const PAUSE_BEFORE_SIGN_IN_MS = 500;

/** The token a provider hands out here: only its arrival is timed. */
const ACCESS_TOKEN = 'bench-access-token-0123456789';

// An icon of its own, so that Firefox does not fetch /favicon.ico beside each page's script.
const page = (title, body) =>
  `<!doctype html><html lang="en"><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title><body>${body}</body></html>`;

/** `window.__arrived(name)` stores when the token reached page code, once per name. */
const RECORDER = `<script>window.__marks = {}; window.__arrived = (name) => { window.__marks[name] ??= performance.now(); };</script>`;

const login = (origin, id) =>
  `<oauth-login id="login" client-id="bench" authorize-url="${origin}/authorize" redirect-uri="${origin}/cb/${id}/callback.html"></oauth-login>`;

/** Our start page, for the callback page at `/cb/${id}/callback.html`. */
const ourStart = (origin, id) =>
  page(
    'start',
    `<script type="module" src="/dist/oauth-elements.js"></script>${login(origin, id)}
    <script>window.signIn = () => document.getElementById('login').signIn();</script>`,
  );

const OUR_LISTENER = `<script>document.getElementById('login').addEventListener('token', (event) => event.detail.accessToken && window.__arrived('token'));</script>`;

/** The floor's start: save the state, and leave for /authorize when asked to. */
const floorStartScript = (id) => `
  const state = crypto.randomUUID();
  sessionStorage.setItem('bench-state', state);
  const redirect = new URL('/cb/${id}/callback.html', location.href).href;
  window.signIn = () => location.assign('/authorize?response_type=token&client_id=bench&redirect_uri=' + encodeURIComponent(redirect) + '&state=' + state);`;

/** The floor's whole callback: read the fragment, check the state, clean the address bar. */
const FLOOR_CALLBACK = `
  const params = new URLSearchParams(location.hash.slice(1));
  const state = sessionStorage.getItem('bench-state');
  history.replaceState(history.state, '', location.pathname + location.search);
  sessionStorage.removeItem('bench-state');
  if (state && params.get('state') === state && params.get('access_token')) window.__arrived('token');`;

/** The pages of each case: `start` begins the sign-in, `callback` is where the provider sends the browser back. */
export const CALLBACK_CASES = [
  {
    id: 'floor',
    label: 'inline script (floor)',
    marks: ['token'],
    start: () => page('start', `<script>${floorStartScript('floor')}</script>`),
    callback: () => page('callback', `${RECORDER}<script>${FLOOR_CALLBACK}</script>`),
  },
  // The same lines from module files, as any library arrives: what loading a script costs
  // by itself (its request, then running after the document is parsed). The start page's
  // script matters too: as for every other case here, the browser then comes back with a
  // second open connection to the site, which the callback page's script request takes
  // instead of waiting (about 15 ms in Chromium) for the one the document came on.
  {
    id: 'script',
    label: 'the floor as a module file',
    marks: ['token'],
    start: () => page('start', `<script type="module" src="/cb/script/start.js"></script>`),
    callback: () => page('callback', `${RECORDER}<script type="module" src="/cb/script/callback.js"></script>`),
  },
  {
    id: 'ours',
    label: '<oauth-login> token event',
    marks: ['token'],
    start: (origin) => ourStart(origin, 'ours'),
    // As the README writes it: the module script first, the element, then the page's listener in a later script.
    callback: (origin) =>
      page('callback', `${RECORDER}<script type="module" src="/dist/oauth-elements.js"></script>${login(origin, 'ours')}${OUR_LISTENER}`),
  },
  // The classic script (README: pages without modules) runs as soon as it arrives, while the
  // page is parsed, as hello.js does, instead of after the whole document like a module; it
  // carries every feature, as it is one file.
  {
    id: 'classic',
    label: '<oauth-login>, .iife.js',
    marks: ['token'],
    start: (origin) => ourStart(origin, 'classic'),
    callback: (origin) =>
      page('callback', `${RECORDER}<script src="/dist/oauth-elements.iife.js"></script>${login(origin, 'classic')}${OUR_LISTENER}`),
  },
  {
    id: 'hello',
    label: 'hello.js',
    marks: ['getAuthResponse', 'auth.login'],
    // hello.js leaves the response in the address bar.
    keepsFragment: true,
    start: (origin) =>
      page(
        'start',
        `<script src="/hello/hello.min.js"></script>
        <script>
          hello.init({ bench: { id: 'bench', oauth: { version: 2, auth: '${origin}/authorize' } } }, { redirect_uri: '${origin}/cb/hello/callback.html' });
          window.signIn = () => hello.login('bench', { display: 'page' });
        </script>`,
      ),
    // HELLOJS_REDIRECT_URL keeps hello.js on the callback page instead of going on to the page the sign-in started from.
    callback: (origin) =>
      page(
        'callback',
        `${RECORDER}<script>window.HELLOJS_REDIRECT_URL = /^$/;</script><script src="/hello/hello.min.js"></script>
        <script>
          hello.init({ bench: { id: 'bench', oauth: { version: 2, auth: '${origin}/authorize' } } }, { redirect_uri: '${origin}/cb/hello/callback.html' });
          hello.on('auth.login', (auth) => auth.authResponse?.access_token && window.__arrived('auth.login'));
          if (hello.getAuthResponse('bench')?.access_token) window.__arrived('getAuthResponse');
        </script>`,
      ),
  },
];

/**
 * Answers the bench's requests under /cb/, /hello/ and /authorize, or returns false.
 * `/authorize` is the provider: a 302 to the redirect URI with the token in the fragment.
 */
export function serveCallbackBench(path, url, origin, send) {
  if (path === '/authorize') {
    const redirect = url.searchParams.get('redirect_uri') ?? '';
    if (!redirect.startsWith(`${origin}/cb/`)) return send(400, 'text/plain', 'bad redirect_uri');
    const fragment = new URLSearchParams({
      access_token: ACCESS_TOKEN,
      token_type: 'Bearer',
      expires_in: '3600',
      state: url.searchParams.get('state') ?? '',
    });
    return send(302, 'text/plain', '', { Location: `${redirect}#${fragment}` });
  }
  if (path === '/hello/hello.min.js') return send(200, 'text/javascript', HELLO);
  if (path === '/cb/script/start.js') return send(200, 'text/javascript', floorStartScript('script'));
  if (path === '/cb/script/callback.js') return send(200, 'text/javascript', FLOOR_CALLBACK);
  const match = /^\/cb\/(\w+)\/(start|callback)\.html$/.exec(path);
  const found = match && CALLBACK_CASES.find((c) => c.id === match[1]);
  if (!found) return false;
  return send(200, 'text/html; charset=utf-8', found[match[2]](origin));
}

/** One sign-in of `c` in a fresh context of `browser`: the callback's marks in ms from its navigation start. */
export async function runCallback(browser, origin, c) {
  const context = await browser.createBrowserContext();
  try {
    const tab = await context.newPage();
    const errors = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    await tab.goto(`${origin}/cb/${c.id}/start.html`, { waitUntil: 'load' });
    // A person looks at the page before pressing the button. Without this pause, the last
    // run's context is still being torn down (on two cores, Firefox's callback script then
    // waits up to 100 ms between its arrival and its run), which is not the callback's cost.
    await sleep(PAUSE_BEFORE_SIGN_IN_MS);
    await tab.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve))));
    await Promise.all([tab.waitForNavigation({ waitUntil: 'load' }), tab.evaluate(() => void window.signIn())]);
    try {
      // hello.js announces auth.login from a 1 s poll: wait for that too.
      await tab.waitForFunction(
        (names) => names.every((name) => window.__marks?.[name] !== undefined),
        { timeout: 5000, polling: 20 },
        c.marks,
      );
    } catch (error) {
      throw new Error(`${c.label}: the token did not arrive (${[error.message, ...errors].join('; ')})`, { cause: error });
    }
    const marks = await tab.evaluate(() => ({ ...window.__marks, url: location.href }));
    if (!c.keepsFragment && marks.url.includes('#')) throw new Error(`${c.label}: the callback left the fragment in the address bar`);
    return marks;
  } finally {
    await context.close();
  }
}
