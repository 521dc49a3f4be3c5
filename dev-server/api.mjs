import express from 'express';
import { loopbackCors } from './cors.mjs';
import { DpopError, dpopHeaders, requestUrl } from './dpop.mjs';

const REALM = 'oauth-elements-demo';
const MAX_ITEMS = 100_000;
// RFC 6750 §2.1: the scheme is case-insensitive, the token is a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
// RFC 9449 §7.1: the DPoP scheme carries the same token68 form.
const DPOP = /^DPoP +([A-Za-z0-9\-._~+/]+=*) *$/i;
const TAGS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta'];

/**
 * The protected resource the demo and the e2e tests read. It accepts the token only in the
 * Authorization header (RFC 6750 §2.1), never in the query or body, so a test can trust
 * that `seenBearers` lists every token the API was shown. A DPoP-bound token is accepted
 * only with the DPoP scheme and a valid proof (RFC 9449 §7); /api/dpop/profile accepts
 * nothing else.
 */
export function apiRoutes({ tokens, users, seenBearers, testKnobs, dpop }) {
  const router = express.Router();
  const cors = loopbackCors({ allowHeaders: ['Authorization', 'DPoP'], exposeHeaders: ['WWW-Authenticate', 'DPoP-Nonce'] });
  router.use('/api', cors, (req, res, next) => {
    const authorization = req.get('authorization');
    if (authorization !== undefined) seenBearers.push(authorization);
    res.set('Cache-Control', 'no-store');
    if (dpop.requireNonce) res.set('DPoP-Nonce', dpop.currentNonce());
    next();
  });

  const profile = (req, res) => {
    const user = users.get(req.token.userId);
    res.json({ sub: user.username, name: user.name, email: user.email, scope: req.token.scope.join(' ') });
  };
  router.get('/api/profile', requireToken({ tokens, dpop, scope: 'profile' }), profile);
  router.get('/api/dpop/profile', requireToken({ tokens, dpop, scope: 'profile', dpopOnly: true }), profile);

  router.get('/api/data', requireToken({ tokens, dpop, scope: 'read' }), (req, res) => {
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

function requireToken({ tokens, dpop, scope, dpopOnly = false }) {
  const check = async (req, res, next) => {
    const header = req.get('authorization');
    const scheme = /^(bearer|dpop)(\s|$)/i.exec(header ?? '')?.[1].toLowerCase();
    if (scheme === undefined || (dpopOnly && scheme === 'bearer')) {
      // RFC 6750 §3.1: a request without credentials gets a challenge but no error code.
      return dpopOnly
        ? denyDpop(res, 401, { description: 'This endpoint needs a DPoP-bound token and a DPoP proof' })
        : deny(res, 401, { description: 'This endpoint needs a bearer token' });
    }
    const refuse = scheme === 'dpop' ? denyDpop : deny;
    const match = (scheme === 'dpop' ? DPOP : BEARER).exec(header);
    if (!match) return refuse(res, 400, { error: 'invalid_request', description: 'Malformed Authorization header' });
    const { record, problem } = tokens.findAccessToken(match[1]);
    if (problem) return refuse(res, 401, { error: 'invalid_token', description: problem });
    if (scheme === 'bearer' && record.jkt) {
      // RFC 9449 §7.2: a bound token is worthless without its key, so never as a bearer.
      return deny(res, 401, { error: 'invalid_token', description: 'This token is DPoP-bound: send it with the DPoP scheme and a proof' });
    }
    if (scheme === 'dpop') {
      if (!record.jkt) return denyDpop(res, 401, { error: 'invalid_token', description: 'This token is not DPoP-bound' });
      try {
        const { jkt } = await dpop.verify(dpopHeaders(req), { method: req.method, url: requestUrl(req), accessToken: match[1] });
        if (jkt !== record.jkt)
          return denyDpop(res, 401, {
            error: 'invalid_token',
            description: 'The DPoP proof is signed by another key than the token is bound to',
          });
      } catch (error) {
        if (!(error instanceof DpopError)) return next(error);
        return denyDpop(res, 401, { error: error.code, description: error.message });
      }
    }
    if (!record.scope.includes(scope)) {
      return refuse(res, 403, { error: 'insufficient_scope', description: `This endpoint needs the ${scope} scope`, scope });
    }
    req.token = record;
    next();
  };
  // express 4 does not catch a rejected promise: without this, a throw would leave the request hanging.
  return (req, res, next) => check(req, res, next).catch(next);
}

function deny(res, status, { error, description, scope }) {
  const params = [`realm="${REALM}"`];
  if (error) params.push(`error="${error}"`, `error_description="${description}"`);
  if (scope) params.push(`scope="${scope}"`);
  res.status(status).set('WWW-Authenticate', `Bearer ${params.join(', ')}`);
  res.json({ error: error ?? 'unauthorized', error_description: description });
}

// RFC 9449 §7.1: the DPoP challenge names the algorithms proofs may use.
function denyDpop(res, status, { error, description, scope }) {
  const params = [`realm="${REALM}"`, 'algs="ES256"'];
  if (error) params.push(`error="${error}"`, `error_description="${description}"`);
  if (scope) params.push(`scope="${scope}"`);
  res.status(status).set('WWW-Authenticate', `DPoP ${params.join(', ')}`);
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
