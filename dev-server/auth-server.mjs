import { createServer } from 'node:http';
import express from 'express';
import { apiRoutes } from './api.mjs';
import { authorizeRoutes } from './authorize.mjs';
import { createClientRegistry } from './clients.mjs';
import { loopbackCors } from './cors.mjs';
import { discoveryDocument, jwksPath } from './discovery.mjs';
import { createDpopVerifier } from './dpop.mjs';
import { createIdTokenIssuer } from './id-token.mjs';
import { stylesheet, stylesheetPath } from './pages.mjs';
import { createTokenStore } from './token-store.mjs';
import { tokenRoutes } from './token.mjs';
import { createUserDirectory } from './users.mjs';

export { defaultClients } from './clients.mjs';
export { defaultUsers } from './users.mjs';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Starts the local authorization server and protected API. It holds demo credentials and
 * hands out tokens to anyone who asks nicely, so it refuses to listen beyond loopback.
 *
 * `clients` and `users` are merged over the defaults by id / username. `now` (epoch ms)
 * drives every expiry so tests can move time instead of sleeping. `autoApprove` skips
 * login and consent and signs in as the first user. `testKnobs` enables /api/redirect.
 * `requireDpopNonce` makes every DPoP proof carry a nonce of this server (RFC 9449 §8, §9).
 * `loginSessionSeconds` is how long a sign-in is remembered (0: never, so `prompt=none`
 * always meets `login_required`, as with a provider whose session cookie never reaches it).
 *
 * For tests, the returned handle also lists every token endpoint call (`tokenRequests`:
 * grant type and status, in order) and can revoke every grant at once (`revokeAllGrants`),
 * as an administrator ending all sessions would; `silentRequests` lists every `prompt=none`
 * request (client and outcome), and `endLoginSessions` signs every browser out of this server.
 * `idTokenFaults` makes the ID tokens of `id_token token` wrong on purpose (`wrongNonce`,
 * `wrongAtHash`: set to true), so a test can watch a client refuse them, and
 * `tokenFaults.unavailable` makes the token endpoint answer 503 (as a provider that is down);
 * only code in this process can set them, no HTTP request.
 */
export async function startAuthServer({
  port = 9000,
  host = '127.0.0.1',
  clients,
  users,
  tokenLifetimeSeconds = 3600,
  codeLifetimeSeconds = 60,
  now = Date.now,
  autoApprove = false,
  testKnobs = false,
  requireDpopNonce = false,
  loginSessionSeconds = 8 * 3600,
} = {}) {
  if (!LOOPBACK_HOSTS.has(host)) throw new Error(`The dev auth server only listens on loopback, not on ${host}`);
  const clientRegistry = createClientRegistry(clients);
  const userDirectory = createUserDirectory(users);

  // Listen first: the issuer URL (and so every `iss`) depends on the port actually bound.
  const httpServer = createServer();
  await new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, resolve);
  });
  const boundPort = httpServer.address().port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  const seenBearers = [];
  const tokenRequests = [];
  const silentRequests = [];
  const loginSessions = { endedAt: -Infinity };
  const tokens = createTokenStore({ now, tokenLifetimeSeconds, codeLifetimeSeconds });
  // One verifier for the token endpoint and the API: one origin, so one nonce and one replay cache.
  const dpop = createDpopVerifier({ now, requireNonce: requireDpopNonce });
  const idTokens = createIdTokenIssuer({ issuer: url, now });

  const app = express();
  app.disable('x-powered-by');
  app.get(stylesheetPath, (req, res) => res.type('text/css').send(stylesheet));
  app.get(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'], loopbackCors(), (req, res) => {
    res.json(discoveryDocument(url));
  });
  app.get(jwksPath, loopbackCors(), (req, res) => res.type('application/jwk-set+json').send(JSON.stringify(idTokens.jwks)));
  app.use(
    authorizeRoutes({
      issuer: url,
      clients: clientRegistry,
      users: userDirectory,
      tokens,
      idTokens,
      autoApprove,
      now,
      loginSessionSeconds,
      silentRequests,
      loginSessions,
      // Cookies ignore ports: one name per server keeps several servers on one host apart.
      cookieName: `oauth_elements_dev_${boundPort}`,
    }),
  );
  const tokenFaults = { unavailable: false };
  app.post('/token', (req, res, next) => {
    // Read when the answer goes out: the body is parsed by then.
    res.on('finish', () => tokenRequests.push({ grantType: req.body?.grant_type, status: res.statusCode }));
    next();
  });
  app.use(tokenRoutes({ clients: clientRegistry, tokens, dpop, faults: tokenFaults }));
  app.use(apiRoutes({ tokens, users: userDirectory, seenBearers, testKnobs, dpop }));
  httpServer.on('request', app);

  return {
    url,
    seenBearers,
    tokenRequests,
    silentRequests,
    idTokenFaults: idTokens.faults,
    tokenFaults,
    endLoginSessions: () => (loginSessions.endedAt = now()),
    revokeAllGrants: () => tokens.revokeAll(),
    close() {
      const closed = new Promise((resolve, reject) => httpServer.close((err) => (err ? reject(err) : resolve())));
      // fetch keeps connections alive; without this, close() would wait for them to time out.
      httpServer.closeAllConnections();
      return closed;
    },
  };
}
