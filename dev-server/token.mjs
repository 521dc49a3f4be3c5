import express from 'express';
import oauth2orize from 'oauth2orize';
import { loopbackCors } from './cors.mjs';
import { verifierMatches } from './pkce.mjs';

const { TokenError } = oauth2orize;
const invalidGrant = (description) => new TokenError(description, 'invalid_grant');

/**
 * The back channel: POST /token (authorization code with PKCE, refresh token) and
 * POST /revoke (RFC 7009). Every client is public, so a client identifies itself by
 * client_id alone and PKCE is what binds the code to the browser that asked for it.
 */
export function tokenRoutes({ clients, tokens }) {
  const server = oauth2orize.createServer();
  const userProperty = 'client';

  server.exchange(
    oauth2orize.exchange.code({ userProperty }, (client, code, redirectURI, body, done) => {
      if (!redirectURI) return done(new TokenError('Missing required parameter: redirect_uri', 'invalid_request'));
      if (!body.code_verifier) return done(new TokenError('Missing required parameter: code_verifier', 'invalid_request'));
      const { record, problem } = tokens.redeemCode(code);
      if (problem) return done(invalidGrant(problem));
      if (record.clientId !== client.id) return done(invalidGrant('The authorization code was issued to another client'));
      if (record.redirectUri !== redirectURI) return done(invalidGrant('redirect_uri differs from the authorization request'));
      if (!verifierMatches(body.code_verifier, record.codeChallenge)) {
        return done(invalidGrant('code_verifier does not match the code_challenge'));
      }
      respond(done, tokens.issueTokens(record));
    }),
  );

  server.exchange(
    oauth2orize.exchange.refreshToken({ userProperty }, (client, refreshToken, scope, done) => {
      const { record, problem } = tokens.redeemRefreshToken(refreshToken);
      if (problem) return done(invalidGrant(problem));
      if (record.clientId !== client.id) return done(invalidGrant('The refresh token was issued to another client'));
      const narrowed = scope ?? record.scope;
      const wider = narrowed.filter((s) => !record.scope.includes(s));
      if (wider.length > 0) return done(new TokenError(`Scope not granted originally: ${wider.join(' ')}`, 'invalid_scope'));
      // RFC 6749 §6: the new refresh token keeps the original scope even if this access token is narrower.
      respond(done, tokens.issueTokens({ ...record, scope: narrowed, refreshScope: record.scope }));
    }),
  );

  const router = express.Router();
  const cors = loopbackCors({ methods: ['POST'] });
  const form = express.urlencoded({ extended: false, limit: '10kb' });
  router.use(['/token', '/revoke'], cors, form, rejectRepeatedParameters, authenticateClient(clients));
  router.post('/token', requireGrantType, server.token());
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
