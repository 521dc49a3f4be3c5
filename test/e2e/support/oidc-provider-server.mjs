// A certified OpenID Provider (panva's oidc-provider) in this process on loopback, with
// login and consent pages of its own, plus the static server for the test pages: the
// library against a provider it was not written beside.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Provider from 'oidc-provider';
import { startStaticServer } from '../../../scripts/static-server.mjs';

const PAGES = fileURLToPath(new URL('../pages/', import.meta.url));
// E2E_DIST points the pages at another build (a deliberately broken copy, to check that a test bites).
const DIST = process.env.E2E_DIST ?? fileURLToPath(new URL('../../../dist/', import.meta.url));

/** The public client every test page signs in as; tokens live an hour, no refresh token. */
export const CLIENT_ID = 'oidc-e2e';
/** A second public client whose access tokens live 4 seconds and which gets refresh tokens. */
export const RENEWING_CLIENT_ID = 'oidc-e2e-renewing';
export const SHORT_TOKEN_SECONDS = 4;
/**
 * Public clients whose tokens must be DPoP-bound (RFC 9449 §5.2 `dpop_bound_access_tokens`):
 * the token endpoint refuses them a request without a proof, and userinfo then accepts the
 * token only with the DPoP scheme and a proof. Both get refresh tokens (bound too). The
 * second also demands a server nonce in every proof to the token endpoint (RFC 9449 §8).
 */
export const DPOP_CLIENT_ID = 'oidc-e2e-dpop';
export const DPOP_NONCE_CLIENT_ID = 'oidc-e2e-dpop-nonce';

/** The one account: `demo` / `demo` on the login page. */
export const ACCOUNT = { sub: 'demo', password: 'demo', name: 'Ada Lovelace', given_name: 'Ada', family_name: 'Lovelace' };

/**
 * Starts the static page server, then the provider (which must know the pages as redirect
 * URIs), then writes `/config/config.js` with `{ oidc: issuer }` for the pages.
 */
export async function startOidcServers() {
  const configDir = mkdtempSync(join(tmpdir(), 'oauth-elements-oidc-e2e-'));
  const site = await startStaticServer({ port: 0, mounts: { '/': PAGES, '/dist': DIST, '/config': configDir } });
  const pageUrl = (name) => `${site.url}/${name}`;
  const redirectUris = readdirSync(PAGES)
    .filter((file) => file.endsWith('.html'))
    .map(pageUrl);
  let op;
  try {
    op = await startOidcProvider({ redirectUris, pageOrigin: site.url });
  } catch (error) {
    await site.close();
    throw error;
  }
  writeFileSync(join(configDir, 'config.js'), `export default ${JSON.stringify({ oidc: op.issuer })};\n`);
  return {
    site,
    op,
    pageUrl,
    async close() {
      try {
        await Promise.all([site.close(), op.close()]);
      } finally {
        rmSync(configDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * oidc-provider on 127.0.0.1 (a free port), issuer `http://127.0.0.1:PORT`. Records every
 * request (method, path, Origin) and every token endpoint grant, so tests can count them.
 */
export async function startOidcProvider({ redirectUris, pageOrigin }) {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_name: 'oauth-elements e2e',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        redirect_uris: redirectUris,
        post_logout_redirect_uris: redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
      {
        client_id: RENEWING_CLIENT_ID,
        client_name: 'oauth-elements e2e (renewing)',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        redirect_uris: redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token'],
      },
      ...[DPOP_CLIENT_ID, DPOP_NONCE_CLIENT_ID].map((clientId) => ({
        client_id: clientId,
        client_name: `oauth-elements e2e (${clientId})`,
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        redirect_uris: redirectUris,
        post_logout_redirect_uris: redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token'],
        dpop_bound_access_tokens: true,
      })),
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'e2e', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // Public clients must use PKCE with S256 (oidc-provider accepts no other method).
    pkce: { required: () => true },
    // Only the test pages' origin may call the token, userinfo and revocation endpoints from a browser.
    clientBasedCORS: (ctx, origin) => origin === pageOrigin,
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      // DPoP is on by default in oidc-provider 9 (ES256 among its algorithms); the secret
      // turns on its nonces (and their CORS exposure), which only one client must use.
      dPoP: {
        enabled: true,
        nonceSecret: randomBytes(32),
        requireNonce: (ctx) => ctx.oidc?.client?.clientId === DPOP_NONCE_CLIENT_ID,
      },
      rpInitiatedLogout: {
        enabled: true,
        // The default page loads a web font; this machine has no network beyond loopback.
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign out</title></head><body>
<h1>Sign out of ${escapeHtml(ctx.host)}?</h1>${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button></body></html>`;
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // A refresh token without offline_access (which needs prompt=consent), for the renewing client only.
    issueRefreshToken: (ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: (ctx, token, client) => (client?.clientId === RENEWING_CLIENT_ID ? SHORT_TOKEN_SECONDS : 3600),
      IdToken: 3600,
      RefreshToken: 3600,
      Grant: 3600,
      Interaction: 600,
      Session: 3600,
      AuthorizationCode: 60,
    },
    claims: { openid: ['sub'], profile: ['name', 'given_name', 'family_name'] },
    findAccount: (ctx, sub) =>
      sub === ACCOUNT.sub
        ? {
            accountId: sub,
            claims: () => ({ sub, name: ACCOUNT.name, given_name: ACCOUNT.given_name, family_name: ACCOUNT.family_name }),
          }
        : undefined,
  });

  const requests = [];
  const grants = [];
  /** Every refresh token issued, so a test can check that none is within a page script's reach. */
  const refreshTokens = [];
  const errors = [];
  provider.on('grant.success', (ctx) => {
    grants.push(ctx.oidc.params.grant_type);
    if (typeof ctx.body?.refresh_token === 'string') refreshTokens.push(ctx.body.refresh_token);
  });
  for (const event of ['grant.error', 'server_error', 'userinfo.error', 'revocation.error', 'authorization.error']) {
    provider.on(event, (ctx, error) =>
      errors.push({ event, error: error?.error ?? error?.message, description: error?.error_description }),
    );
  }

  const app = provider.callback();
  server.on('request', (req, res) => {
    const path = new URL(req.url, issuer).pathname;
    requests.push({ method: req.method, path, origin: req.headers.origin });
    const interaction = /^\/interaction\/([\w-]+)(?:\/(login|consent))?$/.exec(path);
    if (!interaction) return app(req, res);
    handleInteraction(provider, req, res, interaction[1], interaction[2]).catch((error) => {
      errors.push({ event: 'interaction', error: error.message });
      if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`Interaction failed: ${error.message}`);
    });
  });

  return {
    issuer,
    provider,
    requests,
    grants,
    refreshTokens,
    errors,
    /** Requests to `path` (with `method`, if given). */
    requestsTo: (path, method) => requests.filter((request) => request.path === path && (!method || request.method === method)),
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * The provider's own login and consent pages: real forms, no shortcut. Field and button
 * names match the project's server, so `TestPage.logInAtProvider`/`decideAtProvider` drive both.
 */
async function handleInteraction(provider, req, res, uid, step) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('This interaction is not the one in progress');
  if (req.method === 'GET' && !step) return sendPage(res, details);
  if (req.method !== 'POST' || step !== details.prompt.name) throw new Error(`Unexpected ${req.method} ${step ?? ''}`);
  const form = new URLSearchParams(await readBody(req));

  if (step === 'login') {
    if (form.get('username') !== ACCOUNT.sub || form.get('password') !== ACCOUNT.password) {
      return sendPage(res, details, 'Wrong username or password.');
    }
    return provider.interactionFinished(req, res, { login: { accountId: ACCOUNT.sub } }, { mergeWithLastSubmission: false });
  }

  if (form.get('decision') !== 'allow') {
    return provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The user denied access' },
      { mergeWithLastSubmission: false },
    );
  }
  const { prompt, params, session, grantId } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}

function sendPage(res, { uid, prompt, params }, message = '') {
  const action = `/interaction/${uid}/${prompt.name}`;
  const body =
    prompt.name === 'login'
      ? `<h1>Sign in</h1>
<form method="post" action="${action}">
  <label>Username <input name="username" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>`
      : `<h1>Allow ${escapeHtml(params.client_id)}?</h1>
<p>It asks for: ${escapeHtml(params.scope)}</p>
<form method="post" action="${action}">
  <button type="submit" name="decision" value="allow">Allow</button>
  <button type="submit" name="decision" value="deny">Deny</button>
</form>`;
  res
    .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
    .end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>oidc-provider</title></head><body>${message ? `<p role="alert">${escapeHtml(message)}</p>` : ''}${body}</body></html>`,
    );
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 10_000) req.destroy(new Error('Form too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const escapeHtml = (value) =>
  String(value ?? '').replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]);
