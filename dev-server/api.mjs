import express from 'express';
import { loopbackCors } from './cors.mjs';

const REALM = 'oauth-elements-demo';
const MAX_ITEMS = 100_000;
// RFC 6750 §2.1: the scheme is case-insensitive, the token is a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const TAGS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta'];

/**
 * The protected resource the demo and the e2e tests read. It accepts the token only in the
 * Authorization header (RFC 6750 §2.1), never in the query or body, so a test can trust
 * that `seenBearers` lists every token the API was shown.
 */
export function apiRoutes({ tokens, users, seenBearers, testKnobs }) {
  const router = express.Router();
  router.use('/api', loopbackCors({ allowHeaders: ['Authorization'], exposeHeaders: ['WWW-Authenticate'] }), (req, res, next) => {
    const authorization = req.get('authorization');
    if (authorization !== undefined) seenBearers.push(authorization);
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/api/profile', requireBearer(tokens, 'profile'), (req, res) => {
    const user = users.get(req.token.userId);
    res.json({ sub: user.username, name: user.name, email: user.email, scope: req.token.scope.join(' ') });
  });

  router.get('/api/data', requireBearer(tokens, 'read'), (req, res) => {
    const raw = req.query.items ?? '1000';
    const count = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
    if (!(count <= MAX_ITEMS)) {
      return res.status(400).json({ error: 'invalid_request', error_description: `items must be an integer from 0 to ${MAX_ITEMS}` });
    }
    res.json({ count, items: Array.from({ length: count }, (_, i) => record(i + 1)) });
  });

  if (testKnobs) {
    // Lets e2e tests check that the client does not carry the bearer across origins.
    router.get('/api/redirect', (req, res) => {
      const to = typeof req.query.to === 'string' && URL.canParse(req.query.to) ? new URL(req.query.to) : undefined;
      if (!to || !['http:', 'https:'].includes(to.protocol)) {
        return res.status(400).json({ error: 'invalid_request', error_description: 'to must be an absolute http(s) URL' });
      }
      res.redirect(302, to.href);
    });
  }
  return router;
}

function requireBearer(tokens, scope) {
  return (req, res, next) => {
    const header = req.get('authorization');
    if (header === undefined || !/^bearer(\s|$)/i.test(header)) {
      // RFC 6750 §3.1: a request without credentials gets a challenge but no error code.
      return deny(res, 401, { description: 'This endpoint needs a bearer token' });
    }
    const match = BEARER.exec(header);
    if (!match) return deny(res, 400, { error: 'invalid_request', description: 'Malformed bearer token' });
    const { record, problem } = tokens.findAccessToken(match[1]);
    if (problem) return deny(res, 401, { error: 'invalid_token', description: problem });
    if (!record.scope.includes(scope)) {
      return deny(res, 403, { error: 'insufficient_scope', description: `This endpoint needs the ${scope} scope`, scope });
    }
    req.token = record;
    next();
  };
}

function deny(res, status, { error, description, scope }) {
  const params = [`realm="${REALM}"`];
  if (error) params.push(`error="${error}"`, `error_description="${description}"`);
  if (scope) params.push(`scope="${scope}"`);
  res.status(status).set('WWW-Authenticate', `Bearer ${params.join(', ')}`);
  res.json({ error: error ?? 'unauthorized', error_description: description });
}

// Deterministic, so a test can assert on any item without storing the data.
function record(id) {
  return {
    id,
    name: `Item ${id}`,
    tags: TAGS.filter((_, i) => (id >> i) & 1).slice(0, 3),
    active: id % 3 !== 0,
    score: ((id * 7919) % 1000) / 10,
    createdAt: new Date(Date.UTC(2024, 0, 1) + id * 3_600_000).toISOString(),
  };
}
