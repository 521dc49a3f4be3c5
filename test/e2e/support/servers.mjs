// Everything a test file needs on the network: the test pages with the real bundle, the
// real authorization server (login and consent pages), an auto-approving one for the
// cases where the pages do not matter, one with 2-second tokens that remembers no sign-in
// (so silent renewal meets login_required), one with 4-second tokens that does (so it
// renews), one that demands DPoP nonces, another local origin that records what reaches it, and a resource server of our
// own that answers hostile JSON.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAuthServer } from '../../../dev-server/auth-server.mjs';
import { startStaticServer } from '../../../scripts/static-server.mjs';
import { hostileJson, startRecordingServer } from './recording-server.mjs';

const PAGES = fileURLToPath(new URL('../pages/', import.meta.url));
// E2E_DIST points the pages at another build (a deliberately broken copy, to check that a test bites).
const DIST = process.env.E2E_DIST ?? fileURLToPath(new URL('../../../dist/', import.meta.url));

/** The pages served with a strict Content-Security-Policy (no unsafe-inline, no unsafe-eval). */
const CSP_PAGES = {
  '/csp.html': [],
  '/csp-trusted-types.html': ["require-trusted-types-for 'script'"],
};

export async function startE2eServers() {
  // config.js tells the pages where the servers are; ports are only known at run time.
  const configDir = mkdtempSync(join(tmpdir(), 'oauth-elements-e2e-'));
  let authOriginForCsp = '';
  const site = await startStaticServer({
    port: 0,
    mounts: { '/': PAGES, '/dist': DIST, '/config': configDir },
    headers: (path) => {
      const extra = CSP_PAGES[path];
      if (!extra) return {};
      return { 'Content-Security-Policy': ["default-src 'self'", `connect-src 'self' ${authOriginForCsp}`, ...extra].join('; ') };
    },
  });
  const pageUrl = (name) => `${site.url}/${name}`;
  const redirectUris = readdirSync(PAGES)
    .filter((file) => file.endsWith('.html'))
    .map(pageUrl);
  const clients = [
    {
      id: 'demo-app',
      name: 'E2E app',
      redirectUris,
      scopes: ['openid', 'profile', 'read'],
      defaultScopes: ['profile', 'read'],
      responseTypes: ['code', 'token', 'id_token token'],
    },
    { id: 'other-app', name: 'E2E second app', redirectUris, scopes: ['profile', 'read'] },
  ];

  const real = await startAuthServer({ port: 0, clients, testKnobs: true });
  const auto = await startAuthServer({ port: 0, clients, testKnobs: true, autoApprove: true });
  const short = await startAuthServer({ port: 0, clients, autoApprove: true, tokenLifetimeSeconds: 2, loginSessionSeconds: 0 });
  const silent = await startAuthServer({ port: 0, clients, autoApprove: true, tokenLifetimeSeconds: 4 });
  const nonce = await startAuthServer({ port: 0, clients, autoApprove: true, requireDpopNonce: true });
  const otherOrigin = await startRecordingServer();
  const hostileApi = await startRecordingServer({ respond: hostileJson });
  authOriginForCsp = auto.url;
  writeFileSync(
    join(configDir, 'config.js'),
    `export default ${JSON.stringify({ real: real.url, auto: auto.url, short: short.url, silent: silent.url, nonce: nonce.url, hostile: hostileApi.url })};\n`,
  );

  return {
    site,
    real,
    auto,
    short,
    silent,
    nonce,
    otherOrigin,
    hostileApi,
    pageUrl,
    /** Every Authorization header any of the authorization servers' APIs saw. */
    allSeenBearers: () => [...real.seenBearers, ...auto.seenBearers, ...short.seenBearers, ...silent.seenBearers, ...nonce.seenBearers],
    async close() {
      try {
        await Promise.all([site, real, auto, short, silent, nonce, otherOrigin, hostileApi].map((server) => server.close()));
      } finally {
        rmSync(configDir, { recursive: true, force: true });
      }
    },
  };
}
