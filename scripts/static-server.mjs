// A small static file server for the demo and the end-to-end pages: GET and HEAD only, no
// directory listings, no dotfiles, nothing outside the folders it is given, loopback only.
import express from 'express';

/** JavaScript as RFC 9239 names it (express's own table says application/javascript). */
function setHeaders(response, path) {
  if (/\.m?js$/.test(path)) response.type('text/javascript; charset=utf-8');
}

/**
 * Serves `mounts` (URL prefix → folder); a request for a folder gets its index.html.
 * `headers(path)` adds response headers per file, such as a Content-Security-Policy.
 */
export async function startStaticServer({ port = 0, host = '127.0.0.1', mounts, headers = () => ({}) }) {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use((request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.status(405).type('text/plain').send('Method not allowed');
      return;
    }
    response.set({ 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', ...headers(decodeURIComponent(request.path)) });
    next();
  });
  // Longest prefix first, so that `/dist` is not looked up in the folder mounted at `/`.
  for (const prefix of Object.keys(mounts).sort((a, b) => b.length - a.length)) {
    app.use(prefix, express.static(mounts[prefix], { etag: false, lastModified: false, cacheControl: false, redirect: false, setHeaders }));
  }
  app.use((request, response) => response.status(404).type('text/plain').send('Not found'));

  const server = await new Promise((resolve, reject) => {
    const listening = app.listen(port, host, () => resolve(listening)).once('error', reject);
  });
  return {
    url: `http://${host}:${server.address().port}`,
    port: server.address().port,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
