// A protected JSON API inside the test runner's own server, so element tests fetch over
// real HTTP. Every request is logged (with its Authorization header) under its `id`
// query parameter, and GET /test-api/log?id=… returns that log.
const GOOD_TOKEN = 'good-token';
const log = new Map();

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
};

export function testApiMiddleware() {
  return async function testApi(ctx, next) {
    if (!ctx.path.startsWith('/test-api/')) return next();
    if (ctx.path === '/test-api/log') return json(ctx, 200, log.get(ctx.query.id) ?? []);

    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Access-Control-Allow-Headers', 'Authorization');
    ctx.set('Access-Control-Expose-Headers', 'WWW-Authenticate');
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    const id = ctx.query.id;
    if (id) {
      if (!log.has(id)) log.set(id, []);
      log.get(id).push({ path: ctx.path, authorization: ctx.get('Authorization') || null, origin: ctx.get('Origin') || null });
    }
    const route = routes[ctx.path];
    if (!route) return json(ctx, 404, { error: 'not_found' });
    if (ctx.path !== '/test-api/record') {
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
