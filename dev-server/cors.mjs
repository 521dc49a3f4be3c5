// Only pages served from this machine may read responses: the demo and the e2e tests run
// on loopback origins with ports that change from run to run, so a port wildcard is needed,
// and nothing here is ever meant for another site. No credentials: bearer tokens go in a
// header the page sets itself, never in cookies.
const LOOPBACK_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

export const isLoopbackOrigin = (origin) => typeof origin === 'string' && LOOPBACK_ORIGIN.test(origin);

export function loopbackCors({ methods = ['GET'], allowHeaders = [], exposeHeaders = [] } = {}) {
  return function cors(req, res, next) {
    res.vary('Origin');
    const origin = req.get('origin');
    if (isLoopbackOrigin(origin)) {
      res.set('Access-Control-Allow-Origin', origin);
      if (exposeHeaders.length > 0) res.set('Access-Control-Expose-Headers', exposeHeaders.join(', '));
    }
    if (req.method !== 'OPTIONS' || !req.get('access-control-request-method')) return next();
    // A preflight: answer it here; a foreign origin simply gets no Allow-* headers.
    if (isLoopbackOrigin(origin)) {
      res.set('Access-Control-Allow-Methods', methods.join(', '));
      if (allowHeaders.length > 0) res.set('Access-Control-Allow-Headers', allowHeaders.join(', '));
      res.set('Access-Control-Max-Age', '600');
    }
    res.status(204).end();
  };
}
