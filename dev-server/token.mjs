import express from 'express';
import oauth2orize from 'oauth2orize';
import { loopbackCors } from './cors.mjs';
import { DpopError, dpopHeaders, requestUrl } from './dpop.mjs';
import { verifierMatches } from './pkce.mjs';

const { TokenError } = oauth2orize;
const invalidGrant = (description) => new TokenError(description, 'invalid_grant');

/**
 * The back channel: POST /token (authorization code with PKCE, refresh token) and
 * POST /revoke (RFC 7009). Every client is public, so a client identifies itself by
 * client_id alone and PKCE is what binds the code to the browser that asked for it.
 * A request with a valid DPoP proof (RFC 9449 §5) gets tokens bound to the proof's key.
 * While `faults.unavailable` is set (by a test, in this process), /token answers 503.
 */
export function tokenRoutes({ clients, tokens, dpop, faults = { unavailable: false } }) {
  const server = oauth2orize.createServer();
  const userProperty = 'client';

  server.exchange(
    // Six parameters: oauth2orize passes req.authInfo (the DPoP key, see verifyDpopProof) only then.
    oauth2orize.exchange.code({ userProperty }, (client, code, redirectURI, body, authInfo, done) => {
      if (!redirectURI) return done(new TokenError('Missing required parameter: redirect_uri', 'invalid_request'));
      if (!body.code_verifier) return done(new TokenError('Missing required parameter: code_verifier', 'invalid_request'));
      const { record, problem } = tokens.redeemCode(code);
      if (problem) return done(invalidGrant(problem));
      if (record.clientId !== client.id) return done(invalidGrant('The authorization code was issued to another client'));
      if (record.redirectUri !== redirectURI) return done(invalidGrant('redirect_uri differs from the authorization request'));
      if (!verifierMatches(body.code_verifier, record.codeChallenge)) {
        return done(invalidGrant('code_verifier does not match the code_challenge'));
      }
      respond(done, tokens.issueTokens({ ...record, jkt: authInfo.jkt }));
    }),
  );

  server.exchange(
    oauth2orize.exchange.refreshToken({ userProperty }, (client, refreshToken, scope, body, authInfo, done) => {
      const { record, problem } = tokens.redeemRefreshToken(refreshToken, { jkt: authInfo.jkt });
      if (problem) return done(invalidGrant(problem));
      if (record.clientId !== client.id) return done(invalidGrant('The refresh token was issued to another client'));
      const narrowed = scope ?? record.scope;
      const wider = narrowed.filter((s) => !record.scope.includes(s));
      if (wider.length > 0) return done(new TokenError(`Scope not granted originally: ${wider.join(' ')}`, 'invalid_scope'));
      // RFC 6749 §6: the new refresh token keeps the original scope even if this access token is narrower.
      // A grant that began without DPoP may bind from here on; a bound one stays bound to its key.
      respond(done, tokens.issueTokens({ ...record, scope: narrowed, refreshScope: record.scope, jkt: record.jkt ?? authInfo.jkt }));
    }),
  );

  const router = express.Router();
  const cors = loopbackCors({ methods: ['POST'], allowHeaders: ['DPoP'], exposeHeaders: ['DPoP-Nonce'] });
  const form = express.urlencoded({ extended: false, limit: '10kb' });
  // RFC 9449 §8.2: a server that wants nonces may hand out a fresh one with any answer.
  const offerNonce = (req, res, next) => (dpop.requireNonce && res.set('DPoP-Nonce', dpop.currentNonce()), next());
  router.use(['/token', '/revoke'], cors, offerNonce, form, rejectRepeatedParameters, authenticateClient(clients));
  router.post('/token', (req, res, next) =>
    faults.unavailable
      ? res.status(503).set('Cache-Control', 'no-store').json({ error: 'temporarily_unavailable', error_description: 'Down for a test' })
      : next(),
  );
  router.post('/token', requireGrantType, verifyDpopProof(dpop), server.token());
  router.post('/revoke', (req, res, next) => {
    if (!req.body.token) return next(new TokenError('Missing required parameter: token', 'invalid_request'));
    tokens.revoke(req.body.token, req.client.id);
    // RFC 7009 §2.2: 200 whether or not the token existed, so nothing is learned from it.
    res.set('Cache-Control', 'no-store').status(200).end();
  });
  router.use(['/token', '/revoke'], sendTokenError);
  return router;
}

function respond(done, issued) {
  done(null, issued.accessToken, issued.refreshToken, {
    token_type: issued.tokenType,
    expires_in: issued.expiresIn,
    scope: issued.scope.join(' '),
  });
}

// RFC 6749 §3.2: parameters must not be repeated. The form parser turns a repeat into an array.
function rejectRepeatedParameters(req, res, next) {
  const repeated = Object.keys(req.body).filter((name) => Array.isArray(req.body[name]));
  if (repeated.length === 0) return next();
  next(new TokenError(`Parameters included more than once: ${repeated.join(', ')}`, 'invalid_request'));
}

function authenticateClient(clients) {
  return (req, res, next) => {
    req.client = clients.get(req.body.client_id);
    if (req.client) return next();
    next(new TokenError('Unknown or missing client_id', 'invalid_client'));
  };
}

/**
 * A token request may carry a DPoP proof; if it does, the proof must be valid, and its key
 * (`jkt`) is what the tokens get bound to. Without one, the tokens are plain bearer tokens.
 */
function verifyDpopProof(dpop) {
  return async (req, res, next) => {
    req.authInfo = {};
    const proofs = dpopHeaders(req);
    if (proofs.length === 0) return next();
    try {
      req.authInfo.jkt = (await dpop.verify(proofs, { method: req.method, url: requestUrl(req) })).jkt;
    } catch (error) {
      return next(error instanceof DpopError ? new TokenError(error.message, error.code) : error);
    }
    next();
  };
}

function requireGrantType(req, res, next) {
  if (req.body.grant_type) return next();
  next(new TokenError('Missing required parameter: grant_type', 'invalid_request'));
}

// RFC 6749 §5.2: errors are 400 with a JSON body. oauth2orize's own handler would answer
// 403 for invalid_grant and 501 for an unsupported grant type.
// Four parameters: that is how express tells an error handler.
function sendTokenError(err, req, res, _next) {
  let status = 400;
  let body;
  if (err instanceof oauth2orize.OAuth2Error) {
    body = { error: err.code, error_description: err.message };
  } else if (err.status >= 400 && err.status < 500) {
    status = err.status;
    body = { error: 'invalid_request', error_description: err.message };
  } else {
    console.error(err);
    status = 500;
    body = { error: 'server_error', error_description: 'The server failed while handling this request.' };
  }
  res.status(status).set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json(body);
}
