// A tiny HTTP server that writes down every request it gets: "another local origin" for
// the redirect case, and a resource server of our own for the hostile-JSON case.
import { createServer } from 'node:http';

/**
 * `respond(req, res)` answers; by default a plain 200 that any origin may read. Every
 * request, preflights included, is recorded with its method, path and Authorization header.
 */
export async function startRecordingServer({ respond = plainText } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method, path: req.url, authorization: req.headers.authorization });
    respond(req, res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'Authorization, Accept',
  'Access-Control-Allow-Methods': 'GET',
};

function plainText(req, res) {
  res.writeHead(200, { 'Content-Type': 'text/plain', ...CORS }).end('recorded');
}

/** Strings that run script or inject markup if anything treats them as HTML. */
export const HOSTILE_JSON = {
  name: '<img src=x onerror=window.__pwned=1>',
  '<b id=hostile-key>key</b>': '<script>window.__pwned=2</script>',
  bio: '<svg onload=window.__pwned=3></svg><iframe src=javascript:parent.__pwned=4></iframe>',
  nested: { deeper: '<img src=x onerror=window.__pwned=5>' },
  list: ['<img src=x onerror=window.__pwned=6>'],
};

/** Any bearer gets the hostile JSON (readable by any origin); no bearer gets a 401. */
export function hostileJson(req, res) {
  if (req.method === 'OPTIONS') return res.writeHead(204, CORS).end();
  if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) {
    return res
      .writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer', ...CORS })
      .end('{"error":"unauthorized"}');
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...CORS }).end(JSON.stringify(HOSTILE_JSON));
}
