// A protected JSON API inside the test runner's own server, so element tests fetch over
// real HTTP. Every request is logged (with its Authorization header) under its `id`
// query parameter, and GET /test-api/log?id=… returns that log (GET /test-api/preflights?id=…
// counts the OPTIONS requests).
const GOOD_TOKEN = 'good-token';
const log = new Map();
/** How many CORS preflights (OPTIONS) arrived, per `id`. */
const preflights = new Map();
/** What /test-api/token answers next, per `id`: a list of plan steps, consumed in order. */
const tokenPlans = new Map();
/** The longest a hung answer waits before the server ends it itself, so no test can hang the runner. */
const HANG_LIMIT_MS = 4_000;

/** Waits until the client gives up (aborts) or the hang limit passes; true when the client is still there. */
function hang(ctx) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), HANG_LIMIT_MS);
    ctx.req.on('close', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/**
 * A token endpoint for element tests. POST /test-api/token?id=…&plan=hang,busy,ok sets the
 * plan of `id` on its first request; each request then takes the next step: `ok` (a token
 * for 3 s with a refresh token), `hang` (no answer), `busy` (503 with Retry-After: 1),
 * `big` (a 1 MB access token), `invalid_grant`.
 */
async function tokenEndpoint(ctx) {
  const id = ctx.query.id ?? '';
  if (!tokenPlans.has(id)) tokenPlans.set(id, String(ctx.query.plan ?? 'ok').split(','));
  const step = tokenPlans.get(id).shift() ?? 'invalid_grant';
  const count = (log.get(id) ?? []).length;
  if (step === 'hang') {
    if (await hang(ctx)) json(ctx, 200, {});
    return;
  }
  if (step === 'busy') {
    ctx.set('Retry-After', '1');
    return json(ctx, 503, { error: 'temporarily_unavailable' });
  }
  if (step === 'invalid_grant') return json(ctx, 400, { error: 'invalid_grant' });
  const accessToken = step === 'big' ? 'a'.repeat(1024 * 1024) : `${GOOD_TOKEN}`;
  json(ctx, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3, refresh_token: `rt-${id}-${count}` });
}

function json(ctx, status, body, type = 'application/json') {
  ctx.status = status;
  ctx.set('Content-Type', type);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = typeof body === 'string' ? body : JSON.stringify(body);
}

const routes = {
  '/test-api/profile': (ctx) => json(ctx, 200, { name: 'Ada Demo', id: ctx.query.id ?? null }),
  '/test-api/slow': async (ctx) => {
    await new Promise((resolve) => setTimeout(resolve, Number(ctx.query.ms ?? 300)));
    json(ctx, 200, { tag: ctx.query.tag ?? null });
  },
  '/test-api/vendor-json': (ctx) => json(ctx, 200, { ok: true }, 'application/vnd.example+json; charset=utf-8'),
  '/test-api/text': (ctx) => json(ctx, 200, 'just text', 'text/plain'),
  '/test-api/html': (ctx) => json(ctx, 200, '<img src=x onerror="window.__pwned=1">', 'text/html'),
  '/test-api/invalid-json': (ctx) => json(ctx, 200, '{"oops": '),
  '/test-api/server-error': (ctx) => json(ctx, 500, { error: 'boom' }),
  '/test-api/forbidden': (ctx) => {
    ctx.set('WWW-Authenticate', 'Bearer realm="test", error="insufficient_scope", scope="admin"');
    json(ctx, 403, { error: 'insufficient_scope' });
  },
  '/test-api/hostile': (ctx) =>
    json(ctx, 200, {
      '<b onmouseover=alert(1)>key</b>': '<img src=x onerror=window.__pwned=1>',
      nested: { script: '<script>window.__pwned=1</script>' },
      list: ['<svg onload=window.__pwned=1>'],
      __proto__: { polluted: true },
    }),
  '/test-api/redirect': (ctx) => {
    ctx.status = 302;
    ctx.redirect(String(ctx.query.to));
  },
  '/test-api/record': (ctx) => json(ctx, 200, { recorded: true }),
  '/test-api/hang': async (ctx) => {
    if (await hang(ctx)) json(ctx, 200, { hung: false });
  },
};
/** Routes that take no bearer: the token endpoint and the recording target. */
const OPEN_ROUTES = new Set(['/test-api/record', '/test-api/token']);

export function testApiMiddleware() {
  return async function testApi(ctx, next) {
    if (!ctx.path.startsWith('/test-api/')) return next();
    if (ctx.path === '/test-api/log') return json(ctx, 200, log.get(ctx.query.id) ?? []);
    if (ctx.path === '/test-api/preflights') return json(ctx, 200, preflights.get(ctx.query.id) ?? 0);

    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Access-Control-Allow-Headers', 'Authorization');
    ctx.set('Access-Control-Expose-Headers', 'WWW-Authenticate');
    const id = ctx.query.id;
    if (ctx.method === 'OPTIONS') {
      if (id) preflights.set(id, (preflights.get(id) ?? 0) + 1);
      // As an API that lets browsers cache its preflight answer for 10 minutes.
      ctx.set('Access-Control-Max-Age', '600');
      ctx.status = 204;
      return;
    }
    if (id) {
      if (!log.has(id)) log.set(id, []);
      log.get(id).push({ path: ctx.path, authorization: ctx.get('Authorization') || null, origin: ctx.get('Origin') || null });
    }
    if (ctx.path === '/test-api/token') return tokenEndpoint(ctx);
    const route = routes[ctx.path];
    if (!route) return json(ctx, 404, { error: 'not_found' });
    if (!OPEN_ROUTES.has(ctx.path)) {
      const authorization = ctx.get('Authorization');
      if (!authorization) {
        ctx.set('WWW-Authenticate', 'Bearer realm="test"');
        return json(ctx, 401, { error: 'unauthorized' });
      }
      if (authorization !== `Bearer ${GOOD_TOKEN}`) {
        ctx.set('WWW-Authenticate', 'Bearer realm="test", error="invalid_token", error_description="The access token is unknown"');
        return json(ctx, 401, { error: 'invalid_token' });
      }
    }
    await route(ctx);
  };
}
