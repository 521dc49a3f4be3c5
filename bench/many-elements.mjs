// Many <oauth-fetch> on one page: 200 elements with a hand-set token load from an API on
// another origin (so every request with Authorization needs a CORS preflight unless the
// browser may cache the preflight answer), all with the same src or each with its own. The
// API counts what reaches it: GETs and OPTIONS.
import { createServer } from 'node:http';

export const MANY_ELEMENTS = 200;
export const MANY_CASES = [
  { id: 'same', label: `${MANY_ELEMENTS} × the same src` },
  { id: 'different', label: `${MANY_ELEMENTS} × a src each` },
];

/** The API: CORS for any loopback page, preflight answers cacheable for 10 minutes, JSON cacheable for a minute. */
export async function startManyElementsApi() {
  const counts = { get: 0, options: 0 };
  const server = createServer((request, response) => {
    const headers = {
      'Access-Control-Allow-Origin': request.headers.origin ?? '*',
      'Access-Control-Allow-Headers': 'Authorization',
      Vary: 'Origin',
    };
    if (request.method === 'OPTIONS') {
      counts.options++;
      response.writeHead(204, { ...headers, 'Access-Control-Max-Age': '600' });
      response.end();
      return;
    }
    counts.get++;
    const n = new URL(request.url, 'http://localhost').searchParams.get('n');
    response.writeHead(200, { ...headers, 'Content-Type': 'application/json', 'Cache-Control': 'private, max-age=60' });
    response.end(JSON.stringify({ n, items: [1, 2, 3] }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  // localhost, not 127.0.0.1: another origin than the page's.
  return { url: `http://localhost:${server.address().port}`, counts, close: () => server.close() };
}

/** One run in a fresh context: ms from adding the elements to the last `response`, and what reached the API. */
export async function runMany(browser, origin, api, c) {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/many.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => customElements.get('oauth-fetch'));
    const before = { ...api.counts };
    const ms = await page.evaluate(
      (apiUrl, count, same) =>
        new Promise((resolve, reject) => {
          let loaded = 0;
          const started = performance.now();
          const fragment = document.createDocumentFragment();
          for (let i = 0; i < count; i++) {
            const element = document.createElement('oauth-fetch');
            element.token = 'bench-token';
            element.src = `${apiUrl}/item?n=${same ? 0 : i}`;
            element.addEventListener('response', () => ++loaded === count && resolve(performance.now() - started));
            element.addEventListener('oauth-error', (event) => reject(new Error(event.detail.description)));
            fragment.append(element);
          }
          document.body.append(fragment);
        }),
      api.url,
      MANY_ELEMENTS,
      c.id === 'same',
    );
    return { ms, get: api.counts.get - before.get, options: api.counts.options - before.options };
  } finally {
    await context.close();
  }
}

export const MANY_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>many</title>
<body><script type="module" src="/dist/oauth-elements.js"></script></body></html>`;
