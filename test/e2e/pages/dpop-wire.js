// For the DPoP pages: sits between the elements and the network, as an attacker with the
// page's script (or a proxy) would. It records every request that carries a token or a
// proof (`window.e2e.wire`), and `window.e2e.intercept(request)` may swap the request for
// another (a replayed or re-addressed proof) or answer it itself without sending it.
// Runs after page.js and before the bundle.
const send = window.fetch.bind(window);

window.e2e.wire = [];
window.e2e.intercept = null;
window.fetch = (input, init) => {
  // A copy to read from: the original goes out untouched, body and all.
  const request = new Request(input instanceof Request ? input.clone() : input, init);
  if (!request.headers.has('Authorization') && !request.headers.has('DPoP')) return send(input, init);
  window.e2e.wire.push({
    method: request.method,
    url: request.url,
    authorization: request.headers.get('Authorization'),
    dpop: request.headers.get('DPoP'),
  });
  const replacement = window.e2e.intercept?.(request);
  if (replacement instanceof Response) return Promise.resolve(replacement);
  return replacement instanceof Request ? send(replacement, init) : send(input, init);
};
