import { randomBytes } from 'node:crypto';
import express from 'express';
import session from 'express-session';
import oauth2orize from 'oauth2orize';
import fragmentResponse from 'oauth2orize/lib/response/fragment.js';
import queryResponse from 'oauth2orize/lib/response/query.js';
import { checkAuthorizationRequest } from './authorize-request.mjs';
import { PageError, consentPage, errorPage, loginPage, sendPage } from './pages.mjs';

/**
 * The front channel: GET /authorize, the login form (POST /login) and the consent
 * decision (POST /authorize/decision). The session (its cookie is the login session)
 * remembers who signed in for `loginSessionSeconds`, so a second sign-in in the same
 * browser goes straight to consent; consent is asked every time a page is shown, and
 * remembered per client for `prompt=none`.
 *
 * `prompt=none` (OpenID Connect Core §3.1.2.6) shows no page: without a live login session
 * it redirects `login_required`, without consent to every scope asked `consent_required`;
 * otherwise it answers at once, as the approved request would. `silentRequests` records
 * each one and its outcome, in order. It works alike for `token`, `id_token token` and `code`.
 */
export function authorizeRoutes({
  issuer,
  clients,
  users,
  tokens,
  idTokens,
  autoApprove,
  cookieName,
  now,
  loginSessionSeconds,
  silentRequests,
  loginSessions,
}) {
  const server = oauth2orize.createServer();
  server.serializeClient((client, done) => done(null, client.id));
  server.deserializeClient((id, done) => done(null, clients.get(id) ?? false));

  // RFC 9207: `iss` in every authorization response, query or fragment, success or error,
  // lets a client that talks to several servers tell which one answered (mix-up attacks).
  const withIssuer = (txn, res, params) => queryResponse(txn, res, { ...params, iss: issuer });
  const withIssuerInFragment = (txn, res, params) => fragmentResponse(txn, res, { ...params, iss: issuer });

  // The implicit grant's token; with `id_token token` (OpenID Connect Core §3.2.2.5) an ID
  // token beside it, bound to this request by its nonce and to the access token by at_hash.
  const implicitGrant = (withIdToken) =>
    oauth2orize.grant.token({ modes: { fragment: withIssuerInFragment } }, (client, user, ares, areq, done) => {
      const issued = tokens.issueTokens({ clientId: client.id, userId: user.username, scope: areq.scope });
      const params = { token_type: 'Bearer', expires_in: issued.expiresIn, scope: issued.scope.join(' ') };
      if (withIdToken) {
        const { accessToken } = issued;
        params.id_token = idTokens.issue({ clientId: client.id, subject: user.username, nonce: areq.nonce, accessToken });
      }
      done(null, issued.accessToken, params);
    });
  const codeGrant = oauth2orize.grant.code({ modes: { query: withIssuer } }, (client, redirectURI, user, ares, areq, done) => {
    done(
      null,
      tokens.issueCode({
        clientId: client.id,
        userId: user.username,
        scope: areq.scope,
        redirectUri: redirectURI,
        codeChallenge: areq.codeChallenge,
      }),
    );
  });
  // checkRequest below has already parsed and checked the request, so it replaces the
  // bundled grants' parsers (which would read a repeated parameter as an array).
  server.grant('*', (req) => req.authorizationRequest);
  server.grant('token', { response: implicitGrant(false).response });
  server.grant('id_token token', { response: implicitGrant(true).response });
  server.grant('code', { response: codeGrant.response });

  // SameSite=Lax: sent on the top-level sign-in and in a hidden frame of a page that is the
  // same site (scheme and host; ports do not count), which a silent renewal needs, and kept
  // from cross-site subrequests. None would need Secure, which plain-http loopback lacks.
  const sessions = session({
    name: cookieName,
    secret: randomBytes(32).toString('hex'),
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax' },
  });
  // A sign-in is live for loginSessionMs, and until every login session is ended (as an administrator would).
  const loginSessionMs = loginSessionSeconds * 1000;
  const signedIn = (session) => {
    if (!session.username || !(now() - session.loginAt < loginSessionMs) || session.loginAt <= loginSessions.endedAt) return undefined;
    return users.get(session.username);
  };
  const rememberLogin = (session, user) => {
    session.username = user.username;
    session.loginAt = now();
  };
  const rememberConsent = (session, clientId, scope) => {
    session.consents = { ...session.consents, [clientId]: [...new Set([...(session.consents?.[clientId] ?? []), ...scope])] };
  };
  const form = express.urlencoded({ extended: false, limit: '10kb' });

  function loadUser(req, res, next) {
    req.user = signedIn(req.session);
    // autoApprove stands for a person who signs in and consents at once: never for prompt=none.
    if (!req.user && autoApprove && !req.authorizationRequest?.silent) {
      req.user = users.first;
      rememberLogin(req.session, req.user);
    }
    next();
  }

  /** prompt=none: the answer without a page, or the error that says which page it would need. */
  function answerSilently(req, res, next) {
    const areq = req.authorizationRequest;
    if (!areq.silent) {
      if (autoApprove) rememberConsent(req.session, areq.clientID, areq.scope);
      return next();
    }
    const consented = req.session.consents?.[areq.clientID] ?? [];
    const error = !req.user ? 'login_required' : areq.scope.every((s) => consented.includes(s)) ? undefined : 'consent_required';
    silentRequests.push({ clientId: areq.clientID, outcome: error ?? 'issued' });
    if (!error) return next();
    req.oauth2 = { client: clients.get(areq.clientID), redirectURI: areq.redirectURI, req: { type: areq.type, state: areq.state } };
    next(
      new oauth2orize.AuthorizationError(
        error === 'login_required' ? 'No one is signed in here' : 'The user has not consented to this',
        error,
      ),
    );
  }

  function checkRequest(req, res, next) {
    const queryStart = req.originalUrl.indexOf('?');
    const result = checkAuthorizationRequest(queryStart < 0 ? '' : req.originalUrl.slice(queryStart + 1), clients);
    if (result.page) return next(new PageError(400, result.page, result.registered));
    if (result.error) {
      const { client, redirectUri, type, state } = result.context;
      // Exactly what oauth2orize's indirect error handler needs to redirect the error.
      req.oauth2 = { client, redirectURI: redirectUri, req: { type, state } };
      return next(new oauth2orize.AuthorizationError(result.description, result.error));
    }
    req.authorizationRequest = result.request;
    next();
  }

  const authorize = server.authorization(
    { idLength: 24 },
    (areq, done) => done(null, clients.get(areq.clientID), areq.redirectURI),
    // Approved without a page: autoApprove, or a prompt=none that answerSilently let through.
    (client, user, scope, type, areq, done) => done(null, autoApprove || areq.silent === true),
  );

  function prompt(req, res) {
    const { client, transactionID, redirectURI, req: areq } = req.oauth2;
    if (!req.user) {
      return sendPage(res, 200, loginPage({ client, transactionId: transactionID, demoUser: users.first }));
    }
    sendConsent(res, { client, user: req.user, scope: areq.scope, redirectUri: redirectURI, transactionId: transactionID });
  }

  function login(req, res, next) {
    const transactionId = String(req.body.transaction_id ?? '');
    const txn = req.session.authorize?.[transactionId];
    if (!txn) return next(new PageError(400, 'This sign-in request is unknown or was already answered.'));
    const client = clients.get(txn.client);
    const user = users.verify(req.body.username, req.body.password);
    if (!user) {
      const username = typeof req.body.username === 'string' ? req.body.username : '';
      return sendPage(
        res,
        401,
        loginPage({
          client,
          transactionId,
          demoUser: users.first,
          username,
          error: 'Wrong username or password.',
        }),
      );
    }
    // A fresh session id at sign-in, so an id planted beforehand (session fixation) is worthless.
    const pending = req.session.authorize;
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.authorize = pending;
      rememberLogin(req.session, user);
      sendConsent(res, { client, user, scope: txn.req.scope, redirectUri: txn.redirectURI, transactionId });
    });
  }

  function requireUser(req, res, next) {
    if (req.user) return next();
    next(new PageError(403, 'You are no longer signed in. Go back to the application and sign in again.'));
  }

  // The transaction id in the form is the CSRF token: it is random and lives in this
  // browser's session only.
  const decide = server.decision((req, done) => {
    if (req.body.decision === 'allow') {
      rememberConsent(req.session, req.oauth2.client.id, req.oauth2.req.scope);
      return done(null, { allow: true });
    }
    // The denial leaves through the error handler, which skips decision()'s own cleanup.
    delete req.session.authorize[req.oauth2.transactionID];
    done(new oauth2orize.AuthorizationError('The user denied the request.', 'access_denied'));
  });

  const router = express.Router();
  router.use(['/authorize', '/login'], (req, res, next) => {
    // Redirects from here carry codes and tokens: keep them out of caches and Referer headers.
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    next();
  });
  router.get('/authorize', sessions, checkRequest, loadUser, answerSilently, authorize, prompt);
  router.post('/login', sessions, form, login);
  // The consent that finishes a sign-in under way: its login counts however long sign-ins are remembered.
  router.post(
    '/authorize/decision',
    sessions,
    form,
    (req, res, next) => ((req.user = users.get(req.session.username)), next()),
    requireUser,
    decide,
  );
  router.use(
    ['/authorize', '/login'],
    server.errorHandler({ mode: 'indirect', modes: { query: withIssuer, fragment: withIssuerInFragment } }),
    renderError,
  );
  return router;
}

function sendConsent(res, { client, user, scope, redirectUri, transactionId }) {
  const { origin, protocol } = new URL(redirectUri);
  // An app-claimed scheme (com.example.app:/cb) has no origin; CSP matches it by scheme.
  const formTargets = [origin === 'null' ? protocol : origin];
  sendPage(res, 200, consentPage({ client, user, scope, redirectUri, transactionId }), { formTargets });
}

// Four parameters: that is how express tells an error handler.
function renderError(err, req, res, _next) {
  if (err instanceof PageError) return sendPage(res, err.status, errorPage(err));
  // oauth2orize reports an unknown or answered transaction as 400/403.
  if (err.status >= 400 && err.status < 500) {
    return sendPage(res, err.status, errorPage({ message: 'This sign-in request is unknown or was already answered.' }));
  }
  console.error(err);
  sendPage(res, 500, errorPage({ message: 'The server failed while handling this sign-in request.' }));
}
